"""API of clearing rounds: open one for a unit, read it, consent, object or apply it."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from minga.common.api import ErrorOut, signed_in

from .. import selectors, services
from ..models import ClearingRound
from .fields import NO_NUL, organization_named

router = Router(tags=["exchange"])


class RoundIn(Schema):
    unit: str = Field(..., max_length=16, pattern=NO_NUL)


class RoundOut(Schema):
    uuid: UUID
    unit: str
    status: str
    total_before: int
    total_after: int
    cleared: int
    report: dict[str, Any]

    @staticmethod
    def resolve_unit(obj: ClearingRound) -> str:
        return obj.unit.code


class RoundActIn(Schema):
    action: str = Field(..., pattern="^(consent|object|apply)$")
    organization: str | None = Field(None, max_length=80, pattern=NO_NUL)
    reason: str = Field("", max_length=2000, pattern=NO_NUL)


@router.post("/clearing-rounds", response={201: RoundOut, 422: ErrorOut, 404: ErrorOut})
def open_clearing_round(request: HttpRequest, payload: RoundIn) -> Any:
    user = signed_in(request)
    unit = selectors.unit_by_code(payload.unit)
    if unit is None:
        raise Http404
    return Status(201, services.clearing_round_open(actor=user, unit=unit))


@router.get("/clearing-rounds/{uuid}", response={200: RoundOut, 404: ErrorOut})
def get_clearing_round(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_clearing_round_for(signed_in(request), uuid)


@router.post("/clearing-rounds/{uuid}/act", response={200: RoundOut, 422: ErrorOut, 404: ErrorOut})
def act_on_clearing_round(request: HttpRequest, uuid: UUID, payload: RoundActIn) -> Any:
    user = signed_in(request)
    round_ = selectors.get_clearing_round_for(user, uuid)
    if payload.action == "apply":
        return services.clearing_round_apply(
            actor=user,
            clearing_round=round_,
            access_token=getattr(request, "access_token", None),
        )
    organization = organization_named(user, payload.organization or "", "organization")
    return services.clearing_round_consent(
        actor=user,
        clearing_round=round_,
        organization=organization,
        consents=payload.action == "consent",
        reason=payload.reason,
    )
