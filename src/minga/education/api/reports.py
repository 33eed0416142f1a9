"""A school's report (enrolment, attendance, completion) for its coordinators only."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema

from minga.common.api import ErrorOut, caller
from minga.core.education.reports import STATUSES, ReportRow

from .. import reports, selectors

router = Router(tags=["education"])


class ReportRowOut(Schema):
    key: str = Field(
        ..., description="the group's id; empty for applications naming no organization"
    )
    name: str
    applications: int
    by_status: dict[str, int] = Field(
        ..., description=f"applications by status: {', '.join(STATUSES)}"
    )
    sessions_expected: int = Field(..., description="accepted students × sessions held")
    attended: int
    excused: int
    attendance_percent: int | None
    certified: int = Field(..., description="valid (not revoked) certificates")
    completion_percent: int | None


class ReportOut(Schema):
    group: str
    start: date | None
    end: date | None
    rows: list[ReportRowOut]
    total: ReportRowOut


def _row(row: ReportRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.label,
        "applications": row.applications,
        "by_status": {status: row.count(status) for status in STATUSES},
        "sessions_expected": row.sessions_expected,
        "attended": row.attended,
        "excused": row.excused,
        "attendance_percent": row.attendance_percent,
        "certified": row.certified,
        "completion_percent": row.completion_percent,
    }


@router.get(
    "/schools/{uuid}/report",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def school_report(
    request: HttpRequest,
    uuid: UUID,
    group: Literal["course", "cohort", "region", "organization"] = "course",
    start: date | None = None,
    end: date | None = None,
) -> Any:
    """Enrolment, attendance and completion by course, cohort, region or organization; the
    period selects the cohorts running during it (see the report page)."""
    user = caller(request)
    school = selectors.get_school_for(user, uuid)
    report = reports.school_report(user, school, group, reports.Period(start, end))
    total = _row(report.total)
    total["key"] = ""
    return {
        "group": report.group,
        "start": start,
        "end": end,
        "rows": [_row(row) for row in report.rows],
        "total": total,
    }
