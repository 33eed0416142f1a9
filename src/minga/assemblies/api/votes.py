"""API of votes: creation, ballots, closing, receipts and delegations."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.permissions import require

from .. import selectors, services
from ..models import (
    Amendment,
    BodyMembership,
    Vote,
    VotingMethod,
)
from .bodies import _seat
from .inputs import Input, Text

router = Router(tags=["assemblies"])


class TallyOut(Schema):
    rules_version: int
    winners: list[str]
    adopted: bool | None
    quorum_met: bool
    participating_weight: int
    blank_weight: int
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


class VoteIn(Input):
    body: Text
    title: str = Field(..., min_length=1, max_length=200)
    method: VotingMethod
    opens_at: datetime
    closes_at: datetime
    secret: bool = False
    proposal: UUID | None = None
    amendment: UUID | None = None
    choices: list[str] = []
    seats: int = Field(1, ge=1)


class BallotIn(Input):
    contents: dict[str, Any]
    membership: UUID | None = None
    receipt: str = ""


class BallotOut(Schema):
    receipt: str | None
    replaced: bool
    weight: int


class ReceiptIn(Input):
    receipt: str


class ReceiptCheckOut(Schema):
    counted: bool


class DelegationIn(Input):
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


@router.get("/votes", response=list[VoteOut])
@paginate(Pages, page_size=50)
def list_votes(request: HttpRequest, body: Text = "") -> Any:
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
    return Status(201, vote)


@router.post("/votes/{uuid}/ballots", response={201: BallotOut, 403: ErrorOut, 422: ErrorOut})
def cast_ballot(request: HttpRequest, uuid: UUID, payload: BallotIn) -> Any:
    """Cast a ballot; a secret one answers with its receipt code, shown only this once."""
    user = signed_in(request)
    vote = selectors.get_vote_for(user, uuid)
    require(user, "assemblies.vote.cast", vote)
    result = services.ballot_cast(
        actor=user,
        vote=vote,
        contents=payload.contents,
        membership=_seat(vote.body, payload.membership),
        receipt=payload.receipt,
    )
    return Status(201, result)


@router.post("/votes/{uuid}/close", response={200: VoteOut, 403: ErrorOut, 422: ErrorOut})
def close_vote(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    vote = selectors.get_vote_for(user, uuid)
    require(user, "assemblies.vote.manage", vote)
    services.vote_close(actor=user, vote=vote)
    return selectors.get_vote_for(user, uuid)


@router.post("/votes/{uuid}/close-now", response={200: VoteOut, 403: ErrorOut, 422: ErrorOut})
def close_vote_now(request: HttpRequest, uuid: UUID) -> Any:
    """End an open vote now (the chair, in the meeting) and count it."""
    user = signed_in(request)
    vote = selectors.get_vote_for(user, uuid)
    require(user, "assemblies.vote.manage", vote)
    services.vote_close_now(actor=user, vote=vote)
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
    delegation = services.delegation_set(
        actor=user, delegator=delegator, delegate=delegate, proposal=proposal
    )
    return Status(201, delegation)
