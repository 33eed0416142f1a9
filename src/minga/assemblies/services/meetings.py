"""Meetings: agenda, registration, check-in, minutes, decisions and working tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded, unguarded

from .. import selectors
from ..models import (
    AgendaItem,
    Attendance,
    BodyMembership,
    Meeting,
    MeetingDecision,
    Proposal,
    Vote,
    WorkingTable,
)
from .base import _as_stored, _body_of, _meeting_of, _now

if TYPE_CHECKING:
    from minga.registry.models import Body

# Meetings


@unguarded("the worker writes down the quorum of ended meetings; services call it first")
def meeting_quorums_record(*, body: Body | None = None, now: datetime | None = None) -> int:
    """Write down the quorum of every ended meeting that has none yet (of one body, or all).

    Run by the background step when meetings end, and before anything that would change a
    past meeting's figures (a seat added or reweighted, new rules), so a past meeting's
    quorum never changes. Running it twice writes nothing more.
    """
    moment = _now(now)
    meetings = Meeting.objects.filter(ends_at__lte=moment, quorum_record__isnull=True)
    if body is not None:
        meetings = meetings.filter(body=body)
    recorded = 0
    for meeting in meetings.select_related("body"):
        status = selectors.meeting_quorum(meeting, now=moment)
        Meeting.objects.filter(pk=meeting.pk, quorum_record__isnull=True).update(
            quorum_record=status.to_record()
        )
        recorded += 1
    return recorded


def _schedule_quorum_record(moment: datetime) -> None:
    from ..tasks import record_meeting_quorums

    if record_meeting_quorums.get_backend().supports_defer:
        record_meeting_quorums.using(run_after=moment).enqueue()


@guarded("assemblies.body.manage", on="body")
@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_url: str = "",
    description: str = "",
    agenda: Sequence[str] = (),
    visibility: str = Visibility.PUBLIC,
) -> Meeting:
    if not place.strip() and not online_url.strip():
        raise DomainError(
            _("Give a place, an online link, or both."), "place", code="place_missing"
        )
    meeting = Meeting(
        body=body,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        description=description,
        visibility=visibility,
    )
    if ends_at <= starts_at:
        raise DomainError(
            _("A meeting ends after it starts."), "ends_at", code="meeting_ends_before_start"
        )
    try:
        meeting.full_clean(exclude=["uuid", "body"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        message = " ".join(messages)
        raise DomainError(message, name, code="invalid_meeting") from error
    meeting.save()
    transaction.on_commit(lambda: _schedule_quorum_record(ends_at))
    for position, item in enumerate(agenda, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=item.strip())
    audit.record(
        actor=actor,
        action=AssembliesEvent.MEETING_CREATE,
        target=meeting,
        changes={"agenda": [None, list(agenda)]},
    )
    return meeting


@guarded("assemblies.meeting.manage", on="meeting")
@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    description: str = "",
    proposal: Proposal | None = None,
) -> AgendaItem:
    if proposal is not None and proposal.body_id != meeting.body_id:
        raise DomainError(
            _("The proposal belongs to another body."), "proposal", code="proposal_of_another_body"
        )
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        title=title.strip(),
        description=description,
        proposal=proposal,
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.AGENDA_ADD,
        target=meeting,
        changes={"item": [None, item.title]},
    )
    return item


def _seat_for(person: Any, body: Body, membership: BodyMembership | None) -> BodyMembership:
    seats = selectors.seats_of(person, body)
    if membership is not None:
        if membership.pk not in {seat.pk for seat in seats}:
            raise DomainError(
                _("You are not accredited for this member."),
                "membership",
                code="not_accredited_for_member",
            )
        return membership
    if not seats:
        raise DomainError(
            _("Only delegates accredited to this body for one of its members may do this."),
            "membership",
            code="not_accredited",
        )
    if len(seats) > 1:
        raise DomainError(
            _("Say which member you act for."), "membership", code="membership_missing"
        )
    return seats[0]


@guarded("assemblies.body.take_part", on="meeting", via=_body_of)
@transaction.atomic
def attendance_register(
    *, actor: Any, meeting: Meeting, membership: BodyMembership | None = None
) -> Attendance:
    """Announce that a delegate will come; registering twice changes nothing."""
    if timezone.now() >= meeting.ends_at:
        raise DomainError(
            _("This meeting has ended; registration is closed."), "meeting", code="meeting_ended"
        )
    seat = _seat_for(actor, meeting.body, membership)
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting,
        membership=seat,
        defaults={"person": actor, "registered_at": timezone.now()},
    )
    if created:
        audit.record(
            actor=actor,
            action=AssembliesEvent.MEETING_REGISTER,
            target=meeting,
            changes={"member": [None, str(seat.organization)]},
        )
    return attendance


@guarded("assemblies.meeting.check_in", on="meeting")
@transaction.atomic
def attendance_check_in(
    *,
    actor: Any,
    meeting: Meeting,
    person: Any = None,
    membership: BodyMembership | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Check a delegate in (the delegate themself, or a person at the door for them).

    Only accredited delegates of current members; checking in twice changes nothing.
    """
    moment = _now(now)
    if moment >= meeting.ends_at:
        # A past meeting's attendance, and so its quorum, is settled.
        raise DomainError(
            _("This meeting has ended; check-in is closed."), "meeting", code="meeting_ended"
        )
    delegate = person or actor
    seat = _seat_for(delegate, meeting.body, membership)
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, membership=seat)
        .first()
    )
    if attendance is not None and attendance.checked_in_at is not None:
        return attendance
    if attendance is None:
        attendance = Attendance(
            meeting=meeting, membership=seat, person=delegate, registered_at=moment
        )
    attendance.person = delegate
    attendance.checked_in_at = moment
    attendance.save()
    audit.record(
        actor=actor,
        action=AssembliesEvent.MEETING_CHECK_IN,
        target=meeting,
        changes={"member": [None, str(seat.organization)], "person": [None, str(delegate)]},
    )
    return attendance


@guarded("assemblies.meeting.manage", on="meeting")
@transaction.atomic
def meeting_minutes_write(
    *, actor: Any, meeting: Meeting, minutes: str, language: str = "es"
) -> Meeting:
    before = meeting.minutes
    meeting.minutes = minutes
    meeting.minutes_language = language
    meeting.save(update_fields=["minutes", "minutes_language", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.MEETING_MINUTES,
        target=meeting,
        changes={"minutes": [len(before), len(minutes)]},
    )
    return meeting


@guarded("assemblies.meeting.manage", on="agenda_item", via=_meeting_of)
@transaction.atomic
def decision_record(
    *, actor: Any, agenda_item: AgendaItem, text: str, vote: Vote | None = None
) -> MeetingDecision:
    if not text.strip():
        raise DomainError(_("Write the decision."), "text", code="decision_text_missing")
    if vote is not None and vote.body_id != agenda_item.meeting.body_id:
        raise DomainError(
            _("The vote belongs to another body."), "vote", code="vote_of_another_body"
        )
    decision = MeetingDecision.objects.create(
        agenda_item=agenda_item, text=text, vote=vote, recorded_by=actor, recorded_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.MEETING_DECISION,
        target=agenda_item.meeting,
        changes={"decision": [None, text[:200]]},
    )
    return decision


# Working tables


@guarded("assemblies.meeting.manage", on="meeting")
@transaction.atomic
def working_table_create(
    *,
    actor: Any,
    meeting: Meeting,
    name: str,
    theme: str = "",
    agenda_items: Sequence[AgendaItem] = (),
    rapporteur: Any = None,
) -> WorkingTable:
    """A table of the meeting; its agenda items must be the meeting's own."""
    if not name.strip():
        raise DomainError(_("Give the working table a name."), "name", code="name_missing")
    if WorkingTable.objects.filter(meeting=meeting, name=name.strip()).exists():
        raise DomainError(
            _("This meeting already has a table with that name."), "name", code="table_name_taken"
        )
    if any(item.meeting_id != meeting.pk for item in agenda_items):
        raise DomainError(
            _("Link only items of this meeting's agenda."),
            "agenda_items",
            code="agenda_item_of_another_meeting",
        )
    table = WorkingTable.objects.create(meeting=meeting, name=name.strip(), theme=theme.strip())
    table.agenda_items.set(agenda_items)
    audit.record(
        actor=actor,
        action=AssembliesEvent.TABLE_CREATE,
        target=table,
        changes={"name": [None, table.name], "agenda_items": [None, len(agenda_items)]},
    )
    if rapporteur is not None:
        working_table_assign_rapporteur(actor=actor, table=table, rapporteur=rapporteur)
    return table


@guarded("assemblies.meeting.manage", on="table", via=_meeting_of)
@transaction.atomic
def working_table_assign_rapporteur(
    *, actor: Any, table: WorkingTable, rapporteur: Any
) -> WorkingTable:
    """Name (or change) the person who writes the table's report."""
    if rapporteur is None or not getattr(rapporteur, "is_active", False):
        raise DomainError(
            _("Choose an active person as rapporteur."), "rapporteur", code="rapporteur_inactive"
        )
    table = WorkingTable.objects.select_for_update(of=("self",)).get(pk=table.pk)
    before = table.rapporteur_id
    if before == rapporteur.pk:
        return table
    table.rapporteur = rapporteur
    table.save(update_fields=["rapporteur", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.TABLE_RAPPORTEUR,
        target=table,
        changes={"rapporteur": [before, rapporteur.pk]},
    )
    return table


@guarded("assemblies.working_table.report", on="table", via=_as_stored)
@transaction.atomic
def working_table_report_write(
    *,
    actor: Any,
    table: WorkingTable,
    report: str,
    language: str = "es",
    now: datetime | None = None,
) -> WorkingTable:
    """The rapporteur writes (or rewrites) the table's report, in Markdown."""
    table = WorkingTable.objects.select_for_update(of=("self",)).get(pk=table.pk)
    if not report.strip():
        raise DomainError(_("Write the report."), "report", code="report_empty")
    if len(language) > 16 or not language.strip():
        raise DomainError(
            _("Give the language of the report."), "language", code="language_missing"
        )
    before = len(table.report)
    table.report = report
    table.report_language = language
    table.reported_at = _now(now)
    table.save(update_fields=["report", "report_language", "reported_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.TABLE_REPORT,
        target=table,
        changes={"report": [before, len(report)]},
    )
    return table
