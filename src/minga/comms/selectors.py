"""Reads of the communication network: what a reader may see, and the work waiting for
writers, editors, translators and reviewers.

Every list goes through the one visibility rule (``common.visibility``) plus the
bulletins' own rule (drafts are read by members of their organization only), so pages,
feeds, the API, digests and federation never show what a reader may not see. Feeds and
calendar files are read anonymously: they hold public content only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from minga.common.registration import Attention
from minga.common.translation import TranslationStage, best_translation
from minga.common.visibility import filter_visible, viewer_for
from minga.federation import selectors as federation
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from .calendar import Occurrence, expand, merged_page
from .models import (
    Bulletin,
    BulletinMedia,
    BulletinTranslation,
    Campaign,
    CampaignParticipation,
    Event,
    Programme,
    Reaction,
    Subscription,
    Volunteer,
)
from .types import BulletinStatus, MediaKind, SubscriptionState

ANONYMOUS = AnonymousUser()


# Bulletins --------------------------------------------------------------------------


def visible_bulletins(user: Any) -> QuerySet[Bulletin]:
    """Every bulletin the user may read: published ones by their visibility; drafts, those
    in review and scheduled ones to members of their organization."""
    return filter_visible(Bulletin.objects.all(), viewer_for(user))


def published_bulletins(user: Any) -> QuerySet[Bulletin]:
    return visible_bulletins(user).filter(status=BulletinStatus.PUBLISHED)


def _with_lists(bulletins: QuerySet[Bulletin]) -> QuerySet[Bulletin]:
    return bulletins.select_related(
        "organization", "remote_actor__server", "campaign", "programme"
    ).prefetch_related(
        "tags",
        Prefetch(
            "translations",
            queryset=BulletinTranslation.objects.filter(stage=TranslationStage.PUBLISHED),
            to_attr="published_translations",
        ),
        Prefetch(
            "media",
            queryset=BulletinMedia.objects.filter(kind=MediaKind.IMAGE),
            to_attr="images",
        ),
    )


@dataclass(frozen=True)
class BulletinFilters:
    organization: str = ""  # slug
    tag: str = ""
    language: str = ""
    campaign: str = ""  # slug
    region: str = ""  # code
    origin: str = ""  # "", "here" or "elsewhere"


def bulletin_list(user: Any, filters: BulletinFilters) -> QuerySet[Bulletin]:
    """Published bulletins the user may read, newest first."""
    bulletins = published_bulletins(user)
    if filters.organization:
        bulletins = bulletins.filter(organization__slug=filters.organization)
    if filters.tag:
        bulletins = bulletins.filter(tags__slug=filters.tag)
    if filters.language:
        bulletins = bulletins.filter(
            Q(language__startswith=filters.language)
            | Exists(
                BulletinTranslation.objects.filter(
                    bulletin=OuterRef("pk"),
                    language__startswith=filters.language,
                    stage=TranslationStage.PUBLISHED,
                )
            )
        )
    if filters.campaign:
        bulletins = bulletins.filter(campaign__slug=filters.campaign)
    if filters.region:
        bulletins = bulletins.filter(region__code=filters.region)
    if filters.origin == "here":
        bulletins = bulletins.filter(remote_actor__isnull=True)
    elif filters.origin == "elsewhere":
        bulletins = bulletins.filter(remote_actor__isnull=False)
    return _with_lists(bulletins).order_by("-published_at", "-id")


def network_bulletins(user: Any, organization: Any) -> QuerySet[Bulletin]:
    """What the organizations and accounts ``organization`` follows have published."""
    return _with_lists(
        published_bulletins(user).filter(
            Q(organization_id__in=federation.followed_organization_ids(organization))
            | Q(remote_actor_id__in=federation.followed_actor_ids(organization))
        )
    ).order_by("-published_at", "-id")


def get_bulletin_for(user: Any, uuid: Any) -> Bulletin:
    """A bulletin the user may read; 404 otherwise, as if it did not exist."""
    bulletin = (
        visible_bulletins(user)
        .select_related(
            "organization", "remote_actor__server", "campaign", "programme", "author", "region"
        )
        .prefetch_related("tags", "media", "translations")
        .filter(uuid=uuid)
        .first()
    )
    if bulletin is None:
        raise Http404
    return bulletin


def reader_version(bulletin: Bulletin, language: str, asked: str = "") -> Any:
    """The reviewed-or-published translation a reader of ``language`` sees (or the one they
    asked for with ``?lang=``), None for the original."""
    if asked == "original":
        return None
    wanted = (asked or language or "").split("-")[0]
    if not wanted or wanted == bulletin.language.split("-")[0]:
        return None
    translations = getattr(bulletin, "published_translations", None)
    if translations is None:
        translations = list(bulletin.translations.all())
    return best_translation(translations, wanted)


def bulletins_of(user: Any, organization: Any) -> QuerySet[Bulletin]:
    """Every bulletin of the organization the user may read, drafts included for members."""
    return (
        visible_bulletins(user)
        .filter(organization=organization)
        .select_related("author")
        .order_by("-updated_at")
    )


def bulletins_to_review(user: Any) -> QuerySet[Bulletin]:
    editors_of = organization_ids_with_role(user, MANAGING_ROLES)
    return (
        Bulletin.objects.filter(status=BulletinStatus.IN_REVIEW, organization_id__in=editors_of)
        .select_related("organization", "author")
        .order_by("updated_at")
    )


def my_drafts(user: Any) -> QuerySet[Bulletin]:
    if not getattr(user, "is_authenticated", False):
        return Bulletin.objects.none()
    return (
        Bulletin.objects.filter(
            author=user, status__in=[BulletinStatus.DRAFT, BulletinStatus.IN_REVIEW]
        )
        .select_related("organization")
        .order_by("-updated_at")
    )


def reactions_for(bulletin: Bulletin) -> QuerySet[Reaction]:
    return Reaction.objects.filter(bulletin=bulletin).select_related("actor__server")


def event_reactions(event: Event) -> QuerySet[Reaction]:
    return Reaction.objects.filter(event=event).select_related("actor__server")


# Translations -------------------------------------------------------------------------


def volunteer_of(user: Any) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.filter(user=user).first()


def _translations(user: Any) -> QuerySet[BulletinTranslation]:
    return BulletinTranslation.objects.filter(
        bulletin__in=visible_bulletins(user).exclude(status=BulletinStatus.WITHDRAWN)
    ).select_related("bulletin__organization", "translator")


def translations_open_to(user: Any) -> QuerySet[BulletinTranslation]:
    """Requested translations into the volunteer's languages, oldest first."""
    volunteer = volunteer_of(user)
    languages = [code.split("-")[0] for code in volunteer.languages] if volunteer else []
    condition = Q(pk__in=[])
    for code in languages:
        condition |= Q(language__startswith=code)
    return (
        _translations(user)
        .filter(condition, stage=TranslationStage.REQUESTED)
        .order_by("requested_at")
    )


def my_translations(user: Any) -> QuerySet[BulletinTranslation]:
    if not getattr(user, "is_authenticated", False):
        return BulletinTranslation.objects.none()
    return (
        BulletinTranslation.objects.filter(translator=user, stage=TranslationStage.IN_PROGRESS)
        .select_related("bulletin__organization")
        .order_by("requested_at")
    )


def translations_to_review(user: Any) -> QuerySet[BulletinTranslation]:
    """Submitted translations the user may approve: of bulletins they edit, or into the
    languages they review; never their own."""
    if not getattr(user, "is_authenticated", False):
        return BulletinTranslation.objects.none()
    volunteer = volunteer_of(user)
    condition = Q(bulletin__organization_id__in=organization_ids_with_role(user, MANAGING_ROLES))
    for code in volunteer.reviewer_languages if volunteer else []:
        condition |= Q(language__startswith=code.split("-")[0])
    return (
        _translations(user)
        .filter(condition, stage=TranslationStage.SUBMITTED)
        .exclude(translator=user)
        .order_by("submitted_at")
    )


def get_translation_for(user: Any, pk: int) -> BulletinTranslation:
    translation = _translations(user).filter(pk=pk).first()
    if translation is None:
        raise Http404
    return translation


def volunteers() -> QuerySet[Volunteer]:
    return Volunteer.objects.select_related("user").order_by("user__username")


# Programmes ---------------------------------------------------------------------------


def programmes_of(organization: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(organization=organization).order_by("title")


def get_programme_for(user: Any, uuid: Any) -> Programme:
    programme = Programme.objects.select_related("organization").filter(uuid=uuid).first()
    if programme is None or not viewer_can_see_organization(user, programme.organization):
        raise Http404
    return programme


def viewer_can_see_organization(user: Any, organization: Any) -> bool:
    from minga.registry.selectors import visible_organizations

    return visible_organizations(user).filter(pk=organization.pk).exists()


def podcast_episodes(organization: Any, programme: Programme | None = None) -> QuerySet[Bulletin]:
    """Public published bulletins with audio, newest first (feeds are read anonymously)."""
    episodes = published_bulletins(ANONYMOUS).filter(
        organization=organization, media__kind=MediaKind.AUDIO
    )
    if programme is not None:
        episodes = episodes.filter(programme=programme)
    return (
        episodes.distinct()
        .prefetch_related(
            Prefetch(
                "media",
                queryset=BulletinMedia.objects.filter(kind=MediaKind.AUDIO),
                to_attr="audio",
            )
        )
        .order_by("-published_at", "-id")
    )


# Campaigns ----------------------------------------------------------------------------


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    return filter_visible(Campaign.objects.all(), viewer_for(user))


def campaign_list(user: Any, *, current_only: bool = False) -> QuerySet[Campaign]:
    campaigns = visible_campaigns(user).select_related("organization", "remote_actor__server")
    if current_only:
        today = timezone.localdate()
        campaigns = campaigns.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return campaigns.annotate(
        taking_part=Count("participations", filter=Q(participations__left_at__isnull=True))
    ).order_by("-starts_on", "title")


def get_campaign_for(user: Any, slug: str | None = None, uuid: Any = None) -> Campaign:
    lookup = {"slug": slug} if slug is not None else {"uuid": uuid}
    campaign = (
        visible_campaigns(user)
        .select_related("organization", "remote_actor__server", "region")
        .filter(**lookup)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def campaign_participants(user: Any, campaign: Campaign) -> QuerySet[CampaignParticipation]:
    """Organizations taking part that the user may see (those who left stay in history)."""
    from minga.registry.selectors import visible_organizations

    return (
        campaign.participations.filter(organization__in=visible_organizations(user))
        .select_related("organization")
        # Those taking part first (NULLs sort first on SQLite, last on PostgreSQL: say so).
        .order_by(F("left_at").asc(nulls_first=True), "joined_at", "pk")
    )


def organizations_user_manages(user: Any) -> QuerySet[Any]:
    from minga.registry.selectors import organizations_user_manages as managed

    return managed(user)


def organizations_user_writes_for(user: Any) -> QuerySet[Any]:
    from minga.registry.selectors import visible_organizations

    ids = viewer_for(user).organization_ids
    return visible_organizations(user).filter(pk__in=ids).order_by("name")


# Events and the calendar --------------------------------------------------------------


def visible_events(user: Any) -> QuerySet[Event]:
    return filter_visible(Event.objects.all(), viewer_for(user))


@dataclass(frozen=True)
class CalendarFilters:
    region: str = ""
    country: str = ""
    campaign: str = ""
    organization: str = ""
    kind: str = ""


def filtered_events(user: Any, filters: CalendarFilters) -> QuerySet[Event]:
    events = visible_events(user)
    if filters.region:
        events = events.filter(region__code=filters.region)
    if filters.country:
        events = events.filter(country=filters.country.upper())
    if filters.campaign:
        events = events.filter(campaign__slug=filters.campaign)
    if filters.organization:
        events = events.filter(
            Q(organization__slug=filters.organization) | Q(co_organizers__slug=filters.organization)
        ).distinct()
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return events


def _in_window(events: QuerySet[Event], start: datetime, end: datetime) -> QuerySet[Event]:
    """Dated events overlapping ``[start, end)``, for wide windows (feeds) read whole."""
    return _starting_near(events, start, end) | _running_into(events, start)


def _starting_near(events: QuerySet[Event], start: datetime, end: datetime) -> QuerySet[Event]:
    """Dated events that start in the window, or shortly before it and still run: one range
    of the start index, whatever the size of the calendar."""
    return events.filter(yearly=False, starts_at__gte=start - Event.LONG, starts_at__lt=end).filter(
        Q(starts_at__gte=start) | Q(ends_at__gte=start)
    )


def _running_into(events: QuerySet[Event], start: datetime) -> QuerySet[Event]:
    return events.filter(_running_q(start))


def anniversaries(start: datetime, end: datetime) -> list[int] | None:
    """The local month-and-day (``MMDD``) a yearly occurrence in ``[start, end)`` can start
    on, in any time zone and up to ``Event.LONG`` before the window; None for windows too
    wide to be worth listing. A 29 February event recurs in leap years only (RFC 5545), so
    it is listed only when the window's days include one."""
    first = (start - Event.LONG - timedelta(days=1)).date()
    last = (end + timedelta(days=1)).date()
    if (last - first).days > 62:
        return None
    days = {
        (first + timedelta(days=n)).month * 100 + (first + timedelta(days=n)).day
        for n in range((last - first).days + 1)
    }
    return sorted(days)


def _yearly_q(start: datetime, end: datetime) -> Q:
    """Yearly events that can recur in the window: those near their anniversary, and the
    long ones (each an OR term of its own, so that each reads its own partial index)."""
    yearly = Q(yearly=True, starts_at__lt=end) & (
        Q(recurrence_until__isnull=True) | Q(recurrence_until__gte=start.date())
    )
    days = anniversaries(start, end)
    if days is None:
        return yearly
    return (yearly & Q(anniversary__in=days)) | (yearly & Q(lasts_long=True))


def _running_q(start: datetime) -> Q:
    """Long dated events that began before the window and still run in it (few: read from a
    partial index of long events)."""
    return Q(yearly=False, lasts_long=True, starts_at__lt=start - Event.LONG, ends_at__gte=start)


def _found_then_filtered(events: QuerySet[Event], condition: Q) -> QuerySet[Event]:
    """The events matching ``condition`` found among all events first (each OR term of it on
    its partial index), then kept if ``events`` holds them by key: with a country or campaign
    filter in the same query, SQLite would walk that filter's index over every earlier
    event. Unordered: asked for the events' order, SQLite walks the whole start index."""
    found = Event.objects.filter(condition).values("pk")
    return events.filter(pk__in=found).order_by()


def _recurring_or_running(
    events: QuerySet[Event], start: datetime, end: datetime
) -> QuerySet[Event]:
    """What the start index's range does not find, in one read: yearly events that can recur
    in the window, and long events begun before it."""
    return _found_then_filtered(events, _yearly_q(start, end) | _running_q(start))


def _yearly_near(events: QuerySet[Event], start: datetime, end: datetime) -> list[Event]:
    return list(_found_then_filtered(events, _yearly_q(start, end)))


TIMING_FIELDS = ("pk", "starts_at", "ends_at", "time_zone", "recurrence_until", "yearly")
"""What placing an event's occurrences in time needs of it (read as named rows, no objects)."""

CARD_RELATED = ("organization", "remote_actor__server")
"""What a calendar card shows of an event's related rows (see ``cards.event_cards``)."""

CARD_FIELDS = (
    *("uuid", "title", "language", "kind", "all_day", "time_zone", "starts_at", "ends_at"),
    *("place", "country", "online_url", "cancelled", "yearly", "recurrence_until"),
    *("organization__name", "organization__names"),
    *("remote_actor__name", "remote_actor__username", "remote_actor__uri"),
    "remote_actor__server__domain",
)
"""The columns a card reads (a month's page builds a hundred rows or more, and converting
every column of each, dates above all, was a fifth of its time)."""


def calendar_page(
    user: Any,
    filters: CalendarFilters,
    start: datetime,
    end: datetime,
    *,
    offset: int = 0,
    size: int = 50,
    related: tuple[str, ...] = CARD_RELATED,
    fields: tuple[str, ...] | None = CARD_FIELDS,
) -> tuple[int, list[Occurrence]]:
    """Occurrences in ``[start, end)``: dated events and yearly days of action, in order,
    with the ``related`` rows read alongside and only the ``fields`` a card shows (``None``
    for every column)."""
    events = filtered_events(user, filters)
    # Every occurrence is placed in time from its event's times alone (six columns, no
    # objects, no joins); only the events landing on the page are then read whole, by key.
    # A month holds thousands of dated events and a yearly event of every day; a page shows
    # fifty occurrences.
    dated = (
        _starting_near(events, start, end)
        .order_by("starts_at", "pk")
        .values_list(*TIMING_FIELDS, named=True)
    )
    yearly: list[Any] = []
    running: list[Occurrence] = []
    for event in _recurring_or_running(events, start, end).values_list(*TIMING_FIELDS, named=True):
        if event.yearly:
            yearly.append(event)
        else:
            running.append(Occurrence(event, event.starts_at, event.ends_at))
    recurring = sorted([*expand(yearly, start, end), *running], key=lambda item: item.key)
    total, page = merged_page(dated, recurring, offset, size)
    if not page:
        return total, page
    # The keys came from ``events``, so the visibility rule was asked already: the rows are
    # read by key alone (compiling the rule again cost a tenth of the page's time).
    whole = Event.objects.select_related(*related)
    if fields is not None:
        whole = whole.only(*fields)
    rows = {event.pk: event for event in whole.filter(pk__in={o.event.pk for o in page})}
    return total, [replace(o, event=rows[o.event.pk]) for o in page if o.event.pk in rows]


def map_occurrences(
    user: Any, filters: CalendarFilters, start: datetime, end: datetime, limit: int = 1500
) -> list[Occurrence]:
    """Occurrences with a place on the map in the window, at most ``limit``."""
    events = filtered_events(user, filters).filter(latitude__isnull=False, longitude__isnull=False)
    dated = _in_window(events.filter(yearly=False), start, end).order_by("starts_at", "pk")
    occurrences = expand(_yearly_near(events, start, end), start, end) + [
        Occurrence(event, event.starts_at, event.ends_at) for event in dated[:limit]
    ]
    return sorted(occurrences, key=lambda occurrence: occurrence.key)[:limit]


FEED_PAST = timedelta(days=60)
FEED_FUTURE = timedelta(days=400)
FEED_LIMIT = 1000


def feed_events(filters: CalendarFilters) -> list[Event]:
    """Public events for a calendar feed: dated ones from two months back to a year ahead,
    and every yearly day of action (calendar programs repeat them from the RRULE)."""
    now = timezone.now()
    events = filtered_events(ANONYMOUS, filters).select_related(
        "organization", "remote_actor__server"
    )
    dated = list(
        _in_window(events.filter(yearly=False), now - FEED_PAST, now + FEED_FUTURE).order_by(
            "starts_at", "pk"
        )[:FEED_LIMIT]
    )
    yearly = list(events.filter(yearly=True).order_by("starts_at", "pk")[:FEED_LIMIT])
    return yearly + dated


def feed_stamp() -> tuple[datetime | None, int]:
    """When the calendar last changed and its revision: the feeds' validator (a feed's
    filters are part of its key beside it)."""
    from .stamps import calendar_stamp

    return calendar_stamp()


def get_event_for(user: Any, uuid: Any) -> Event:
    event = (
        visible_events(user)
        .select_related("organization", "remote_actor__server", "campaign", "region")
        .prefetch_related("co_organizers")
        .filter(uuid=uuid)
        .first()
    )
    if event is None:
        raise Http404
    return event


def upcoming_events(user: Any, *, limit: int = 5, **filters: Any) -> list[Occurrence]:
    now = timezone.now()
    _total, occurrences = calendar_page(
        user, CalendarFilters(**filters), now, now + timedelta(days=365), size=limit
    )
    return occurrences


def month_bounds(year: int, month: int, zone: Any) -> tuple[datetime, datetime]:
    first = datetime(year, month, 1, tzinfo=zone)
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return first, following


# Subscriptions and the home page ------------------------------------------------------


def subscriber_count(organization: Any) -> int:
    return Subscription.objects.filter(
        organization=organization, state=SubscriptionState.ACTIVE
    ).count()


def attention_for(user: Any) -> list[Attention]:
    """What waits for the person here: bulletins to review, translations to review, and
    translations open in the languages they translate into."""
    reviews = bulletins_to_review(user).count()
    translation_reviews = translations_to_review(user).count()
    open_translations = translations_open_to(user).count()
    return [
        Attention(
            text=ngettext(
                "%(counter)s bulletin is waiting for your review.",
                "%(counter)s bulletins are waiting for your review.",
                reviews,
            )
            % {"counter": reviews},
            url=reverse("comms:desk"),
            count=reviews,
        ),
        Attention(
            text=ngettext(
                "%(counter)s translation is waiting for your review.",
                "%(counter)s translations are waiting for your review.",
                translation_reviews,
            )
            % {"counter": translation_reviews},
            url=reverse("comms:translations"),
            count=translation_reviews,
        ),
        Attention(
            text=ngettext(
                "%(counter)s bulletin waits for a translation into your languages.",
                "%(counter)s bulletins wait for a translation into your languages.",
                open_translations,
            )
            % {"counter": open_translations},
            url=reverse("comms:translations"),
            count=open_translations,
        ),
    ]


def today() -> date:
    return timezone.localdate()
