"""API of bodies: their rules of operation and seats."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..models import (
    BodyMembership,
    VotingMethod,
)
from ..models.bodies import DEFAULT_MAX_SEAT_WEIGHT, MAX_SEAT_WEIGHT_LIMIT
from .inputs import Input, Text

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
    abstention_allowed: bool
    max_seat_weight: int


class RulesIn(Input):
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
    abstention_allowed: bool = True
    max_seat_weight: int = Field(DEFAULT_MAX_SEAT_WEIGHT, ge=1, le=MAX_SEAT_WEIGHT_LIMIT)


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


class SeatIn(Input):
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
        return {"version": rules.version, **services.RulesData.of(rules).to_json()}


class BodyDetailOut(BodyOut):
    members: list[SeatOut]

    @staticmethod
    def resolve_members(obj: Any) -> list[BodyMembership]:
        return list(selectors.current_memberships(obj))


def _seat(body: Any, uuid: UUID | None) -> BodyMembership | None:
    if uuid is None:
        return None
    return get_object_or_404(BodyMembership, uuid=uuid, body=body)


@router.get("/bodies", response=list[BodyOut])
@paginate(Pages, page_size=50)
def list_bodies(request: HttpRequest) -> Any:
    return selectors.visible_bodies(caller(request)).order_by("name")


@router.get("/bodies/{slug}", response={200: BodyDetailOut, 404: ErrorOut})
def get_body(request: HttpRequest, slug: Text) -> Any:
    return selectors.get_body_for(caller(request), slug=slug)


@router.post("/bodies/{slug}/rules", response={201: BodyDetailOut, 403: ErrorOut, 422: ErrorOut})
def establish_rules(request: HttpRequest, slug: Text, payload: RulesIn) -> Any:
    """The body's first rules; later versions come only from adopted rules changes."""
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=slug)
    require(user, "assemblies.body.manage", body)
    data = services.RulesData(**payload.dict())
    services.body_rules_establish(actor=user, body=body, data=data)
    return Status(201, body)


@router.post(
    "/bodies/{slug}/members", response={201: SeatOut, 200: SeatOut, 403: ErrorOut, 422: ErrorOut}
)
def add_member(request: HttpRequest, slug: Text, payload: SeatIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=slug)
    require(user, "assemblies.body.manage", body)
    organization = get_organization_for(user, uuid=payload.organization)
    existed = BodyMembership.objects.filter(
        body=body, organization=organization, ended_on__isnull=True
    ).exists()
    seat = services.body_membership_add(
        actor=user, body=body, organization=organization, weight=payload.weight
    )
    return Status(200 if existed else 201, seat)
