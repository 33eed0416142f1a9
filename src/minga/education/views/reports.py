"""A school's report for its coordinators: a page with charts and tables, and its CSV."""

from __future__ import annotations

import uuid as uuid_lib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from minga.common.errors import DomainError
from minga.common.permissions import require
from minga.core.education.reports import Report

from .. import reports, selectors
from ..forms import ReportForm
from ..models import School
from ._shared import form_error


def _read(request: HttpRequest, uuid: uuid_lib.UUID) -> tuple[School, ReportForm, Report | None]:
    """The school, the form and the report it asks for (``None`` when the form is wrong);
    anyone but the school's coordinators is refused before anything is counted."""
    school = selectors.get_school_for(request.user, uuid)
    require(request.user, "education.school.coordinate", school)
    form = ReportForm(request.GET or None)
    group, period = "course", reports.Period()
    if form.is_bound and not form.is_valid():
        return school, form, None
    if form.is_bound:
        group = form.cleaned_data["group"] or "course"
        try:
            period = reports.Period(form.cleaned_data["start"], form.cleaned_data["end"])
        except DomainError as error:
            form_error(form, error)
            return school, form, None
    report = reports.school_report(request.user, school, group, period)
    return school, form, report


def school_report(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    school, form, report = _read(request, uuid)
    return render(
        request,
        "education/report.html",
        {
            "school": school,
            "form": form,
            "report": report,
            "charts": reports.charts(report) if report else [],
            "group_name": reports.GROUP_NAMES[report.group] if report else "",
            "query": request.GET.urlencode(),
        },
    )


def school_report_csv(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    school, _form, report = _read(request, uuid)
    if report is None:
        return school_report(request, uuid)
    response = HttpResponse(
        "\ufeff" + reports.report_csv(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"minga-school-{school.uuid}-{report.group}.csv"
    )
    response["Cache-Control"] = "private"
    return response
