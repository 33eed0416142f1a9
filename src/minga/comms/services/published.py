"""The calendar's side of ``common.calendar_publishing``: events other apps of this server
publish (a course's sessions), kept by their source key.

Each call runs in the caller's transaction, so an event changes together with what it shows
(a session saved, moved or deleted) or not at all; publishing a source again updates its
one event, so retries are safe. An event published for a closed group is read only by that
group (``CalendarAudience``, through the access rule ``comms.event.published_audience``),
never federated, and changed only by the app that published it.
"""

from __future__ import annotations

from django.db import transaction

from minga.common.calendar_publishing import PublishedOccurrence
from minga.common.models import Visibility
from minga.common.permissions import unguarded

from .. import activitypub
from ..models import CalendarAudience, CalendarAudienceMember, Event
from ..stamps import bump_calendar

WHY_UNGUARDED = (
    "Called through common.calendar_publishing by another app's guarded services, which "
    "checked the person's permission on what they publish."
)


def _audience(key: str) -> CalendarAudience:
    audience, _new = CalendarAudience.objects.get_or_create(key=key[:120])
    return audience


def _apply(event: Event, entry: PublishedOccurrence) -> None:
    event.organization_id = entry.organization_id
    event.title = entry.title.strip()[:200]
    event.description = entry.description
    event.language = (entry.language or "es")[:16]
    event.starts_at = entry.starts_at
    event.ends_at = entry.ends_at
    event.time_zone = entry.time_zone or "UTC"
    event.place = entry.place.strip()[:200]
    event.online_url = entry.online_url.strip()[:500]
    # Only local paths: the event page links there, and must never send a reader elsewhere.
    url = entry.source_url
    event.source_url = url[:500] if url.startswith("/") and not url.startswith("//") else ""
    if entry.audience_key is None:
        event.visibility = Visibility.PUBLIC
        event.audience = None
    else:
        # No level opens it (named custodians, and it has none): only its audience reads it.
        event.visibility = Visibility.CUSTODIANS
        event.audience = _audience(entry.audience_key)


@unguarded(WHY_UNGUARDED)
@transaction.atomic
def published_events_save(*, entries: list[PublishedOccurrence]) -> list[Event]:
    """Create or update the event of each entry, by its source key."""
    keys = [entry.source_key for entry in entries]
    existing = {
        event.source_key: event
        for event in Event.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(source_key__in=keys)
    }
    saved = []
    for entry in entries:
        event = existing.get(entry.source_key) or Event(source_key=entry.source_key[:120])
        if event.pk is not None:
            event.sequence += 1
        _apply(event, entry)
        event.save()
        saved.append(event)
        # A public one reaches the organization's followers; a closed group's never does,
        # and one that became closed is deleted from their servers (activitypub.sync).
        activitypub.sync(event)
    return saved


@unguarded(WHY_UNGUARDED)
@transaction.atomic
def published_events_withdraw(*, source_keys: list[str]) -> int:
    """Delete the events of these sources; returns how many there were."""
    events = list(
        Event.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(source_key__in=source_keys)
    )
    for event in events:
        activitypub.sync(event, deleted=True)
        event.delete()
    return len(events)


@unguarded(WHY_UNGUARDED)
@transaction.atomic
def calendar_audience_set(*, key: str, person_ids: frozenset[int]) -> None:
    """Make exactly these people the readers of the events published for ``key``."""
    audience = _audience(key)
    current = set(
        CalendarAudienceMember.objects.filter(audience=audience).values_list("person_id", flat=True)
    )
    if current == set(person_ids):
        return
    CalendarAudienceMember.objects.filter(audience=audience).exclude(
        person_id__in=person_ids
    ).delete()
    CalendarAudienceMember.objects.bulk_create(
        [
            CalendarAudienceMember(audience=audience, person_id=person_id)
            for person_id in sorted(person_ids - current)
        ],
        ignore_conflicts=True,
    )
    bump_calendar()


class Publisher:
    """The implementation ``CommsConfig.ready`` registers with common.calendar_publishing."""

    def publish(self, entries: list[PublishedOccurrence]) -> None:
        published_events_save(entries=entries)

    def withdraw(self, source_keys: list[str]) -> None:
        published_events_withdraw(source_keys=source_keys)

    def set_audience(self, audience_key: str, person_ids: frozenset[int]) -> None:
        calendar_audience_set(key=audience_key, person_ids=person_ids)
