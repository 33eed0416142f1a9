"""Funds: list, read with their figures (replayed from the ledger), settings, managers,
approval rule, budget."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, caller, signed_in
from minga.registry.selectors import get_organization_for, visible_bodies

from .. import selectors, services

router = Router(tags=["funds"])

WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OwnerOut(Schema):
    """Who a fund belongs to: a body of the assemblies (of the fund's organization, a
    network) or the organization itself."""

    kind: str  # "body" or "organization"
    uuid: UUID
    name: str


class FundOut(Schema):
    uuid: UUID
    url: str
    name: str
    purpose: str
    organization: UUID
    owner: OwnerOut
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
    def resolve_owner(obj: Any) -> dict[str, Any]:
        if obj.owner_body_id is not None:
            body = obj.owner_body
            return {"kind": "body", "uuid": body.uuid, "name": str(body)}
        organization = obj.organization
        return {
            "kind": "organization",
            "uuid": organization.uuid,
            "name": str(organization.display_name),
        }

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


class FundIn(Schema):
    organization: UUID
    name: str = Field(..., min_length=1, max_length=200)
    purpose: str = Field(..., min_length=1, max_length=5000)
    purposes: dict[str, str] = {}
    unit: str = Field(..., min_length=1, max_length=16, description="the unit's code")
    transparency: str = "public"
    visible_to: list[UUID] = []
    # Omitted: the owning body's vote for a fund of a body, two managers otherwise.
    approval_rule: str | None = None
    body: UUID | None = None  # the body that votes (the owning body's by default)
    owner_body: UUID | None = None  # a body of ``organization`` that owns the fund
    receipts_public: bool = False


class BudgetIn(Schema):
    category: str = Field(..., min_length=1, max_length=40)
    year: int
    amount: int


def _visible_body(user: Any, uuid: UUID | None, field: str = "body") -> Any:
    """The body the caller may see with this key; a body they may not see is refused as
    one that does not exist."""
    if uuid is None:
        return None
    body = visible_bodies(user).filter(uuid=uuid).first()
    if body is None:
        raise FieldError(422, _("There is no such body."), field, code="body_unknown")
    return body


@router.get("/funds", response={200: list[FundOut], 422: ErrorOut})
@paginate(Pages, page_size=50)
def list_funds(request: HttpRequest, body: str = "") -> Any:
    """The funds the caller may read; with ``body`` (a body's uuid), those that body owns
    (a body the caller may not see is refused as one that does not exist)."""
    user = caller(request)
    if body:
        try:
            chosen = UUID(body[:40])
        except ValueError:
            raise FieldError(
                422, _("There is no such body."), "body", code="body_unknown"
            ) from None
        return selectors.funds_of_body(user, _visible_body(user, chosen)).order_by("name", "pk")
    return selectors.visible_funds(user).order_by("name", "pk")


@router.post("/funds", response={201: FundOut, **WRITE_ERRORS})
def create_fund(request: HttpRequest, payload: FundIn) -> Any:
    """A fund of an organization where the caller is a spokesperson, coordinator or
    administrator (as "New fund" on the pages); the caller is its first manager. With
    ``transparency`` "organizations" and no ``visible_to``, the owner's members read it."""
    from minga.exchange.selectors import visible_units

    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    unit = visible_units(user).filter(code=payload.unit).first()
    if unit is None:
        raise FieldError(422, _("There is no such unit."), "unit", code="unit_unknown")
    body = _visible_body(user, payload.body)
    owner_body = _visible_body(user, payload.owner_body, "owner_body")
    visible_to = [get_organization_for(user, uuid=chosen) for chosen in payload.visible_to]
    fund = services.fund_create(
        actor=user,
        organization=organization,
        data=services.FundData(
            name=payload.name,
            purpose=payload.purpose,
            purposes=payload.purposes,
            unit=unit,
            transparency=payload.transparency,
            approval_rule=payload.approval_rule,
            visible_to=visible_to or [organization],
            body=body,
            owner_body=owner_body,
            receipts_public=payload.receipts_public,
        ),
    )
    return Status(201, fund)


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


class SettingsOut(Schema):
    """A fund's settings, for those who may change them."""

    uuid: UUID
    name: str
    purpose: str
    purposes: dict[str, str]
    transparency: str
    visible_to: list[UUID]
    receipts_public: bool
    approval_rule: str
    body: UUID | None
    owner_body: UUID | None
    managers: list[str]


class SettingsIn(Schema):
    """Every field is optional: what is sent is changed, the rest kept."""

    name: str | None = Field(None, max_length=200)
    purpose: str | None = Field(None, max_length=5000)
    purposes: dict[str, str] | None = None
    transparency: str | None = None
    visible_to: list[UUID] | None = None
    receipts_public: bool | None = None


class ApprovalIn(Schema):
    approval_rule: str
    body: UUID | None = None


class OwnerIn(Schema):
    body: UUID | None  # null: the fund is its organization's own


class ManagerIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)


def _settings(fund: Any) -> dict[str, Any]:
    fund.refresh_from_db()
    return {
        "uuid": fund.uuid,
        "name": fund.name,
        "purpose": fund.purpose,
        "purposes": dict(fund.purposes or {}),
        "transparency": fund.transparency,
        "visible_to": [o.uuid for o in fund.visible_to_organizations.order_by("name")],
        "receipts_public": fund.receipts_public,
        "approval_rule": fund.approval_rule,
        "body": fund.body.uuid if fund.body_id else None,
        "owner_body": fund.owner_body.uuid if fund.owner_body_id else None,
        "managers": [p.get_username() for p in selectors.fund_managers(fund)],
    }


def _editable(request: HttpRequest, uuid: UUID, rule: str) -> tuple[Any, Any]:
    from minga.common.permissions import require

    user = signed_in(request)
    fund = selectors.get_fund_to_edit(user, uuid)
    require(user, rule, fund)
    return user, fund


@router.get(
    "/funds/{uuid}/settings",
    response={200: SettingsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def get_settings(request: HttpRequest, uuid: UUID) -> Any:
    """The fund's settings and managers, for its managers and its owner's coordinators."""
    _user, fund = _editable(request, uuid, "funds.fund.edit")
    return _settings(fund)


@router.patch("/funds/{uuid}/settings", response={200: SettingsOut, **WRITE_ERRORS})
def update_settings(request: HttpRequest, uuid: UUID, payload: SettingsIn) -> Any:
    """Change the fields sent (name, purposes, transparency and the organizations whose
    members read the fund, receipts shown); sending the same again changes nothing."""
    user, fund = _editable(request, uuid, "funds.fund.edit")
    sent = payload.dict(exclude_unset=True)
    if "visible_to" in sent:
        organizations = [
            get_organization_for(user, uuid=chosen) for chosen in sent["visible_to"] or []
        ]
    else:
        organizations = list(fund.visible_to_organizations.all())

    def kept(name: str) -> Any:
        value = sent.get(name)
        return getattr(fund, name) if value is None else value

    services.fund_update(
        actor=user,
        fund=fund,
        data=services.FundSettings(
            name=kept("name"),
            purpose=kept("purpose"),
            purposes=dict(kept("purposes") or {}),
            transparency=kept("transparency"),
            visible_to=organizations,
            receipts_public=kept("receipts_public"),
        ),
    )
    return _settings(fund)


@router.put("/funds/{uuid}/approval", response={200: SettingsOut, **WRITE_ERRORS})
def set_approval(request: HttpRequest, uuid: UUID, payload: ApprovalIn) -> Any:
    """Set how spending is approved and the body that votes: the owner's coordinators."""
    user, fund = _editable(request, uuid, "funds.fund.govern")
    body = _visible_body(user, payload.body)
    services.approval_rule_set(actor=user, fund=fund, rule=payload.approval_rule, body=body)
    return _settings(fund)


@router.put("/funds/{uuid}/owner", response={200: SettingsOut, **WRITE_ERRORS})
def set_owner(request: HttpRequest, uuid: UUID, payload: OwnerIn) -> Any:
    """Make the fund a fund of one of its network's bodies (``body``), or of the
    organization itself (``null``): the owner's coordinators. A body of another network
    is refused (``body_of_other_network``); setting the same owner again changes nothing."""
    user, fund = _editable(request, uuid, "funds.fund.govern")
    owner_body = _visible_body(user, payload.body)
    services.fund_owner_set(actor=user, fund=fund, owner_body=owner_body)
    return _settings(fund)


@router.post("/funds/{uuid}/managers", response={200: SettingsOut, **WRITE_ERRORS})
def add_manager(request: HttpRequest, uuid: UUID, payload: ManagerIn) -> Any:
    """Make a person a manager (the owner's coordinators); adding one twice changes
    nothing."""
    user, fund = _editable(request, uuid, "funds.fund.govern")
    person = get_user_model().objects.filter(username=payload.username, is_active=True).first()
    if person is None:
        raise FieldError(422, _("Nobody has this user name."), "username", code="user_unknown")
    services.manager_add(actor=user, fund=fund, user=person)
    return _settings(fund)


@router.delete("/funds/{uuid}/managers/{username}", response={200: SettingsOut, **WRITE_ERRORS})
def remove_manager(request: HttpRequest, uuid: UUID, username: str) -> Any:
    """Take a person off the managers (never the last one); removing one who is not a
    manager changes nothing."""
    user, fund = _editable(request, uuid, "funds.fund.govern")
    person = fund.custodians.filter(username=username[:150]).first()
    services.manager_remove(actor=user, fund=fund, user=person)
    return _settings(fund)


@router.delete("/funds/{uuid}/budget/{year}/{category}", response={204: None, **WRITE_ERRORS})
def remove_budget(request: HttpRequest, uuid: UUID, year: int, category: str) -> Any:
    user = signed_in(request)
    fund = selectors.get_fund_for(user, uuid)
    if not services.budget_remove(actor=user, fund=fund, category=category, year=year):
        raise FieldError(404, _("There is no such budget line."), "category", code="not_found")
    return Status(204, None)
