"""Merging attendance marks recorded offline on several phones.

Each mark carries an id made on the phone (``client_id``). The rule, stated once:

1. A mark is kept once per ``client_id``: sending it again (twice, after a crash, from a
   second phone holding a copy) changes nothing; the first copy received is the one kept.
2. For each (session, student) the current status is the mark recorded *last* on its phone's
   clock; equal times are decided by the larger ``client_id``, so every server and every
   order of arrival reaches the same answer.
3. Marks that lost, from another teacher and with another status, are a *conflict*: they are
   kept and shown beside the winner, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

STATUSES = ("present", "late", "excused", "absent")


@dataclass(frozen=True)
class Mark:
    client_id: str
    session: str
    student: str
    status: str
    recorded_at: datetime
    recorded_by: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown attendance status {self.status!r}")


@dataclass(frozen=True)
class Resolution:
    current: Mark
    overridden: tuple[Mark, ...] = field(default=())

    @property
    def conflicts(self) -> tuple[Mark, ...]:
        """Overridden marks from someone else that said something else."""
        return tuple(
            mark
            for mark in self.overridden
            if mark.recorded_by != self.current.recorded_by and mark.status != self.current.status
        )


def _order(mark: Mark) -> tuple[datetime, str]:
    return (mark.recorded_at, mark.client_id)


def unique_marks(marks: Iterable[Mark]) -> list[Mark]:
    """The marks with each ``client_id`` once (the first copy wins)."""
    seen: dict[str, Mark] = {}
    for mark in marks:
        seen.setdefault(mark.client_id, mark)
    return list(seen.values())


def resolve(marks: Iterable[Mark]) -> dict[tuple[str, str], Resolution]:
    """The current status of each (session, student) and the marks it overrode."""
    groups: dict[tuple[str, str], list[Mark]] = {}
    for mark in unique_marks(marks):
        groups.setdefault((mark.session, mark.student), []).append(mark)
    resolved = {}
    for key, group in groups.items():
        group.sort(key=_order, reverse=True)
        resolved[key] = Resolution(current=group[0], overridden=tuple(group[1:]))
    return resolved
