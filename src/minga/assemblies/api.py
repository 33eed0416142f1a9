"""API of the assemblies: bodies and rules, meetings, proposals, amendments, votes."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, caller, refused, signed_in
from minga.common.markdown import render_markdown
from minga.common.permissions import require
from minga.registry.models import Organization
from minga.registry.selectors import get_organization_for

from . import selectors, services
from .diff import diff_html
from .models import (
    AgendaItem,
    Amendment,
    Attendance,
    BodyMembership,
    Comment,
    DecisionKind,
    Declaration,
    DeclarationKind,
    Endorsement,
    FollowUpResult,
    Meeting,
    Milestone,
    Proposal,
    ProposalVersion,
    ResultStatus,
    Vote,
    VotingMethod,
)
from .rules import amendment_rule, transition_rule

router = Router(tags=["assemblies"])


class RulesOut(Schema):
    version: int
    quorum: str
    quorum_basis: str
    ordinary: str
    statute_change: str
    rules_change: str
    allowed_methods: list[str]
    proposers: str
    amendment_window_days: int
    delegation_allowed: bool
    ballot_change_allowed: bool


class RulesIn(Schema):
    quorum: str = "1/2"
    quorum_basis: str = "members"
    ordinary: str = "1/2"
    statute_change: str = "2/3"
    rules_change: str = "2/3"
    allowed_methods: list[VotingMethod] = [VotingMethod.MAJORITY, VotingMethod.CONSENT]
    proposers: str = "delegates"
    amendment_window_days: int = Field(14, ge=0, le=365)
    delegation_allowed: bool = True
    ballot_change_allowed: bool = False


class SeatOut(Schema):
    uuid: UUID
    organization: UUID
    organization_name: str
    weight: int

    @staticmethod
    def resolve_organization(obj: BodyMembership) -> UUID:
        return obj.organization.uuid

    @staticmethod
    def resolve_organization_name(obj: BodyMembership) -> str:
        return obj.organization.name


class SeatIn(Schema):
    organization: UUID
    weight: int = Field(1, ge=1)


class BodyOut(Schema):
    uuid: UUID
    slug: str
    name: str
    kind: str
    network: UUID
    rules: RulesOut | None

    @staticmethod
    def resolve_network(obj: Any) -> UUID:
        return obj.organization.uuid  # type: ignore[no-any-return]

    @staticmethod
    def resolve_rules(obj: Any) -> dict[str, Any] | None:
        rules = selectors.rules_in_force(obj)
        if rules is None:
            return None
        return {"version": rules.version, **services.rules_data_of(rules).to_json()}


class BodyDetailOut(BodyOut):
    members: list[SeatOut]

    @staticmethod
    def resolve_members(obj: Any) -> list[BodyMembership]:
        return list(selectors.current_memberships(obj))


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


class MeetingIn(Schema):
    body: str
    title: str = Field(..., min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    online_url: str = ""
    description: str = ""
    agenda: list[str] = []


class CheckInIn(Schema):
    membership: UUID | None = None


class AttendanceOut(Schema):
    member: str
    checked_in_at: datetime | None

    @staticmethod
    def resolve_member(obj: Attendance) -> str:
        return obj.membership.organization.name


class ProposalOut(Schema):
    uuid: UUID
    url: str
    body: str
    kind: str
    title: str
    language: str
    status: str
    author: str
    on_behalf_of: UUID
    comment_count: int
    version_count: int

    @staticmethod
    def resolve_url(obj: Proposal) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: Proposal) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_author(obj: Proposal) -> str:
        return obj.author.username

    @staticmethod
    def resolve_on_behalf_of(obj: Proposal) -> UUID:
        return obj.on_behalf_of.uuid


class ProposalDetailOut(ProposalOut):
    version: int
    text: str
    text_html: str
    amendments_close_at: datetime | None

    @staticmethod
    def resolve_version(obj: Proposal) -> int:
        return selectors.current_version(obj).number  # type: ignore[no-any-return]

    @staticmethod
    def resolve_text(obj: Proposal) -> str:
        return selectors.current_version(obj).text  # type: ignore[no-any-return]

    @staticmethod
    def resolve_text_html(obj: Proposal) -> str:
        return str(render_markdown(selectors.current_version(obj).text))


class ProposalIn(Schema):
    body: str
    on_behalf_of: UUID
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1)
    language: str = "es"
    kind: DecisionKind = DecisionKind.ORDINARY
    rules_payload: dict[str, Any] = {}


class TransitionIn(Schema):
    status: str
    reason: str = ""


class CommentOut(Schema):
    id: int
    parent: int | None
    author: str
    text_html: str
    language: str
    created_at: datetime

    @staticmethod
    def resolve_parent(obj: Comment) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_author(obj: Comment) -> str:
        return obj.author.username

    @staticmethod
    def resolve_text_html(obj: Comment) -> str:
        return obj.text_html or str(render_markdown(obj.text))


class CommentIn(Schema):
    text: str = Field(..., min_length=1)
    parent: int | None = None
    language: str = "es"


class AmendmentOut(Schema):
    uuid: UUID
    base_version: int
    status: str
    author: str
    new_text: str
    rationale: str

    @staticmethod
    def resolve_base_version(obj: Amendment) -> int:
        return obj.base_version.number

    @staticmethod
    def resolve_author(obj: Amendment) -> str:
        return obj.author.username


class AmendmentIn(Schema):
    base_version: int
    new_text: str = Field(..., min_length=1)
    on_behalf_of: UUID
    rationale: str = ""


class AmendmentDecisionIn(Schema):
    action: str = Field(..., pattern="^(accept|decline|to_vote|withdraw)$")


class DiffOut(Schema):
    from_version: int
    to_version: int
    html: str


class TallyOut(Schema):
    rules_version: int
    winners: list[str]
    adopted: bool | None
    quorum_met: bool
    participating_weight: int
    total_weight: int
    result: dict[str, Any]


class VoteOut(Schema):
    uuid: UUID
    url: str
    body: str
    proposal: UUID | None
    title: str
    method: str
    choices: list[str]
    seats: int
    opens_at: datetime
    closes_at: datetime
    secret: bool
    changeable: bool
    rules_version: int
    state: str
    tally: TallyOut | None

    @staticmethod
    def resolve_url(obj: Vote) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: Vote) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_proposal(obj: Vote) -> UUID | None:
        return obj.proposal.uuid if obj.proposal else None

    @staticmethod
    def resolve_rules_version(obj: Vote) -> int:
        return obj.rules.version

    @staticmethod
    def resolve_state(obj: Vote) -> str:
        return selectors.vote_state(obj)

    @staticmethod
    def resolve_tally(obj: Vote) -> Any:
        return getattr(obj, "tally", None) if obj.closed_at else None


class VoteIn(Schema):
    body: str
    title: str = Field(..., min_length=1, max_length=200)
    method: VotingMethod
    opens_at: datetime
    closes_at: datetime
    secret: bool = False
    proposal: UUID | None = None
    amendment: UUID | None = None
    choices: list[str] = []
    seats: int = Field(1, ge=1)


class BallotIn(Schema):
    contents: dict[str, Any]
    membership: UUID | None = None
    receipt: str = ""


class BallotOut(Schema):
    receipt: str | None
    replaced: bool
    weight: int


class ReceiptIn(Schema):
    receipt: str


class ReceiptCheckOut(Schema):
    counted: bool


class DelegationIn(Schema):
    delegator: UUID
    delegate: UUID
    proposal: UUID | None = None


class DelegationOut(Schema):
    uuid: UUID
    delegator: str
    delegate: str

    @staticmethod
    def resolve_delegator(obj: Any) -> str:
        return obj.delegator.organization.name  # type: ignore[no-any-return]

    @staticmethod
    def resolve_delegate(obj: Any) -> str:
        return obj.delegate.organization.name  # type: ignore[no-any-return]


def _seat(body: Any, uuid: UUID | None) -> BodyMembership | None:
    if uuid is None:
        return None
    return get_object_or_404(BodyMembership, uuid=uuid, body=body)


@router.get("/bodies", response=list[BodyOut])
@paginate(PageNumberPagination, page_size=50)
def list_bodies(request: HttpRequest) -> Any:
    return selectors.visible_bodies(caller(request)).order_by("name")


@router.get("/bodies/{slug}", response={200: BodyDetailOut, 404: ErrorOut})
def get_body(request: HttpRequest, slug: str) -> Any:
    return selectors.get_body_for(caller(request), slug=slug)


@router.post("/bodies/{slug}/rules", response={201: BodyDetailOut, 403: ErrorOut, 422: ErrorOut})
def establish_rules(request: HttpRequest, slug: str, payload: RulesIn) -> Any:
    """The body's first rules; later versions come only from adopted rules changes."""
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=slug)
    require(user, "assemblies.body.manage", body)
    data = services.RulesData(**payload.dict())
    try:
        services.body_rules_establish(actor=user, body=body, data=data)
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, body)


@router.post(
    "/bodies/{slug}/members", response={201: SeatOut, 200: SeatOut, 403: ErrorOut, 422: ErrorOut}
)
def add_member(request: HttpRequest, slug: str, payload: SeatIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=slug)
    require(user, "assemblies.body.manage", body)
    organization = get_organization_for(user, uuid=payload.organization)
    existed = BodyMembership.objects.filter(
        body=body, organization=organization, ended_on__isnull=True
    ).exists()
    try:
        seat = services.body_membership_add(
            actor=user, body=body, organization=organization, weight=payload.weight
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(200 if existed else 201, seat)


@router.get("/meetings", response=list[MeetingOut])
@paginate(PageNumberPagination, page_size=50)
def list_meetings(request: HttpRequest, body: str = "") -> Any:
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
    try:
        meeting = services.meeting_create(actor=user, **{**payload.dict(), "body": body})
    except services.AssemblyError as error:
        raise refused(error) from error
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
    try:
        attendance = services.attendance_check_in(actor=user, meeting=meeting, membership=seat)
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(200 if before else 201, attendance)


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    proposal: UUID | None = None


class MinutesIn(Schema):
    minutes: str
    language: str = "es"


class DecisionIn(Schema):
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
    try:
        attendance = services.attendance_register(actor=user, meeting=meeting, membership=seat)
    except services.AssemblyError as error:
        raise refused(error) from error
    created = Attendance.objects.filter(meeting=meeting).count() > count
    return Status(201 if created else 200, attendance)


@router.post("/meetings/{uuid}/agenda", response={201: AgendaItemOut, 403: ErrorOut, 422: ErrorOut})
def add_agenda_item(request: HttpRequest, uuid: UUID, payload: AgendaItemIn) -> Any:
    user, meeting = _managed_meeting(request, uuid)
    proposal = selectors.get_proposal_for(user, payload.proposal) if payload.proposal else None
    try:
        item = services.agenda_item_add(
            actor=user,
            meeting=meeting,
            title=payload.title,
            description=payload.description,
            proposal=proposal,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
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
    try:
        decision = services.decision_record(
            actor=user, agenda_item=item, text=payload.text, vote=vote
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, decision)


@router.get("/proposals", response=list[ProposalOut])
@paginate(PageNumberPagination, page_size=50)
def list_proposals(request: HttpRequest, body: str = "", status: str = "") -> Any:
    user = caller(request)
    chosen = selectors.get_body_for(user, slug=body) if body else None
    proposals = selectors.visible_proposals(user, chosen)
    return proposals.filter(status=status) if status else proposals


@router.get("/proposals/{uuid}", response={200: ProposalDetailOut, 404: ErrorOut})
def get_proposal(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_proposal_for(caller(request), uuid)


@router.post("/proposals", response={201: ProposalDetailOut, 403: ErrorOut, 422: ErrorOut})
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=payload.body)
    require(user, "assemblies.proposal.create", body)
    organization = get_object_or_404(Organization, uuid=payload.on_behalf_of)
    try:
        proposal = services.proposal_create(
            actor=user,
            body=body,
            on_behalf_of=organization,
            title=payload.title,
            text=payload.text,
            language=payload.language,
            kind=payload.kind,
            rules_payload=payload.rules_payload,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, selectors.get_proposal_for(user, proposal.uuid))


@router.post(
    "/proposals/{uuid}/status", response={200: ProposalDetailOut, 403: ErrorOut, 422: ErrorOut}
)
def move_proposal(request: HttpRequest, uuid: UUID, payload: TransitionIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, transition_rule(payload.status), proposal)
    try:
        services.proposal_transition(
            actor=user, proposal=proposal, to_status=payload.status, reason=payload.reason
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return selectors.get_proposal_for(user, uuid)


@router.get("/proposals/{uuid}/comments", response=list[CommentOut])
@paginate(PageNumberPagination, page_size=100)
def list_comments(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return proposal.comments.select_related("author").order_by("created_at", "id")


@router.post("/proposals/{uuid}/comments", response={201: CommentOut, 403: ErrorOut, 422: ErrorOut})
def add_comment(request: HttpRequest, uuid: UUID, payload: CommentIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.proposal.comment", proposal)
    parent = (
        get_object_or_404(Comment, pk=payload.parent, proposal=proposal) if payload.parent else None
    )
    try:
        comment = services.comment_add(
            actor=user,
            proposal=proposal,
            text=payload.text,
            parent=parent,
            language=payload.language,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, comment)


@router.get("/proposals/{uuid}/amendments", response=list[AmendmentOut])
def list_amendments(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return list(selectors.proposal_amendments(proposal))


@router.post(
    "/proposals/{uuid}/amendments", response={201: AmendmentOut, 403: ErrorOut, 422: ErrorOut}
)
def propose_amendment(request: HttpRequest, uuid: UUID, payload: AmendmentIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.proposal.amend", proposal)
    base = get_object_or_404(ProposalVersion, proposal=proposal, number=payload.base_version)
    organization = get_object_or_404(Organization, uuid=payload.on_behalf_of)
    try:
        amendment = services.amendment_propose(
            actor=user,
            proposal=proposal,
            base_version=base,
            new_text=payload.new_text,
            rationale=payload.rationale,
            on_behalf_of=organization,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, amendment)


@router.post(
    "/amendments/{uuid}/decision", response={200: AmendmentOut, 403: ErrorOut, 422: ErrorOut}
)
def decide_amendment(request: HttpRequest, uuid: UUID, payload: AmendmentDecisionIn) -> Any:
    user = signed_in(request)
    amendment = get_object_or_404(Amendment.objects.select_related("proposal"), uuid=uuid)
    selectors.get_proposal_for(user, amendment.proposal.uuid)
    require(user, amendment_rule(payload.action), amendment)
    try:
        return services.amendment_decide(actor=user, amendment=amendment, action=payload.action)
    except services.AssemblyError as error:
        raise refused(error) from error


@router.get("/proposals/{uuid}/diff", response={200: DiffOut, 404: ErrorOut})
def proposal_diff(request: HttpRequest, uuid: UUID, from_version: int, to_version: int) -> Any:
    """The changes between two versions as HTML with <ins> and <del>, text escaped."""
    proposal = selectors.get_proposal_for(caller(request), uuid)
    old = get_object_or_404(ProposalVersion, proposal=proposal, number=from_version)
    new = get_object_or_404(ProposalVersion, proposal=proposal, number=to_version)
    return {
        "from_version": old.number,
        "to_version": new.number,
        "html": str(diff_html(old.text, new.text)),
    }


@router.get("/votes", response=list[VoteOut])
@paginate(PageNumberPagination, page_size=50)
def list_votes(request: HttpRequest, body: str = "") -> Any:
    user = caller(request)
    chosen = selectors.get_body_for(user, slug=body) if body else None
    return selectors.visible_votes(user, chosen).select_related("tally")


@router.get("/votes/{uuid}", response={200: VoteOut, 404: ErrorOut})
def get_vote(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_vote_for(caller(request), uuid)


@router.post("/votes", response={201: VoteOut, 403: ErrorOut, 422: ErrorOut})
def create_vote(request: HttpRequest, payload: VoteIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=payload.body)
    require(user, "assemblies.body.manage", body)
    proposal = selectors.get_proposal_for(user, payload.proposal) if payload.proposal else None
    amendment = (
        get_object_or_404(Amendment, uuid=payload.amendment, proposal__body=body)
        if payload.amendment
        else None
    )
    try:
        vote = services.vote_create(
            actor=user,
            body=body,
            title=payload.title,
            method=payload.method,
            opens_at=payload.opens_at,
            closes_at=payload.closes_at,
            secret=payload.secret,
            proposal=proposal,
            amendment=amendment,
            choices=payload.choices,
            seats=payload.seats,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, vote)


@router.post("/votes/{uuid}/ballots", response={201: BallotOut, 403: ErrorOut, 422: ErrorOut})
def cast_ballot(request: HttpRequest, uuid: UUID, payload: BallotIn) -> Any:
    """Cast a ballot; a secret one answers with its receipt code, shown only this once."""
    user = signed_in(request)
    vote = selectors.get_vote_for(user, uuid)
    require(user, "assemblies.vote.cast", vote)
    try:
        result = services.ballot_cast(
            actor=user,
            vote=vote,
            contents=payload.contents,
            membership=_seat(vote.body, payload.membership),
            receipt=payload.receipt,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, result)


@router.post("/votes/{uuid}/close", response={200: VoteOut, 403: ErrorOut, 422: ErrorOut})
def close_vote(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    vote = selectors.get_vote_for(user, uuid)
    require(user, "assemblies.vote.manage", vote)
    try:
        services.vote_close(actor=user, vote=vote)
    except services.AssemblyError as error:
        raise refused(error) from error
    return selectors.get_vote_for(user, uuid)


@router.post("/votes/{uuid}/close-now", response={200: VoteOut, 403: ErrorOut, 422: ErrorOut})
def close_vote_now(request: HttpRequest, uuid: UUID) -> Any:
    """End an open vote now (the chair, in the meeting) and count it."""
    user = signed_in(request)
    vote = selectors.get_vote_for(user, uuid)
    require(user, "assemblies.vote.manage", vote)
    try:
        services.vote_close_now(actor=user, vote=vote)
    except services.AssemblyError as error:
        raise refused(error) from error
    return selectors.get_vote_for(user, uuid)


@router.get("/votes/{uuid}/receipts", response={200: list[str], 404: ErrorOut})
def list_receipts(request: HttpRequest, uuid: UUID) -> Any:
    """SHA-256 digests of the receipts of the counted secret ballots, sorted."""
    return selectors.counted_receipts(selectors.get_vote_for(caller(request), uuid))


@router.post("/votes/{uuid}/receipts/check", response={200: ReceiptCheckOut, 404: ErrorOut})
def check_receipt(request: HttpRequest, uuid: UUID, payload: ReceiptIn) -> Any:
    vote = selectors.get_vote_for(caller(request), uuid)
    return {"counted": selectors.receipt_is_counted(vote, payload.receipt)}


@router.post("/delegations", response={201: DelegationOut, 403: ErrorOut, 422: ErrorOut})
def set_delegation(request: HttpRequest, payload: DelegationIn) -> Any:
    user = signed_in(request)
    delegator = get_object_or_404(
        BodyMembership.objects.select_related("body"), uuid=payload.delegator
    )
    body = selectors.get_body_for(user, uuid=delegator.body.uuid)
    require(user, "assemblies.body.take_part", body)
    delegate = get_object_or_404(BodyMembership, uuid=payload.delegate, body=body)
    proposal = selectors.get_proposal_for(user, payload.proposal) if payload.proposal else None
    try:
        delegation = services.delegation_set(
            actor=user, delegator=delegator, delegate=delegate, proposal=proposal
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, delegation)


class EndorsementOut(Schema):
    uuid: UUID
    organization: UUID
    organization_name: str
    endorsed_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str

    @staticmethod
    def resolve_organization(obj: Endorsement) -> UUID:
        return obj.organization.uuid

    @staticmethod
    def resolve_organization_name(obj: Endorsement) -> str:
        return obj.organization.name


class DeclarationOut(Schema):
    uuid: UUID
    url: str
    body: str
    proposal: UUID
    kind: str
    title: str
    language: str
    text: str
    published_at: datetime
    signatory_count: int

    @staticmethod
    def resolve_url(obj: Declaration) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: Declaration) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_proposal(obj: Declaration) -> UUID:
        return obj.proposal.uuid


class PublishIn(Schema):
    kind: DeclarationKind = DeclarationKind.RESOLUTION


class EndorseIn(Schema):
    organization: UUID


class WithdrawIn(Schema):
    reason: str = ""


@router.get("/declarations", response=list[DeclarationOut])
@paginate(PageNumberPagination, page_size=50)
def list_declarations(request: HttpRequest, body: str = "") -> Any:
    user = caller(request)
    chosen = selectors.get_body_for(user, slug=body) if body else None
    return selectors.visible_declarations(user, chosen).select_related("proposal")


@router.get("/declarations/{uuid}", response={200: DeclarationOut, 404: ErrorOut})
def get_declaration(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_declaration_for(caller(request), uuid)


@router.get(
    "/declarations/{uuid}/endorsements", response={200: list[EndorsementOut], 404: ErrorOut}
)
def list_endorsements(request: HttpRequest, uuid: UUID) -> Any:
    """Every signature, standing or withdrawn (with when and why), oldest first."""
    user = caller(request)
    return list(selectors.visible_signatories(user, selectors.get_declaration_for(user, uuid)))


@router.post(
    "/proposals/{uuid}/declaration",
    response={201: DeclarationOut, 200: DeclarationOut, 403: ErrorOut, 422: ErrorOut},
)
def publish_declaration(request: HttpRequest, uuid: UUID, payload: PublishIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.declaration.publish", proposal)
    existed = Declaration.objects.filter(proposal=proposal).exists()
    try:
        declaration = services.declaration_publish(actor=user, proposal=proposal, kind=payload.kind)
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(200 if existed else 201, selectors.get_declaration_for(user, declaration.uuid))


@router.post(
    "/declarations/{uuid}/endorsements",
    response={201: EndorsementOut, 200: EndorsementOut, 403: ErrorOut, 422: ErrorOut},
)
def endorse(request: HttpRequest, uuid: UUID, payload: EndorseIn) -> Any:
    user = signed_in(request)
    declaration = selectors.get_declaration_for(user, uuid)
    require(user, "assemblies.declaration.endorse", declaration)
    organization = get_organization_for(user, uuid=payload.organization)
    existed = declaration.endorsements.filter(
        organization=organization, withdrawn_at__isnull=True
    ).exists()
    try:
        endorsement = services.endorsement_add(
            actor=user, declaration=declaration, organization=organization
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(200 if existed else 201, endorsement)


@router.post(
    "/endorsements/{uuid}/withdraw", response={200: EndorsementOut, 403: ErrorOut, 422: ErrorOut}
)
def withdraw_endorsement(request: HttpRequest, uuid: UUID, payload: WithdrawIn) -> Any:
    user = signed_in(request)
    endorsement = get_object_or_404(
        Endorsement.objects.select_related("declaration", "organization"), uuid=uuid
    )
    selectors.get_declaration_for(user, endorsement.declaration.uuid)
    require(user, "assemblies.declaration.endorse", endorsement.declaration)
    try:
        return services.endorsement_withdraw(
            actor=user, endorsement=endorsement, reason=payload.reason
        )
    except services.AssemblyError as error:
        raise refused(error) from error


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    reached_on: date | None
    evidence_html: str
    evidence_url: str

    @staticmethod
    def resolve_evidence_html(obj: Milestone) -> str:
        return str(render_markdown(obj.evidence))


class ResultOut(Schema):
    uuid: UUID
    url: str
    body: str
    title: str
    responsible: UUID
    responsible_name: str
    parent: UUID | None
    status: str
    progress: int | None
    rolled_up_progress: int
    weight: int
    starts_on: date | None
    due_on: date | None

    @staticmethod
    def resolve_url(obj: FollowUpResult) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: FollowUpResult) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_responsible(obj: FollowUpResult) -> UUID:
        return obj.responsible.uuid

    @staticmethod
    def resolve_responsible_name(obj: FollowUpResult) -> str:
        return obj.responsible.name

    @staticmethod
    def resolve_parent(obj: FollowUpResult) -> UUID | None:
        return obj.parent.uuid if obj.parent else None

    @staticmethod
    def resolve_rolled_up_progress(obj: Any) -> int:
        value = getattr(obj, "rolled_up", None)
        return value if value is not None else selectors.rolled_up_progress([obj])[obj.pk]


class ResultDetailOut(ResultOut):
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj: FollowUpResult) -> list[Milestone]:
        return list(obj.milestones.all())


class ResultIn(Schema):
    body: str
    title: str = Field(..., min_length=1, max_length=200)
    responsible: UUID
    parent: UUID | None = None
    declaration: UUID | None = None
    description: str = ""
    starts_on: date | None = None
    due_on: date | None = None
    weight: int = Field(1, ge=1)


class ResultUpdateIn(Schema):
    status: ResultStatus
    progress: int | None = Field(None, ge=0, le=100)


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date | None = None


class MilestoneReachIn(Schema):
    reached_on: date
    evidence: str = ""
    evidence_url: str = ""


@router.get("/results", response=list[ResultOut])
@paginate(PageNumberPagination, page_size=50)
def list_results(
    request: HttpRequest,
    body: str = "",
    status: str = "",
    organization: str = "",
    overdue: bool = False,
) -> Any:
    """The follow-up dashboard's rows, each with its progress rolled up from its parts."""
    filters = selectors.ResultFilters(
        body=body, status=status, organization=organization, overdue=overdue
    )
    results = list(selectors.visible_results(caller(request), filters))
    progress = selectors.rolled_up_progress(results)
    for result in results:
        result.rolled_up = progress.get(result.pk, 0)  # type: ignore[attr-defined]
    return results


@router.get("/results/{uuid}", response={200: ResultDetailOut, 404: ErrorOut})
def get_result(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_result_for(caller(request), uuid)


@router.post("/results", response={201: ResultDetailOut, 403: ErrorOut, 422: ErrorOut})
def create_result(request: HttpRequest, payload: ResultIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=payload.body)
    require(user, "assemblies.body.manage", body)
    responsible = get_organization_for(user, uuid=payload.responsible)
    parent = selectors.get_result_for(user, payload.parent) if payload.parent else None
    declaration = (
        selectors.get_declaration_for(user, payload.declaration) if payload.declaration else None
    )
    try:
        result = services.result_create(
            actor=user,
            body=body,
            title=payload.title,
            responsible=responsible,
            parent=parent,
            declaration=declaration,
            description=payload.description,
            starts_on=payload.starts_on,
            due_on=payload.due_on,
            weight=payload.weight,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, result)


@router.post(
    "/results/{uuid}/status", response={200: ResultDetailOut, 403: ErrorOut, 422: ErrorOut}
)
def update_result(request: HttpRequest, uuid: UUID, payload: ResultUpdateIn) -> Any:
    user = signed_in(request)
    result = selectors.get_result_for(user, uuid)
    require(user, "assemblies.result.update", result)
    try:
        return services.result_update(
            actor=user, result=result, status=payload.status, progress=payload.progress
        )
    except services.AssemblyError as error:
        raise refused(error) from error


@router.post(
    "/results/{uuid}/milestones", response={201: MilestoneOut, 403: ErrorOut, 422: ErrorOut}
)
def add_milestone(request: HttpRequest, uuid: UUID, payload: MilestoneIn) -> Any:
    user = signed_in(request)
    result = selectors.get_result_for(user, uuid)
    require(user, "assemblies.result.update", result)
    try:
        milestone = services.milestone_add(
            actor=user, result=result, title=payload.title, due_on=payload.due_on
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, milestone)


@router.post(
    "/results/{uuid}/milestones/{milestone_id}/reach",
    response={200: MilestoneOut, 403: ErrorOut, 422: ErrorOut},
)
def reach_milestone(
    request: HttpRequest, uuid: UUID, milestone_id: int, payload: MilestoneReachIn
) -> Any:
    user = signed_in(request)
    result = selectors.get_result_for(user, uuid)
    require(user, "assemblies.result.update", result)
    milestone = get_object_or_404(Milestone, pk=milestone_id, result=result)
    try:
        return services.milestone_reach(
            actor=user,
            milestone=milestone,
            reached_on=payload.reached_on,
            evidence=payload.evidence,
            evidence_url=payload.evidence_url,
        )
    except services.AssemblyError as error:
        raise refused(error) from error


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


class ReportIn(Schema):
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
    try:
        services.working_table_report_write(
            actor=user, table=table, report=payload.report, language=payload.language
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return selectors.get_working_table_for(user, uuid)


class TranslationOut(Schema):
    language: str
    title: str
    text: str
    version: int
    translator: str

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.version.number)

    @staticmethod
    def resolve_translator(obj: Any) -> str:
        return str(obj.translator.username)


class TranslationIn(Schema):
    language: str = Field(..., min_length=2, max_length=16)
    title: str = ""
    text: str = Field(..., min_length=1)


@router.get("/proposals/{uuid}/translations", response=list[TranslationOut])
def list_translations(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return list(proposal.translations.select_related("version", "translator"))


@router.post(
    "/proposals/{uuid}/translations",
    response={200: TranslationOut, 403: ErrorOut, 422: ErrorOut},
)
def save_translation(request: HttpRequest, uuid: UUID, payload: TranslationIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.proposal.translate", proposal)
    try:
        return services.proposal_translation_save(
            actor=user,
            proposal=proposal,
            language=payload.language,
            title=payload.title,
            text=payload.text,
        )
    except services.AssemblyError as error:
        raise refused(error) from error


class DocumentOut(Schema):
    title: str
    url: str
    kind: str
    size: int
    uploaded_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.file.url)


@router.get("/proposals/{uuid}/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return list(proposal.documents.all())


class DebateOut(Schema):
    uuid: UUID
    url: str
    title: str
    theme: str
    language: str
    comment_count: int
    created_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())


class DebateIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    theme: str = ""
    language: str = "es"


@router.get("/bodies/{slug}/debates", response=list[DebateOut])
@paginate(PageNumberPagination, page_size=50)
def list_debates(request: HttpRequest, slug: str) -> Any:
    body = selectors.get_body_for(caller(request), slug=slug)
    return selectors.visible_debates(caller(request), body)


@router.post("/bodies/{slug}/debates", response={201: DebateOut, 403: ErrorOut, 422: ErrorOut})
def open_debate(request: HttpRequest, slug: str, payload: DebateIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=slug)
    require(user, "assemblies.debate.create", body)
    try:
        debate = services.debate_create(
            actor=user,
            body=body,
            title=payload.title,
            theme=payload.theme,
            language=payload.language,
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, selectors.get_debate_for(user, debate.uuid))


@router.get("/debates/{uuid}/comments", response=list[CommentOut])
@paginate(PageNumberPagination, page_size=100)
def list_debate_comments(request: HttpRequest, uuid: UUID) -> Any:
    debate = selectors.get_debate_for(caller(request), uuid)
    return debate.comments.select_related("author").order_by("created_at", "id")


@router.post("/debates/{uuid}/comments", response={201: CommentOut, 403: ErrorOut, 422: ErrorOut})
def add_debate_comment(request: HttpRequest, uuid: UUID, payload: CommentIn) -> Any:
    user = signed_in(request)
    debate = selectors.get_debate_for(user, uuid)
    require(user, "assemblies.debate.comment", debate)
    parent = (
        get_object_or_404(Comment, pk=payload.parent, debate=debate) if payload.parent else None
    )
    try:
        comment = services.debate_comment_add(
            actor=user, debate=debate, text=payload.text, parent=parent, language=payload.language
        )
    except services.AssemblyError as error:
        raise refused(error) from error
    return Status(201, comment)
