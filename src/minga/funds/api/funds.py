"""Funds: list, read with their figures (replayed from the ledger), budget."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from minga.common.api import ErrorOut, Pages, caller, signed_in

from .. import selectors, services

router = Router(tags=["funds"])


class FundOut(Schema):
    uuid: UUID
    url: str
    name: str
    purpose: str
    organization: UUID
    unit: str
    transparency: str
    approval_rule: str
    balance: int  # minor units of the unit: the fund's ledger account's balance

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_purpose(obj: Any) -> str:
        return str(obj.purpose_text())

    @staticmethod
    def resolve_organization(obj: Any) -> UUID:
        return UUID(str(obj.organization.uuid))

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit.code)

    @staticmethod
    def resolve_balance(obj: Any) -> int:
        return int(obj.account.balance)


class BudgetLineOut(Schema):
    category: str
    budget: int
    spent: int


class FiguresOut(Schema):
    balance: int
    income: int
    spending: int
    income_by_category: dict[str, int]
    spending_by_category: dict[str, int]
    by_month: dict[str, list[int]]
    budget: list[BudgetLineOut]


class FundDetailOut(FundOut):
    figures: FiguresOut
    named_contributors: list[str]


class BudgetIn(Schema):
    category: str = Field(..., min_length=1, max_length=40)
    year: int
    amount: int


@router.get("/funds", response=list[FundOut])
@paginate(Pages, page_size=50)
def list_funds(request: HttpRequest) -> Any:
    return selectors.visible_funds(caller(request)).order_by("name", "pk")


@router.get("/funds/{uuid}", response={200: FundDetailOut, 404: ErrorOut})
def get_fund(request: HttpRequest, uuid: UUID) -> Any:
    fund = selectors.get_fund_for(caller(request), uuid)
    figures = selectors.figures_of(fund)
    fund.figures = {  # type: ignore[attr-defined]
        "balance": figures.balance,
        "income": figures.income,
        "spending": figures.spending,
        "income_by_category": figures.income_by_category,
        "spending_by_category": figures.spending_by_category,
        "by_month": {m: list(pair) for m, pair in figures.by_month.items()},
        "budget": [
            {"category": b.category, "budget": b.budget, "spent": b.spent} for b in figures.budget
        ],
    }
    fund.named_contributors = selectors.named_contributors(fund)  # type: ignore[attr-defined]
    return fund


@router.put(
    "/funds/{uuid}/budget",
    response={200: BudgetLineOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def set_budget(request: HttpRequest, uuid: UUID, payload: BudgetIn) -> Any:
    user = signed_in(request)
    fund = selectors.get_fund_for(user, uuid)
    line = services.budget_set(
        actor=user, fund=fund, category=payload.category, year=payload.year, amount=payload.amount
    )
    return {"category": line.category, "budget": line.amount, "spent": 0}
