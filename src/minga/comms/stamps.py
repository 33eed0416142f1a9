"""The calendar feeds' validator: a revision bumped by every change a feed can show.

Calendar programs ask for a feed every few minutes; the answer is "not modified" unless
something changed. Working that out from the events (the latest change and how many there
are, over every visible event) cost hundreds of milliseconds with 100,000 events. Instead
each change a feed can show bumps one row in the same transaction (signals below, connected
in ``apps.ready``), and a feed reads that row. A bump too many only costs a feed rebuilt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from .models import CalendarStamp


def bump_calendar(**_signal: Any) -> None:
    now = timezone.now()
    if not CalendarStamp.objects.filter(pk=1).update(revision=F("revision") + 1, changed_at=now):
        CalendarStamp.objects.get_or_create(pk=1, defaults={"revision": 1, "changed_at": now})


def calendar_stamp() -> tuple[datetime | None, int]:
    """When the calendar last changed, and its revision."""
    row = CalendarStamp.objects.filter(pk=1).values_list("changed_at", "revision").first()
    return row if row is not None else (None, 0)
