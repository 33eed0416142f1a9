"""Movements of a fund: list, contributions received, spending requests and decisions.

No ``from __future__ import annotations`` here: the paginated list with a path parameter
is wrapped by ninja, which reads the wrapped function's annotations in its own module."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse as url_of
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, caller, signed_in
from minga.common.errors import DomainError
from minga.common.media import serve_file
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from .. import selectors, services

router = Router(tags=["funds"])

WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MovementOut(Schema):
    uuid: UUID
    kind: str
    status: str
    category: str
    description: str
    amount: int
    recipient: UUID | None = None
    ledger_entry: UUID | None = None
    reverses: UUID | None = None
    done_at: datetime | None = None
    occurred_on: date | None = None
    # The receipt's address under the API, for who may read it (as on the fund's page:
    # its managers, and its readers when the fund shows its receipts); else null.
    receipt: str | None = None

    @staticmethod
    def resolve_receipt(obj: Any, context: Any) -> str | None:
        if not obj.receipt:
            return None
        request = context["request"]
        readable: dict[int, bool] = request.__dict__.setdefault("_fund_receipts_readable", {})
        if obj.fund_id not in readable:
            readable[obj.fund_id] = selectors.may_read_receipt(caller(request), obj)
        if not readable[obj.fund_id]:
            return None
        return url_of("api-1:funds_movement_receipt", kwargs={"uuid": obj.uuid})

    @staticmethod
    def resolve_recipient(obj: Any) -> UUID | None:
        return UUID(str(obj.recipient.uuid)) if obj.recipient_id else None

    @staticmethod
    def resolve_ledger_entry(obj: Any) -> UUID | None:
        return UUID(str(obj.transfer.uuid)) if obj.transfer_id else None

    @staticmethod
    def resolve_reverses(obj: Any) -> UUID | None:
        return UUID(str(obj.reverses.uuid)) if obj.reverses_id else None


class ReceiveIn(Schema):
    amount: int
    category: str = Field("contributions", max_length=40)
    description: str = Field("", max_length=300)
    pledge: UUID | None = None
    received_on: date | None = None


class SpendingIn(Schema):
    kind: Literal["grant", "expense"]
    amount: int
    category: str = Field(..., max_length=40)
    description: str = Field(..., max_length=300)
    recipient: UUID | None = None
    payee: str = Field("", max_length=200)


class DecisionIn(Schema):
    decision: Literal["approve", "refuse"]
    reason: str = Field("", max_length=500)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=500)


@router.get("/funds/{uuid}/movements", response={200: list[MovementOut], 404: ErrorOut})
@paginate(Pages, page_size=50)
def list_movements(request: HttpRequest, uuid: UUID) -> Any:
    """Paid movements for the fund's readers; its managers also see requests."""
    user = caller(request)
    fund = selectors.get_fund_for(user, uuid)
    if selectors.is_manager(user, fund):
        return selectors.movements_of(fund).select_related("reverses")
    return selectors.done_movements(fund).select_related("reverses")


@router.post("/funds/{uuid}/contributions", response={201: MovementOut, **WRITE_ERRORS})
def receive(request: HttpRequest, uuid: UUID, payload: ReceiveIn) -> Any:
    user = signed_in(request)
    fund = selectors.get_fund_for(user, uuid)
    require(user, "funds.fund.manage", fund)
    pledge = None
    if payload.pledge is not None:
        pledge = selectors.fund_pledges(fund).filter(uuid=payload.pledge).first()
        if pledge is None:
            raise DomainError(_("No such pledge in this fund."), "pledge", code="pledge_unknown")
    movement = services.contribution_receive(
        actor=user,
        fund=fund,
        amount=payload.amount,
        category=payload.category,
        description=payload.description,
        pledge=pledge,
        received_on=payload.received_on,
    )
    return Status(201, movement)


@router.post("/funds/{uuid}/spending", response={201: MovementOut, **WRITE_ERRORS})
def request_spending(request: HttpRequest, uuid: UUID, payload: SpendingIn) -> Any:
    user = signed_in(request)
    fund = selectors.get_fund_for(user, uuid)
    require(user, "funds.fund.manage", fund)
    recipient = get_organization_for(user, uuid=payload.recipient) if payload.recipient else None
    movement = services.spending_request(
        actor=user,
        fund=fund,
        kind=payload.kind,
        amount=payload.amount,
        category=payload.category,
        description=payload.description,
        recipient=recipient,
        payee=payload.payee,
    )
    return Status(201, movement)


@router.post("/movements/{uuid}/decision", response={200: MovementOut, **WRITE_ERRORS})
def decide(request: HttpRequest, uuid: UUID, payload: DecisionIn) -> Any:
    user = signed_in(request)
    movement = selectors.get_movement_for(user, uuid)
    if payload.decision == "refuse":
        return services.spending_refuse(actor=user, movement=movement, reason=payload.reason)
    return services.spending_approve(actor=user, movement=movement)


@router.post("/movements/{uuid}/reversal", response={201: MovementOut, **WRITE_ERRORS})
def reverse(request: HttpRequest, uuid: UUID, payload: ReasonIn) -> Any:
    user = signed_in(request)
    movement = selectors.get_movement_for(user, uuid)
    return Status(
        201, services.movement_reverse(actor=user, movement=movement, reason=payload.reason)
    )


@router.get(
    "/funds/{uuid}/receipts",
    response={200: list[MovementOut], 403: ErrorOut, 404: ErrorOut},
)
@paginate(Pages, page_size=50)
def list_receipts(request: HttpRequest, uuid: UUID) -> Any:
    """The fund's paid grants and expenses that have a receipt, newest first, each with its
    receipt's address: for the fund's managers, and for its readers when the fund shows its
    receipts (otherwise 403 ``receipts_not_shown``)."""
    user = caller(request)
    fund = selectors.get_fund_for(user, uuid)
    if not selectors.may_read_receipts_of(user, fund):
        raise FieldError(
            403, _("This fund shows its receipts to its managers only."), code="receipts_not_shown"
        )
    return selectors.receipts_of(fund).select_related("reverses")


@router.get(
    "/movements/{uuid}/receipt",
    response={200: None, 404: ErrorOut},
    url_name="funds_movement_receipt",
    openapi_extra={
        "responses": {
            200: {
                "description": "The receipt: a PDF or a picture, typed from its content.",
                "content": {"application/pdf": {}, "image/*": {}},
            }
        }
    },
)
def movement_receipt(request: HttpRequest, uuid: UUID) -> Any:
    """The receipt's file, with the same checks as on the page (byte ranges accepted)."""
    user = caller(request)
    movement = selectors.get_movement_for(user, uuid)
    if not selectors.may_read_receipt(user, movement):
        raise FieldError(404, _("There is no receipt to show."), code="no_receipt")
    return serve_file(request, movement.receipt)


@router.post("/movements/{uuid}/receipt", response={201: MovementOut, **WRITE_ERRORS})
def attach_receipt(request: HttpRequest, uuid: UUID, receipt: File[UploadedFile]) -> Any:
    """Attach the receipt of a paid grant or expense (managers; a PDF or a picture up to
    10 MB, once)."""
    user = signed_in(request)
    movement = selectors.get_movement_for(user, uuid)
    require(user, "funds.fund.manage", movement.fund)
    return Status(201, services.receipt_attach(actor=user, movement=movement, upload=receipt))
