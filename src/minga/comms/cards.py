"""What a card on the calendar shows for one occurrence of an event, written in Python.

A month of the calendar shows fifty cards; reading each value through the template
language (a reverse() per link, a lookup per country name, a localized date per card) was
most of the page's time. The card's words are the same as before: the event's kind, its
time in the reader's zone and in its own, where, and who organizes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from minga.common.views import url_maker

from .calendar import Occurrence
from .models import Event
from .types import EventKind


@dataclass(frozen=True)
class EventCard:
    url: str
    title: str
    language: str
    kind: str
    when: str  # the reader's local date (a whole day) or date and time
    zone: str  # the event's own time zone, when it has a time of day
    zone_time: str  # its time of day there
    place: str
    organizer: str
    remote: bool  # organized on another server (its domain is in ``organizer``)
    recurring: bool
    cancelled: bool

    @property
    def html(self) -> SafeString:
        """The card as a list item (``{{ card.html }}`` in a template): fifty includes of a
        template partial cost a month's page more than everything else it writes."""
        classes = "card" + (" cancelled" if self.cancelled else "")
        classes += " recurring" if self.recurring else ""
        meta = f"{escape(self.kind)} · {escape(self.when)}"
        if self.zone:
            zone = escape(self.zone)
            meta += f' <span title="{zone}">({escape(self.zone_time)} {zone})</span>'
        if self.recurring:
            meta += f" · {escape(_('every year'))}"
        if self.cancelled:
            meta += f" · <strong>{escape(_('Cancelled'))}</strong>"
        where = f"{escape(self.place)} · " if self.place else ""
        organizer = escape(self.organizer)
        if self.remote:
            organizer = f'<span class="origin">{organizer}</span>'
        return SafeString(
            f'<li class="{classes}" lang="{escape(self.language)}">\n'
            f'<h3><a href="{escape(self.url)}">{escape(self.title)}</a></h3>\n'
            f'<p class="meta">{meta}</p>\n'
            f'<p class="meta">{where}{organizer}</p>\n'
            "</li>\n"
        )


_LOCALIZED: dict[tuple[datetime, Any, str, str, str], str] = {}


def _localized(moment: datetime, format_string: str) -> str:
    """``moment`` written with Django's localized ``format_string`` in the active language,
    kept: every reader of a month sees the same few hundred times, and each costs Django's
    formatter about 80 microseconds of translation lookups."""
    local = moment.replace(tzinfo=None)
    key = (local, moment.utcoffset(), str(moment.tzinfo), format_string, get_language())
    written = _LOCALIZED.get(key)
    if written is None:
        if len(_LOCALIZED) >= 20_000:
            _LOCALIZED.clear()
        written = _LOCALIZED[key] = dateformat.format(moment, format_string)
    return written


def event_cards(occurrences: Iterable[Occurrence]) -> list[EventCard]:
    event_url = url_maker("comms:event")
    kinds = {value: str(label) for value, label in EventKind.choices}
    day_format = get_format("DATE_FORMAT")
    moment_format = get_format("SHORT_DATETIME_FORMAT")
    online = _("Online")
    reader_zone = timezone.get_current_timezone()
    country_names: dict[str, str] = {}
    cards = []
    for occurrence in occurrences:
        event: Event = occurrence.event
        local_start = occurrence.local_start
        if event.all_day:
            when, zone, zone_time = _localized(local_start, day_format), "", ""
        else:
            when = _localized(occurrence.starts_at.astimezone(reader_zone), moment_format)
            zone, zone_time = event.time_zone, local_start.strftime("%H:%M")
        place = ""
        if event.place:
            place = event.place
            code = str(event.country or "")
            if code:
                if code not in country_names:
                    country_names[code] = str(countries.name(code))
                place = f"{place}, {country_names[code]}"
        elif event.online_url:
            place = online
        if event.organization is not None:
            organizer, remote = event.organization.display_name, False
        else:
            actor = event.remote_actor
            organizer = f"{actor.display_name} ({actor.server.domain})" if actor else ""
            remote = True
        cards.append(
            EventCard(
                url=event_url(event.uuid),
                title=event.title,
                language=event.language,
                kind=kinds.get(event.kind, event.kind),
                when=when,
                zone=zone,
                zone_time=zone_time,
                place=place,
                organizer=organizer,
                remote=remote,
                recurring=occurrence.recurring,
                cancelled=event.cancelled,
            )
        )
    return cards
