"""API of meetings: agenda, registration, check-in, minutes, decisions, working tables."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.markdown import render_markdown
from minga.common.permissions import require

from .. import selectors, services
from ..models import (
    AgendaItem,
    Attendance,
    Meeting,
)
from .bodies import _seat
from .inputs import Input, Text

router = Router(tags=["assemblies"])


class AgendaItemOut(Schema):
    position: int
    title: str
    proposal: UUID | None
    decisions_html: list[str] = []

    @staticmethod
    def resolve_decisions_html(obj: AgendaItem) -> list[str]:
        return [str(render_markdown(decision.text)) for decision in obj.decisions.all()]

    @staticmethod
    def resolve_proposal(obj: AgendaItem) -> UUID | None:
        return obj.proposal.uuid if obj.proposal else None


class QuorumOut(Schema):
    rules_version: int | None
    basis: str
    required: str
    present_members: int
    total_members: int
    present_weight: int
    total_weight: int
    met: bool


class MeetingOut(Schema):
    uuid: UUID
    url: str
    body: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    description: str

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: Meeting) -> str:
        return obj.body.slug


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    quorum: QuorumOut
    minutes_html: str

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[AgendaItem]:
        return list(obj.agenda_items.select_related("proposal").prefetch_related("decisions"))

    @staticmethod
    def resolve_quorum(obj: Meeting) -> dict[str, Any]:
        status = selectors.meeting_quorum(obj)
        return {
            "rules_version": status.rules_version,
            "basis": status.basis,
            "required": str(status.required),
            "present_members": status.present_members,
            "total_members": status.total_members,
            "present_weight": status.present_weight,
            "total_weight": status.total_weight,
            "met": status.met,
        }

    @staticmethod
    def resolve_minutes_html(obj: Meeting) -> str:
        return str(render_markdown(obj.minutes))


class MeetingIn(Input):
    body: Text
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    online_url: str = ""
    description: str = ""
    agenda: list[str] = []


class CheckInIn(Input):
    membership: UUID | None = None


class AttendanceOut(Schema):
    member: str
    checked_in_at: datetime | None

    @staticmethod
    def resolve_member(obj: Attendance) -> str:
        return obj.membership.organization.name


@router.get("/meetings", response=list[MeetingOut])
@paginate(Pages, page_size=50)
def list_meetings(request: HttpRequest, body: Text = "") -> Any:
    user = caller(request)
    chosen = selectors.get_body_for(user, slug=body) if body else None
    return selectors.visible_meetings(user, chosen)


@router.get("/meetings/{uuid}", response={200: MeetingDetailOut, 404: ErrorOut})
def get_meeting(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_meeting_for(caller(request), uuid)


@router.post("/meetings", response={201: MeetingDetailOut, 403: ErrorOut, 422: ErrorOut})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=payload.body)
    require(user, "assemblies.body.manage", body)
    meeting = services.meeting_create(actor=user, **{**payload.dict(), "body": body})
    return Status(201, meeting)


@router.post(
    "/meetings/{uuid}/check-in",
    response={201: AttendanceOut, 200: AttendanceOut, 403: ErrorOut, 422: ErrorOut},
)
def check_in(request: HttpRequest, uuid: UUID, payload: CheckInIn) -> Any:
    """Check the caller in; checking in again answers 200 with the same attendance."""
    user = signed_in(request)
    meeting = selectors.get_meeting_for(user, uuid)
    require(user, "assemblies.body.take_part", meeting.body)
    seat = _seat(meeting.body, payload.membership)
    before = Attendance.objects.filter(
        meeting=meeting, person=user, checked_in_at__isnull=False
    ).exists()
    attendance = services.attendance_check_in(actor=user, meeting=meeting, membership=seat)
    return Status(200 if before else 201, attendance)


class AgendaItemIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    proposal: UUID | None = None


class MinutesIn(Input):
    minutes: str
    language: str = "es"


class DecisionIn(Input):
    position: int
    text: str = Field(..., min_length=1)
    vote: UUID | None = None


class DecisionOut(Schema):
    position: int
    text_html: str

    @staticmethod
    def resolve_position(obj: Any) -> int:
        return obj.agenda_item.position  # type: ignore[no-any-return]

    @staticmethod
    def resolve_text_html(obj: Any) -> str:
        return str(render_markdown(obj.text))


def _managed_meeting(request: HttpRequest, uuid: UUID) -> tuple[Any, Meeting]:
    user = signed_in(request)
    meeting = selectors.get_meeting_for(user, uuid)
    require(user, "assemblies.meeting.manage", meeting)
    return user, meeting


@router.post(
    "/meetings/{uuid}/register",
    response={201: AttendanceOut, 200: AttendanceOut, 403: ErrorOut, 422: ErrorOut},
)
def register(request: HttpRequest, uuid: UUID, payload: CheckInIn) -> Any:
    """Announce that the caller's member will come; repeating answers 200."""
    user = signed_in(request)
    meeting = selectors.get_meeting_for(user, uuid)
    require(user, "assemblies.body.take_part", meeting.body)
    seat = _seat(meeting.body, payload.membership)
    count = Attendance.objects.filter(meeting=meeting).count()
    attendance = services.attendance_register(actor=user, meeting=meeting, membership=seat)
    created = Attendance.objects.filter(meeting=meeting).count() > count
    return Status(201 if created else 200, attendance)


@router.post("/meetings/{uuid}/agenda", response={201: AgendaItemOut, 403: ErrorOut, 422: ErrorOut})
def add_agenda_item(request: HttpRequest, uuid: UUID, payload: AgendaItemIn) -> Any:
    user, meeting = _managed_meeting(request, uuid)
    proposal = selectors.get_proposal_for(user, payload.proposal) if payload.proposal else None
    item = services.agenda_item_add(
        actor=user,
        meeting=meeting,
        title=payload.title,
        description=payload.description,
        proposal=proposal,
    )
    return Status(201, item)


@router.put("/meetings/{uuid}/minutes", response={200: MeetingDetailOut, 403: ErrorOut})
def write_minutes(request: HttpRequest, uuid: UUID, payload: MinutesIn) -> Any:
    user, meeting = _managed_meeting(request, uuid)
    return services.meeting_minutes_write(
        actor=user, meeting=meeting, minutes=payload.minutes, language=payload.language
    )


@router.post(
    "/meetings/{uuid}/decisions", response={201: DecisionOut, 403: ErrorOut, 422: ErrorOut}
)
def record_decision(request: HttpRequest, uuid: UUID, payload: DecisionIn) -> Any:
    """A decision in the minutes, under the agenda item at ``position``."""
    user, meeting = _managed_meeting(request, uuid)
    item = get_object_or_404(AgendaItem, meeting=meeting, position=payload.position)
    vote = selectors.get_vote_for(user, payload.vote) if payload.vote else None
    decision = services.decision_record(actor=user, agenda_item=item, text=payload.text, vote=vote)
    return Status(201, decision)


# Working tables, translations, documents, debates


class WorkingTableOut(Schema):
    uuid: UUID
    url: str
    name: str
    theme: str
    rapporteur: str | None
    agenda_items: list[int]
    report_html: str
    report_language: str
    reported_at: datetime | None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_rapporteur(obj: Any) -> str | None:
        return obj.rapporteur.username if obj.rapporteur else None

    @staticmethod
    def resolve_agenda_items(obj: Any) -> list[int]:
        return [item.position for item in obj.agenda_items.all()]

    @staticmethod
    def resolve_report_html(obj: Any) -> str:
        return str(render_markdown(obj.report))


class ReportIn(Input):
    report: str = Field(..., min_length=1)
    language: str = "es"


@router.get("/meetings/{uuid}/tables", response=list[WorkingTableOut])
def list_working_tables(request: HttpRequest, uuid: UUID) -> Any:
    meeting = selectors.get_meeting_for(caller(request), uuid)
    return list(selectors.meeting_working_tables(meeting))


@router.post("/tables/{uuid}/report", response={200: WorkingTableOut, 403: ErrorOut, 422: ErrorOut})
def write_working_table_report(request: HttpRequest, uuid: UUID, payload: ReportIn) -> Any:
    user = signed_in(request)
    table = selectors.get_working_table_for(user, uuid)
    require(user, "assemblies.working_table.report", table)
    services.working_table_report_write(
        actor=user, table=table, report=payload.report, language=payload.language
    )
    return selectors.get_working_table_for(user, uuid)
