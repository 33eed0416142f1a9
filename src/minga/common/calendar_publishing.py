"""Publishing occurrences on the platform's shared calendar from another app.

A domain app that has dated things of its own (education's course sessions) puts them on
the calendar people use for everything else without importing the app that keeps that
calendar: it describes each occurrence with a :class:`PublishedOccurrence` and calls
:func:`publish` / :func:`withdraw`; who may read the restricted ones is an *audience* named
by a key and kept up to date with :func:`set_audience`. The calendar's app (comms) registers
the implementation in its ``AppConfig.ready``; without one every call does nothing, so the
publishing app works when the calendar is not installed.

Calls run in the caller's transaction: a refused write of the caller leaves no event behind,
and publishing the same source again updates the one event it made (safe to retry).

This module imports nothing but the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class PublishedOccurrence:
    """One dated thing another app shows on the calendar.

    ``source_key`` names it for good (``education.session:<uuid>``): publishing the same key
    again changes the same event. ``source_url`` is the local path of the page that owns it
    (where it is changed). ``audience_key`` is None for a public occurrence; otherwise only
    the people of that audience (:func:`set_audience`) read it, and it never leaves this
    server.
    """

    source_key: str
    source_url: str
    organization_id: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    time_zone: str = "UTC"
    description: str = ""
    language: str = "es"
    place: str = ""
    online_url: str = ""
    audience_key: str | None = None


class CalendarPublisher(Protocol):
    def publish(self, entries: list[PublishedOccurrence]) -> None: ...

    def withdraw(self, source_keys: list[str]) -> None: ...

    def set_audience(self, audience_key: str, person_ids: frozenset[int]) -> None: ...


_publisher: CalendarPublisher | None = None


def register_calendar_publisher(publisher: CalendarPublisher | None) -> None:
    global _publisher
    _publisher = publisher


def publish(entries: Iterable[PublishedOccurrence]) -> None:
    """Create or update the events of these occurrences (by their source keys)."""
    if _publisher is not None:
        listed = list(entries)
        if listed:
            _publisher.publish(listed)


def withdraw(source_keys: Iterable[str]) -> None:
    """Take the events of these sources off the calendar (unknown keys are ignored)."""
    if _publisher is not None:
        listed = list(source_keys)
        if listed:
            _publisher.withdraw(listed)


def set_audience(audience_key: str, person_ids: Iterable[int]) -> None:
    """Make exactly these people the readers of the occurrences published with
    ``audience_key``."""
    if _publisher is not None:
        _publisher.set_audience(audience_key, frozenset(person_ids))
