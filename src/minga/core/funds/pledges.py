"""Recurring pledges: when each instalment is due, and how many are overdue."""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterator
from datetime import date


class Recurrence(enum.StrEnum):
    ONCE = "once"
    MONTHLY = "monthly"
    YEARLY = "yearly"


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan
    + 1 month is 28 or 29 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_dates(start: date, recurrence: Recurrence) -> Iterator[date]:
    """Every due date of a pledge starting on ``start``: one for a single pledge, then
    one a month or a year (counted from the start, so short months do not drift)."""
    yield start
    if recurrence is Recurrence.ONCE:
        return
    step = 1 if recurrence is Recurrence.MONTHLY else 12
    n = 1
    while True:
        yield _add_months(start, step * n)
        n += 1


def next_due(start: date, recurrence: Recurrence, received: int) -> date | None:
    """The due date of the instalment after ``received`` ones, or None when a single
    pledge has been received."""
    for position, day in enumerate(due_dates(start, recurrence)):
        if position == received:
            return day
    return None


def latest_due(start: date, recurrence: Recurrence, on_or_before: date) -> date | None:
    """The due date of the latest instalment due on or before ``on_or_before``, or None
    before the first one: the instalment a reminder sent that day is about."""
    latest = None
    for day in due_dates(start, recurrence):
        if day > on_or_before:
            break
        latest = day
    return latest


def overdue_count(start: date, recurrence: Recurrence, received: int, today: date) -> int:
    """Instalments due on or before ``today`` and not received yet."""
    due = 0
    for day in due_dates(start, recurrence):
        if day > today:
            break
        due += 1
    return max(due - received, 0)
