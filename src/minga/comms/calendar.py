"""Occurrences of events in a window of time: dated events from the database, yearly days of
action expanded, both merged in time order and paged without loading the window whole.

A yearly event recurs at the same local time in its own time zone (so a 10:00 march in
Caracas is at 10:00 every year, whatever daylight saving does elsewhere), following RFC 5545
``FREQ=YEARLY``: a 29 February event occurs in leap years only, as calendar programs
reading the feed's ``RRULE`` will show it too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    """The occurrences of a yearly event that overlap ``[start, end)``.

    The same local date and time each year from the first one (``FREQ=YEARLY``, as dateutil's
    rrule gives them: a test compares the two), computed for the few years that can reach
    the window rather than iterated by a rule.
    """
    zone = zone_of(event.time_zone)
    first_local = event.starts_at.astimezone(zone).replace(tzinfo=None)
    duration = (event.ends_at - event.starts_at) if event.ends_at else None
    reach = duration or timedelta(0)
    until = None
    if event.recurrence_until:
        until = datetime.combine(event.recurrence_until, datetime.max.time())
    # A day either side: the window is in UTC, the years are local ones.
    earliest = ((start - reach).astimezone(zone) - timedelta(days=1)).year
    latest = (end.astimezone(zone) + timedelta(days=1)).year
    found = []
    for year in range(max(first_local.year, earliest), latest + 1):
        try:
            local = first_local.replace(year=year)
        except ValueError:
            continue  # 29 February in a common year: no occurrence (RFC 5545)
        if until is not None and local > until:
            break
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
    # Both lists are sorted by key (and no dated key equals a recurring one), so how many of
    # one list precede an item of the other is a binary search.
    before = [occurrence.key for occurrence in recurring]
    dated_occurrences = [Occurrence(event, event.starts_at, event.ends_at) for event in rows]
    row_keys = [occurrence.key for occurrence in dated_occurrences]
    for index, (occurrence, key) in enumerate(
        zip(dated_occurrences, row_keys, strict=True), start=low
    ):
        merged.append((index + bisect_left(before, key), occurrence))
    full = len(rows) == offset + size - low
    for position, (occurrence, key) in enumerate(zip(recurring, before, strict=True)):
        if low > 0 and (not rows or key < row_keys[0]):
            # Before the rows we read: it lands before the page (see the docstring).
            continue
        if full and rows and key > row_keys[-1]:
            continue  # after every row we read, so after the page too
        merged.append((position + low + bisect_left(row_keys, key), occurrence))
    page = sorted(
        (item for item in merged if offset <= item[0] < offset + size), key=lambda item: item[0]
    )
    return total, [occurrence for _position, occurrence in page]
