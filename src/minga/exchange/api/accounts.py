"""API of units of account and accounts: lists, an account and its journal, opening an
account, limits and freezing, creating a unit."""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, caller, signed_in
from minga.common.permissions import require
from minga.core.ledger import MAX_AMOUNT
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..models import Account, Unit, UnitKind
from .fields import NO_NUL
from .ledger import TransferOut, TransferPages

router = Router(tags=["exchange"])


class UnitOut(Schema):
    uuid: UUID
    code: str
    name: str
    kind: str
    network: UUID
    network_name: str
    scale: int
    default_lowest_balance: int
    default_highest_balance: int | None

    @staticmethod
    def resolve_network(obj: Unit) -> UUID:
        return obj.network.uuid

    @staticmethod
    def resolve_network_name(obj: Unit) -> str:
        return obj.network.display_name


class UnitIn(Schema):
    network: UUID
    code: str = Field(..., min_length=1, max_length=16, pattern=NO_NUL)
    name: str = Field(..., min_length=1, max_length=100, pattern=NO_NUL)
    kind: UnitKind = UnitKind.COMMUNITY
    scale: int = Field(2, ge=0, le=6)
    default_lowest_balance: int = Field(0, le=0, ge=-MAX_AMOUNT)
    default_highest_balance: int | None = Field(None, ge=0, le=MAX_AMOUNT)


class AccountOut(Schema):
    uuid: UUID
    url: str
    organization: UUID
    organization_name: str
    organization_slug: str
    unit: str
    scale: int
    balance: int
    pending_debits: int
    pending_credits: int
    lowest_balance: int
    highest_balance: int | None
    available: int
    frozen: bool
    formatted: dict[str, str | None]

    @staticmethod
    def resolve_url(obj: Account) -> str:
        return account_url(obj)

    @staticmethod
    def resolve_organization(obj: Account) -> UUID:
        return obj.organization.uuid

    @staticmethod
    def resolve_organization_name(obj: Account) -> str:
        return obj.organization.display_name

    @staticmethod
    def resolve_organization_slug(obj: Account) -> str:
        return obj.organization.slug

    @staticmethod
    def resolve_unit(obj: Account) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_scale(obj: Account) -> int:
        return obj.unit.scale

    @staticmethod
    def resolve_available(obj: Account) -> int:
        return available(obj)

    @staticmethod
    def resolve_formatted(obj: Account) -> dict[str, str | None]:
        unit = obj.unit
        return {
            "balance": unit.format(obj.balance),
            "pending_debits": unit.format(obj.pending_debits),
            "pending_credits": unit.format(obj.pending_credits),
            "lowest_balance": unit.format(obj.lowest_balance),
            "highest_balance": None
            if obj.highest_balance is None
            else unit.format(obj.highest_balance),
            "available": unit.format(available(obj)),
        }


class AccountFilters(FilterSchema):
    unit: str = Field("", max_length=16, pattern=NO_NUL, description="A unit's code.")
    organization: str = Field(
        "",
        max_length=80,
        pattern=NO_NUL,
        description="An organization's short code (slug) or UUID.",
    )


class AccountIn(Schema):
    organization: UUID
    unit: str = Field(..., min_length=1, max_length=16, pattern=NO_NUL)


class AccountPatch(Schema):
    lowest_balance: int | None = Field(None, le=0, ge=-MAX_AMOUNT)
    highest_balance: int | None = Field(None, ge=0, le=MAX_AMOUNT)
    frozen: bool | None = None
    reason: str = Field("", max_length=2000, pattern=NO_NUL)


def available(account: Account) -> int:
    """What the account can still pay: its balance above the credit limit, less reservations."""
    return account.balance - account.pending_debits - account.lowest_balance


def account_url(account: Account) -> str:
    return settings.SITE_URL + reverse("exchange:account", kwargs={"uuid": account.uuid})


@router.get("/accounts", response=list[AccountOut])
@paginate(Pages, page_size=50)
def list_accounts(request: HttpRequest, filters: Query[AccountFilters]) -> Any:
    """Accounts the caller may see: its organizations' and, for coordinators, their units'."""
    accounts = selectors.visible_accounts(caller(request))
    if filters.unit:
        accounts = accounts.filter(unit__code=filters.unit.strip().upper())
    if filters.organization:
        try:
            accounts = accounts.filter(organization__uuid=UUID(filters.organization))
        except ValueError:
            accounts = accounts.filter(organization__slug=filters.organization)
    return accounts.order_by("unit__code", "organization__name", "id")


@router.get("/accounts/{uuid}", response={200: AccountOut, 404: ErrorOut})
def get_account(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_account_for(caller(request), uuid)


@router.get("/accounts/{uuid}/journal", response={200: list[TransferOut], 404: ErrorOut})
@paginate(Pages, page_size=50)
def account_journal(request: HttpRequest, uuid: UUID) -> Any:
    """The entries that touch the account, newest first."""
    account = selectors.get_account_for(caller(request), uuid)
    return TransferPages(selectors.account_journal(account))


@router.post(
    "/accounts",
    response={200: AccountOut, 201: AccountOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def open_account(request: HttpRequest, payload: AccountIn) -> Any:
    """Open an organization's account in a unit (coordinators of the issuing network).

    Opening an account that exists returns it (200)."""
    user = signed_in(request)
    unit = selectors.visible_units(user).filter(code=payload.unit.strip().upper()).first()
    if unit is None:
        raise Http404
    require(user, "exchange.unit.manage", unit)
    organization = get_organization_for(user, uuid=payload.organization)
    if not selectors.may_hold_account(organization, unit):
        raise FieldError(
            422,
            _("The organization is not a current member of the unit's network."),
            "organization",
            code="not_a_member",
        )
    existed = Account.objects.filter(organization=organization, unit=unit, purpose="").exists()
    account = services.account_open(actor=user, organization=organization, unit=unit)
    return Status(200 if existed else 201, selectors.visible_accounts(user).get(pk=account.pk))


@router.patch(
    "/accounts/{uuid}",
    response={200: AccountOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def update_account(request: HttpRequest, uuid: UUID, payload: AccountPatch) -> Any:
    """Change limits (``lowest_balance`` ≤ 0, ``highest_balance`` or null for none) and
    freeze or unfreeze (freezing needs a ``reason``). Fields not sent keep their value."""
    user = signed_in(request)
    account = selectors.get_account_for(user, uuid)
    # The services guard each change; this answers 403 to a request changing nothing too.
    require(user, "exchange.unit.manage", account.unit)
    changes = payload.dict(exclude_unset=True)
    if "lowest_balance" in changes and changes["lowest_balance"] is None:
        raise FieldError(
            422,
            _("The credit limit is a balance of zero or less."),
            "lowest_balance",
            code="credit_limit_required",
        )
    with transaction.atomic():
        if "lowest_balance" in changes or "highest_balance" in changes:
            services.account_set_limits(
                actor=user,
                account=account,
                lowest_balance=changes.get("lowest_balance", account.lowest_balance),
                highest_balance=changes.get("highest_balance", account.highest_balance),
            )
        if changes.get("frozen") is not None:
            services.account_set_frozen(
                actor=user,
                account=account,
                frozen=changes["frozen"],
                reason=payload.reason.strip(),
            )
    return selectors.get_account_for(user, uuid)


@router.get("/units", response=list[UnitOut])
@paginate(Pages, page_size=50)
def list_units(request: HttpRequest) -> Any:
    """Units of account issued by the networks the caller may see."""
    return selectors.visible_units(caller(request)).order_by("code")


@router.post(
    "/units", response={201: UnitOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def create_unit(request: HttpRequest, payload: UnitIn) -> Any:
    """Create a unit of account issued by a network the caller coordinates."""
    user = signed_in(request)
    network = get_organization_for(user, uuid=payload.network)
    unit = services.unit_create(actor=user, network=network, **payload.dict(exclude={"network"}))
    return Status(201, unit)
