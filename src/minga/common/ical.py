"""iCalendar (RFC 5545), written with the ``icalendar`` package.

:func:`calendar` gives one event in UTC (a meeting's agenda); :func:`feed` gives a calendar
feed that calendar programs subscribe to: events in their own time zones (with the
``VTIMEZONE`` definitions they use), all-day events, yearly recurrence (``RRULE``), places,
links and the refresh interval (RFC 7986). Lines are CRLF-terminated and folded at 75 octets
without splitting a character; text values are escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.parser import Contentline
from icalendar.prop import vText

PRODUCT = "-//Minga//Minga//EN"
# icalendar's content line class carries no annotations.
_CONTENT_LINE: Any = Contentline


def escape_text(value: str) -> str:
    """Escape a TEXT value (§3.3.11): backslash, semicolon, comma, and line breaks."""
    normalized = value.replace("\r\n", "\n").replace("\r", "\n")
    return str(vText(normalized).to_ical().decode("utf-8"))


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets; continuations start with a space.

    Never splits a multi-byte UTF-8 character.
    """
    return str(_CONTENT_LINE(line).to_ical().decode("utf-8"))


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def calendar(
    *,
    uid: str,
    stamp: datetime,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str = "",
    description: str = "",
    url: str = "",
) -> str:
    """A VCALENDAR holding one VEVENT in UTC, as text with CRLF line ends."""
    cal = _calendar()
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(starts_at))
    event.add("dtend", _utc(ends_at))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    cal.add_component(event)
    return str(cal.to_ical().decode("utf-8"))


def agenda_description(intro: str, items: Iterable[tuple[int, str]], link: str = "") -> str:
    """The agenda as plain text for DESCRIPTION: the numbered items, then the online link."""
    parts = [intro.strip()] if intro.strip() else []
    parts += [f"{position}. {title}" for position, title in items]
    if link:
        parts.append(link)
    return "\n".join(parts)


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a feed. ``starts_at``/``ends_at`` are aware; ``time_zone`` is the IANA
    zone the event happens in (its times are written in it, with its VTIMEZONE)."""

    uid: str
    stamp: datetime
    starts_at: datetime
    summary: str
    ends_at: datetime | None = None
    time_zone: str = "UTC"
    all_day: bool = False
    location: str = ""
    description: str = ""
    url: str = ""
    yearly: bool = False
    recurrence_until: date | None = None
    categories: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    organizer: str = ""
    cancelled: bool = False
    sequence: int = 0


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _calendar(name: str = "", description: str = "", url: str = "") -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    if description:
        cal.add("x-wr-caldesc", description)
        cal.add("description", description)
    if url:
        cal.add("url", url)
    return cal


def _event(item: CalendarEvent) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", _utc(item.stamp))
    event.add("last-modified", _utc(item.stamp))
    event.add("sequence", item.sequence)
    zone = _zone(item.time_zone)
    if item.all_day:
        first = item.starts_at.astimezone(zone).date()
        last = item.ends_at.astimezone(zone).date() if item.ends_at else first
        event.add("dtstart", first)
        event.add("dtend", max(last, first) + timedelta(days=1))
    else:
        event.add("dtstart", item.starts_at.astimezone(zone))
        if item.ends_at:
            event.add("dtend", item.ends_at.astimezone(zone))
    if item.yearly:
        rule: dict[str, object] = {"freq": "yearly"}
        if item.recurrence_until:
            rule["until"] = (
                item.recurrence_until
                if item.all_day
                else datetime.combine(item.recurrence_until, datetime.max.time(), zone).astimezone(
                    UTC
                )
            )
        event.add("rrule", rule)
    event.add("summary", item.summary)
    if item.location:
        event.add("location", item.location)
    if item.latitude is not None and item.longitude is not None:
        event.add("geo", (item.latitude, item.longitude))
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.categories:
        event.add("categories", list(item.categories))
    if item.organizer:
        event.add("x-minga-organizers", item.organizer)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return event


def feed(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    description: str = "",
    url: str = "",
    refresh: timedelta = timedelta(hours=6),
) -> bytes:
    """A calendar feed: every event with the time zone definitions it needs."""
    cal = _calendar(name, description, url)
    cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", refresh)
    for item in events:
        cal.add_component(_event(item))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
