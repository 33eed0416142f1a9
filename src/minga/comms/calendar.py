"""Occurrences of events in a window of time: dated events from the database, yearly days of
action expanded, both merged in time order and paged without loading the window whole.

A yearly event recurs at the same local time in its own time zone (so a 10:00 march in
Caracas is at 10:00 every year, whatever daylight saving does elsewhere), following RFC 5545
``FREQ=YEARLY``: a 29 February event occurs in leap years only, as calendar programs
reading the feed's ``RRULE`` will show it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import YEARLY, rrule
from django.db.models import QuerySet


@dataclass(frozen=True)
class Occurrence:
    """One time an event happens."""

    event: Any
    starts_at: datetime
    ends_at: datetime | None
    recurring: bool = False

    @property
    def key(self) -> tuple[datetime, int, int]:
        return (self.starts_at, 0 if self.recurring else 1, self.event.pk)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(zone_of(self.event.time_zone))


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def yearly_occurrences(event: Any, start: datetime, end: datetime) -> list[Occurrence]:
    """The occurrences of a yearly event that overlap ``[start, end)``."""
    zone = zone_of(event.time_zone)
    first_local = event.starts_at.astimezone(zone).replace(tzinfo=None)
    duration = (event.ends_at - event.starts_at) if event.ends_at else None
    reach = duration or timedelta(0)
    until = None
    if event.recurrence_until:
        until = datetime.combine(event.recurrence_until, datetime.max.time())
    rule = rrule(YEARLY, dtstart=first_local, until=until)
    window_start = (start - reach).astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    window_end = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for local in rule.between(window_start, window_end, inc=True):
        begins = local.replace(tzinfo=zone)
        ends = begins + duration if duration is not None else None
        if begins < end and (ends or begins) >= start:
            found.append(Occurrence(event, begins, ends, recurring=True))
    return found


def expand(events: Iterable[Any], start: datetime, end: datetime) -> list[Occurrence]:
    occurrences = [
        occurrence for event in events for occurrence in yearly_occurrences(event, start, end)
    ]
    return sorted(occurrences, key=lambda occurrence: occurrence.key)


def merged_page(
    dated: QuerySet[Any], recurring: Sequence[Occurrence], offset: int, size: int
) -> tuple[int, list[Occurrence]]:
    """Page ``[offset, offset + size)`` of the time-ordered merge of dated events (a
    queryset ordered by start, then key) and recurring occurrences (sorted, few).

    Only the rows that can fall in the page are read: a dated event at index ``i`` of its
    list lands at ``i + k`` in the merge, where ``k`` recurring occurrences precede it.
    """
    total = dated.count() + len(recurring)
    low = max(0, offset - len(recurring))
    rows = list(dated[low : offset + size])
    merged: list[tuple[int, Occurrence]] = []
    before = [occurrence.key for occurrence in recurring]
    for index, event in enumerate(rows, start=low):
        occurrence = Occurrence(event, event.starts_at, event.ends_at)
        preceding = sum(1 for key in before if key < occurrence.key)
        merged.append((index + preceding, occurrence))
    for position, occurrence in enumerate(recurring):
        dated_before = sum(1 for event in rows if (event.starts_at, 1, event.pk) < occurrence.key)
        if low > 0 and (not rows or occurrence.key < (rows[0].starts_at, 1, rows[0].pk)):
            # Before the rows we read: it lands before the page (see the docstring).
            continue
        if (
            len(rows) == offset + size - low
            and rows
            and occurrence.key
            > (
                rows[-1].starts_at,
                1,
                rows[-1].pk,
            )
        ):
            continue  # after every row we read, so after the page too
        merged.append((position + low + dated_before, occurrence))
    page = sorted(
        (item for item in merged if offset <= item[0] < offset + size), key=lambda item: item[0]
    )
    return total, [occurrence for _position, occurrence in page]
