"""API of trade agreements: propose one, read it, accept, confirm delivery or cancel."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, signed_in
from minga.core.ledger import MAX_AMOUNT

from .. import selectors, services
from ..models import Agreement
from .fields import NO_NUL, organization_named

router = Router(tags=["exchange"])


class LineIn(Schema):
    supplier: str = Field(..., max_length=80, pattern=NO_NUL, description="Organization slug")
    receiver: str = Field(..., max_length=80, pattern=NO_NUL)
    description: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)
    quantity: str = Field("", max_length=60, pattern=NO_NUL)
    amount: int = Field(0, ge=0, le=MAX_AMOUNT, description="Minor units of the agreement's unit")


class AgreementIn(Schema):
    proposer: str = Field(..., max_length=80, pattern=NO_NUL)
    title: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    description: str = Field("", max_length=20_000, pattern=NO_NUL)
    payment: str = Field(..., pattern="^(ledger|deferred|barter)$")
    unit: str | None = Field(None, max_length=16, pattern=NO_NUL)
    lines: list[LineIn] = Field(..., min_length=1, max_length=50)


class LineOut(Schema):
    supplier: str
    receiver: str
    description: str
    quantity: str
    amount: int
    delivered_at: datetime | None

    @staticmethod
    def resolve_supplier(obj: Any) -> str:
        return str(obj.supplier.slug)

    @staticmethod
    def resolve_receiver(obj: Any) -> str:
        return str(obj.receiver.slug)


class PartyOut(Schema):
    organization: str
    accepted_at: datetime | None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.slug)


class AgreementOut(Schema):
    uuid: UUID
    title: str
    status: str
    payment: str
    unit: str | None
    parties: list[PartyOut]
    lines: list[LineOut]

    @staticmethod
    def resolve_unit(obj: Agreement) -> str | None:
        return obj.unit.code if obj.unit else None

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[Any]:
        return list(obj.parties.select_related("organization"))

    @staticmethod
    def resolve_lines(obj: Agreement) -> list[Any]:
        return list(obj.lines.select_related("supplier", "receiver"))


class ActIn(Schema):
    organization: str = Field(..., max_length=80, pattern=NO_NUL)
    action: str = Field(..., pattern="^(accept|deliver|cancel)$")
    reason: str = Field("", max_length=2000, pattern=NO_NUL)


@router.post("/agreements", response={201: AgreementOut, 422: ErrorOut, 401: ErrorOut})
def propose_agreement(request: HttpRequest, payload: AgreementIn) -> Any:
    user = signed_in(request)
    unit = selectors.unit_by_code(payload.unit) if payload.unit else None
    if payload.unit and unit is None:
        raise FieldError(422, _("Unknown unit."), "unit", code="unknown_unit")
    lines = [
        services.LineInput(
            supplier=organization_named(user, line.supplier, "lines.supplier"),
            receiver=organization_named(user, line.receiver, "lines.receiver"),
            description=line.description,
            quantity=line.quantity,
            amount=line.amount,
        )
        for line in payload.lines
    ]
    agreement = services.agreement_propose(
        actor=user,
        proposer=organization_named(user, payload.proposer, "proposer"),
        title=payload.title,
        description=payload.description,
        lines=lines,
        payment=payload.payment,
        unit=unit,
    )
    return Status(201, agreement)


@router.get("/agreements/{uuid}", response={200: AgreementOut, 404: ErrorOut})
def get_agreement(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_agreement_for(signed_in(request), uuid)


@router.post("/agreements/{uuid}/act", response={200: AgreementOut, 422: ErrorOut, 404: ErrorOut})
def act_on_agreement(request: HttpRequest, uuid: UUID, payload: ActIn) -> Any:
    """Accept, confirm delivery (as receiver) or cancel, for one of your organizations.
    Repeating an acceptance is harmless; a delivery is paid once."""
    user = signed_in(request)
    token = getattr(request, "access_token", None)
    agreement = selectors.get_agreement_for(user, uuid)
    organization = organization_named(user, payload.organization, "organization")
    if payload.action == "accept":
        return services.agreement_accept(
            actor=user, agreement=agreement, organization=organization, access_token=token
        )
    if payload.action == "deliver":
        return services.agreement_confirm_delivery(
            actor=user, agreement=agreement, receiver=organization, access_token=token
        )
    return services.agreement_cancel(
        actor=user,
        agreement=agreement,
        organization=organization,
        reason=payload.reason,
        access_token=token,
    )
