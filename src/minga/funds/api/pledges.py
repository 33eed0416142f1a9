"""Pledges: make one, list one's own (or, for managers, a fund's), cancel."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, signed_in

from .. import selectors, services

router = Router(tags=["funds"])


class PledgeOut(Schema):
    uuid: UUID
    fund: UUID
    amount: int
    recurrence: str
    starts_on: date
    named: bool
    status: str
    received_count: int
    next_due_on: date | None = None

    @staticmethod
    def resolve_fund(obj: Any) -> UUID:
        return UUID(str(obj.fund.uuid))


class PledgeIn(Schema):
    amount: int
    recurrence: Literal["once", "monthly", "yearly"] = "once"
    starts_on: date | None = None
    named: bool = False


@router.get("/pledges", response={200: list[PledgeOut], 401: ErrorOut})
@paginate(Pages, page_size=50)
def list_pledges(request: HttpRequest) -> Any:
    """The caller's own pledges and those of the funds they manage."""
    return selectors.visible_pledges(signed_in(request)).select_related("fund").order_by("pk")


@router.post(
    "/funds/{uuid}/pledges",
    response={201: PledgeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_pledge(request: HttpRequest, uuid: UUID, payload: PledgeIn) -> Any:
    user = signed_in(request)
    fund = selectors.get_fund_for(user, uuid)
    pledge = services.pledge_create(actor=user, fund=fund, **payload.dict())
    return Status(201, pledge)


@router.post(
    "/pledges/{uuid}/cancel",
    response={200: PledgeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def cancel_pledge(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    pledge = selectors.get_pledge_for(user, uuid)
    return services.pledge_cancel(actor=user, pledge=pledge)
