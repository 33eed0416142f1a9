"""A school's report: enrolment, attendance and completion by course, cohort, region or
organization, put together from counts the database has already grouped.

The database counts, per group, the applications by status (and per cohort within the
group), the current attendance marks and the valid certificates; what is left here is the
arithmetic a GROUP BY cannot do on its own:

- the sessions a group's students were expected at are the accepted students of each cohort
  times that cohort's sessions held in the period, summed over the group's cohorts;
- attendance is the share of those sessions attended (present or late), excused sessions
  left out of the count, as in a student's own progress (``completion.progress``);
- completion is the share of accepted students holding a valid certificate;
- shares are whole percentages rounded down (never 100 % before everyone has it), and a
  group with nothing to count shows no share rather than 0 %.

Rows come out by label, the group of applications that name no organization (``key`` is
the empty string) last, with a total over all rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

STATUSES = ("applied", "accepted", "waitlisted", "refused", "withdrawn")
GROUPS = ("course", "cohort", "region", "organization")


@dataclass(frozen=True)
class EnrolmentCount:
    """Applications of one cohort in one group, with one status (a row of a GROUP BY)."""

    key: str
    label: str
    cohort: str
    status: str
    count: int

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown enrolment status {self.status!r}")
        if self.count < 0:
            raise ValueError("a count is never negative")


@dataclass(frozen=True)
class MarkCount:
    """The current marks of a group's accepted students in the sessions held."""

    key: str
    attended: int
    excused: int


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    by_status: Mapping[str, int] = field(default_factory=dict)
    sessions_expected: int = 0
    attended: int = 0
    excused: int = 0
    certified: int = 0

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def applications(self) -> int:
        return sum(self.by_status.values())

    @property
    def accepted(self) -> int:
        return self.count("accepted")

    @property
    def sessions_counted(self) -> int:
        return max(0, self.sessions_expected - self.excused)

    @property
    def attendance_percent(self) -> int | None:
        counted = self.sessions_counted
        return min(100, self.attended * 100 // counted) if counted else None

    @property
    def completion_percent(self) -> int | None:
        return min(100, self.certified * 100 // self.accepted) if self.accepted else None


@dataclass(frozen=True)
class Report:
    group: str
    rows: tuple[ReportRow, ...]
    total: ReportRow


def build(
    group: str,
    enrolments: Iterable[EnrolmentCount],
    sessions_held: Mapping[str, int],
    marks: Iterable[MarkCount],
    certified: Mapping[str, int],
) -> Report:
    """The report's rows from the grouped counts (``sessions_held`` by cohort,
    ``certified`` by group key)."""
    if group not in GROUPS:
        raise ValueError(f"unknown grouping {group!r}")
    labels: dict[str, str] = {}
    statuses: dict[str, dict[str, int]] = {}
    expected: dict[str, int] = {}
    for row in enrolments:
        labels.setdefault(row.key, row.label)
        counts = statuses.setdefault(row.key, {})
        counts[row.status] = counts.get(row.status, 0) + row.count
        if row.status == "accepted":
            held = sessions_held.get(row.cohort, 0)
            expected[row.key] = expected.get(row.key, 0) + row.count * held
    marked = {mark.key: mark for mark in marks}
    rows = []
    for key, label in labels.items():
        mark = marked.get(key, MarkCount(key, 0, 0))
        rows.append(
            ReportRow(
                key=key,
                label=label,
                by_status=dict(statuses[key]),
                sessions_expected=expected.get(key, 0),
                attended=mark.attended,
                excused=mark.excused,
                certified=certified.get(key, 0),
            )
        )
    rows.sort(key=lambda row: (row.key == "", row.label.casefold(), row.key))
    return Report(group=group, rows=tuple(rows), total=_total(rows))


def _total(rows: list[ReportRow]) -> ReportRow:
    total = ReportRow(key="*", label="")
    by_status: dict[str, int] = {}
    for row in rows:
        for status, count in row.by_status.items():
            by_status[status] = by_status.get(status, 0) + count
        total = replace(
            total,
            sessions_expected=total.sessions_expected + row.sessions_expected,
            attended=total.attended + row.attended,
            excused=total.excused + row.excused,
            certified=total.certified + row.certified,
        )
    return replace(total, by_status=by_status)
