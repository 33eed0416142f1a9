"""A school's report for its coordinators: enrolment, attendance and completion by course,
cohort, region or organization, over a period; as a page with charts, a CSV file and JSON.

Only the school's coordinators read it (``education.school.coordinate``), and only over the
courses they may see (``selectors.visible_courses``), so a hidden course appears nowhere
else. The database does the counting in four grouped queries whatever the number of
students; ``minga.core.education.reports`` puts the counts together.

The period selects the cohorts that run during it (a cohort from March to June is in a
report for April): their applications, accepted students and certificates are counted;
attendance counts the sessions of those cohorts held within the period (and already
started). Region and organization are those of the organization an application was made
on behalf of; applications that name none make their own group.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.common.charts import Bar, bar_chart
from minga.common.csv import spreadsheet_writer
from minga.common.errors import DomainError
from minga.common.permissions import require
from minga.common.vocabulary import translated
from minga.core.education import reports as core
from minga.core.education.completion import ATTENDED, EXCUSED

from . import selectors
from .models import Certificate, Enrolment, School, Session
from .types import EnrolmentStatus

GROUP_NAMES = {
    "course": gettext_lazy("Course"),
    "cohort": gettext_lazy("Cohort"),
    "region": gettext_lazy("Region"),
    "organization": gettext_lazy("Organization"),
}

# The fields each grouping reads, from an enrolment: its key, then what its label is made of.
_FIELDS: dict[str, tuple[str, ...]] = {
    "course": ("cohort__course_id", "cohort__course__title"),
    "cohort": ("cohort_id", "cohort__name", "cohort__course__title"),
    "region": ("on_behalf_of__region_id", "on_behalf_of__region__name"),
    "organization": ("on_behalf_of_id", "on_behalf_of__name"),
}


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise DomainError(
                _("The end of the period comes before its start."), "end", code="bad_period"
            )


def _key_and_label(
    group: str, row: dict[str, Any], region_names: dict[int, Any]
) -> tuple[str, str]:
    fields = _FIELDS[group]
    key = row[fields[0]]
    if key is None:
        return "", _("No organization named")
    if group == "cohort":
        return str(key), f"{row[fields[1]]} · {row[fields[2]]}"
    if group == "region":
        return str(key), translated(region_names.get(key) or {}, row[fields[1]])
    return str(key), row[fields[1]]


def _held_in(period: Period) -> Q:
    held = Q(starts_at__lte=timezone.now())
    if period.start:
        held &= Q(starts_at__gte=timezone.make_aware(datetime.combine(period.start, time.min)))
    if period.end:
        held &= Q(starts_at__lte=timezone.make_aware(datetime.combine(period.end, time.max)))
    return held


def report_enrolments(user: Any, school: School, period: Period) -> QuerySet[Enrolment]:
    """The applications the report counts (the cohorts of the school's visible courses
    that run during the period)."""
    courses = selectors.visible_courses(user).filter(school=school)
    enrolments = Enrolment.objects.filter(cohort__course__in=courses)
    if period.start:
        enrolments = enrolments.filter(cohort__ends_on__gte=period.start)
    if period.end:
        enrolments = enrolments.filter(cohort__starts_on__lte=period.end)
    return enrolments


def school_report(user: Any, school: School, group: str, period: Period) -> core.Report:
    """The school's report, for its coordinators (anyone else: ``PermissionDenied``)."""
    require(user, "education.school.coordinate", school)
    if group not in core.GROUPS:
        raise DomainError(_("Choose how to group the report."), "group", code="bad_group")
    fields = _FIELDS[group]
    enrolments = report_enrolments(user, school, period)
    grouped = list(
        enrolments.values("cohort_id", "status", *fields)
        .annotate(n=Count("pk"))
        .order_by("cohort_id", "status", fields[0])
    )
    region_names: dict[int, Any] = {}
    if group == "region":
        region_names = dict(
            enrolments.exclude(on_behalf_of=None)
            .values_list("on_behalf_of__region_id", "on_behalf_of__region__names")
            .distinct()
        )
    counts = []
    labels: dict[str, str] = {}
    for row in grouped:
        key, label = _key_and_label(group, row, region_names)
        labels[key] = label
        counts.append(
            core.EnrolmentCount(key, label, str(row["cohort_id"]), row["status"], row["n"])
        )
    accepted = enrolments.filter(status=EnrolmentStatus.ACCEPTED)
    held = dict(
        Session.objects.filter(_held_in(period), cohort__in=accepted.values("cohort_id"))
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    marks_key = "enrolment__" + fields[0]
    marks = [
        core.MarkCount(
            str(row[marks_key]) if row[marks_key] is not None else "", row["a"], row["e"]
        )
        for row in selectors.current_marks()
        .filter(enrolment__in=accepted, session__in=Session.objects.filter(_held_in(period)))
        .values(marks_key)
        .annotate(
            a=Count("pk", filter=Q(status__in=sorted(ATTENDED))),
            e=Count("pk", filter=Q(status=EXCUSED)),
        )
        .order_by(marks_key)
    ]
    certified = {
        (str(key) if key is not None else ""): n
        for key, n in Certificate.objects.filter(enrolment__in=accepted, revoked_at=None)
        .values(marks_key)
        .annotate(n=Count("pk"))
        .order_by(marks_key)
        .values_list(marks_key, "n")
    }
    return core.build(group, counts, {str(k): v for k, v in held.items()}, marks, certified)


def _percent(value: int | None) -> str:
    return "–" if value is None else f"{value} %"


def charts(report: core.Report) -> list[tuple[str, Any]]:
    """Three bar charts of the report, each with its title: accepted students, attendance
    and completion."""
    rows = report.rows
    if not rows:
        return []
    accepted, attendance, completion = (
        _("Accepted students"),
        _("Attendance"),
        _("Completion (valid certificates)"),
    )
    return [
        (
            accepted,
            bar_chart(accepted, [Bar(row.label, row.accepted, str(row.accepted)) for row in rows]),
        ),
        (
            attendance,
            bar_chart(
                attendance,
                [
                    Bar(row.label, row.attendance_percent or 0, _percent(row.attendance_percent))
                    for row in rows
                ],
                maximum=100,
                colour="#0072B2",
            ),
        ),
        (
            completion,
            bar_chart(
                completion,
                [
                    Bar(row.label, row.completion_percent or 0, _percent(row.completion_percent))
                    for row in rows
                ],
                maximum=100,
                colour="#8a3b12",
            ),
        ),
    ]


CSV_COLUMNS = (
    "group",
    "key",
    "name",
    "applications",
    *core.STATUSES,
    "sessions_expected",
    "attended",
    "excused",
    "attendance_percent",
    "certified",
    "completion_percent",
)


def report_csv(report: core.Report) -> str:
    """The report as CSV (a header of stable English column names, then a row per group and
    a total), every text cell made safe for spreadsheets."""
    stream = io.StringIO()
    writer = spreadsheet_writer(stream)
    writer.writerow(CSV_COLUMNS)
    for row in (*report.rows, report.total):
        writer.writerow(
            [
                report.group if row is not report.total else "total",
                row.key if row is not report.total else "",
                row.label,
                row.applications,
                *(row.count(status) for status in core.STATUSES),
                row.sessions_expected,
                row.attended,
                row.excused,
                "" if row.attendance_percent is None else row.attendance_percent,
                row.certified,
                "" if row.completion_percent is None else row.completion_percent,
            ]
        )
    return stream.getvalue()
