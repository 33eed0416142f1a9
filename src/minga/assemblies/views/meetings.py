"""Pages of meetings: agenda, check-in, registration, management, working tables, minutes."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common import ical
from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from .. import exports, selectors, services
from ..forms import (
    AgendaItemForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    RapporteurForm,
    ReportForm,
    WorkingTableForm,
)
from ..models import (
    AgendaItem,
    BodyMembership,
)
from .documents import _document_response
from .inputs import optional_uuid


def meeting_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    items = meeting.agenda_items.select_related("proposal").prefetch_related("decisions")
    context = {
        "meeting": meeting,
        "items": items,
        "quorum": selectors.meeting_quorum(meeting),
        "attendances": selectors.meeting_attendances(meeting)
        if request.user.is_authenticated
        else [],
        "can_check_in": has_perm(request.user, "assemblies.body.take_part", meeting.body),
        "ended": timezone.now() >= meeting.ends_at,
        "can_manage": has_perm(request.user, "assemblies.meeting.manage", meeting),
        "agenda_form": AgendaItemForm(),
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "language": meeting.minutes_language}
        ),
        "tables": selectors.meeting_working_tables(meeting),
    }
    return render(request, "assemblies/meeting_detail.html", context)


def meeting_ics(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    items = meeting.agenda_items.values_list("position", "title")
    text = ical.calendar(
        uid=f"{meeting.uuid}@minga",
        stamp=meeting.updated_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=meeting.place or meeting.online_url,
        description=ical.agenda_description(meeting.description, items, meeting.online_url),
        url=meeting.get_canonical_url(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.uuid}.ics"'
    return response


@login_required
@require_POST
def meeting_check_in(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.body.take_part", meeting.body)
    membership = optional_uuid(request.POST.get("membership"))
    seat = (
        get_object_or_404(BodyMembership, uuid=membership, body=meeting.body)
        if membership
        else None
    )
    try:
        services.attendance_check_in(actor=request.user, meeting=meeting, membership=seat)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are checked in."))
    return redirect(meeting)


@login_required
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.get_body_for(request.user, slug=slug)
    require(request.user, "assemblies.body.manage", body)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user,
                body=body,
                title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                place=form.cleaned_data["place"],
                online_url=form.cleaned_data["online_url"],
                description=form.cleaned_data["description"],
                agenda=form.agenda_items(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(meeting)
    return render(request, "assemblies/form_page.html", {"body": body, "form": form})


@login_required
@require_POST
def meeting_register(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.body.take_part", meeting.body)
    try:
        services.attendance_register(actor=request.user, meeting=meeting)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are registered."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_manage(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The secretary's forms on the meeting page: add an agenda item, minutes, a decision."""
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.meeting.manage", meeting)
    part = request.POST.get("part", "")
    try:
        if part == "agenda":
            agenda_form = AgendaItemForm(request.POST)
            if agenda_form.is_valid():
                services.agenda_item_add(
                    actor=request.user, meeting=meeting, title=agenda_form.cleaned_data["title"]
                )
        elif part == "minutes":
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                services.meeting_minutes_write(
                    actor=request.user,
                    meeting=meeting,
                    minutes=minutes_form.cleaned_data["minutes"],
                    language=minutes_form.cleaned_data["language"],
                )
        elif part == "decision":
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                item = get_object_or_404(
                    AgendaItem, meeting=meeting, pk=decision_form.cleaned_data["agenda_item"]
                )
                services.decision_record(
                    actor=request.user, agenda_item=item, text=decision_form.cleaned_data["text"]
                )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(meeting)


# Working tables


@login_required
def working_table_new(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    meeting = selectors.get_meeting_for(request.user, uuid)
    require(request.user, "assemblies.meeting.manage", meeting)
    form = WorkingTableForm(
        request.POST or None,
        meeting=meeting,
        people=selectors.rapporteur_candidates(meeting.body),
    )
    if request.method == "POST" and form.is_valid():
        try:
            table = services.working_table_create(
                actor=request.user,
                meeting=meeting,
                name=form.cleaned_data["name"],
                theme=form.cleaned_data["theme"],
                agenda_items=list(form.cleaned_data["agenda_items"]),
                rapporteur=form.cleaned_data["rapporteur"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(table)
    return render(request, "assemblies/form_page.html", {"body": meeting.body, "form": form})


def working_table_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    table = selectors.get_working_table_for(request.user, uuid)
    can_manage = has_perm(request.user, "assemblies.meeting.manage", table.meeting)
    can_report = has_perm(request.user, "assemblies.working_table.report", table)
    context = {
        "table": table,
        "items": table.agenda_items.all(),
        "can_manage": can_manage,
        "can_report": can_report,
        "rapporteur_form": RapporteurForm(
            people=selectors.rapporteur_candidates(table.meeting.body),
            initial={"rapporteur": table.rapporteur_id},
        )
        if can_manage
        else None,
        "report_form": ReportForm(
            initial={"report": table.report, "language": table.report_language}
        )
        if can_report
        else None,
    }
    return render(request, "assemblies/working_table_detail.html", context)


@login_required
@require_POST
def working_table_rapporteur(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    table = selectors.get_working_table_for(request.user, uuid)
    require(request.user, "assemblies.meeting.manage", table.meeting)
    form = RapporteurForm(request.POST, people=selectors.rapporteur_candidates(table.meeting.body))
    if not form.is_valid():
        messages.error(request, _("Choose an active person as rapporteur."))
        return redirect(table)
    try:
        services.working_table_assign_rapporteur(
            actor=request.user, table=table, rapporteur=form.cleaned_data["rapporteur"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(table)


@login_required
@require_POST
def working_table_report(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    table = selectors.get_working_table_for(request.user, uuid)
    require(request.user, "assemblies.working_table.report", table)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the report."))
        return redirect(table)
    try:
        services.working_table_report_write(
            actor=request.user,
            table=table,
            report=form.cleaned_data["report"],
            language=form.cleaned_data["language"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report was saved."))
    return redirect(table)


def meeting_minutes_export(request: HttpRequest, uuid: uuid_lib.UUID, fmt: str) -> HttpResponse:
    """The minutes as a standalone accessible HTML page or as a PDF."""
    meeting = selectors.get_meeting_for(request.user, uuid)
    return _document_response(exports.minutes_document(meeting), fmt, f"minutes-{meeting.uuid}")
