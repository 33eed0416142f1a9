"""Writes of units of account and accounts: create a unit, open an account, set its limits,
freeze it. Every function is atomic and audited; limits stay within ``MAX_AMOUNT``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.core.ledger import MAX_AMOUNT

from .. import selectors
from ..audit_events import ExchangeEvent
from ..models import Account, Unit


def _unit_of(account: Account) -> Unit:
    return account.unit


@guarded("exchange.unit.manage", on="network")
@transaction.atomic
def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    network: Any,
    scale: int = 2,
    default_lowest_balance: int = 0,
    default_highest_balance: int | None = None,
) -> Unit:
    code = code.strip().upper()
    if not code.isascii() or not code.isalnum() or len(code) > 16:
        raise DomainError(
            _("A unit's code is 1 to 16 letters or digits."), "code", code="invalid_unit_code"
        )
    if not 0 <= scale <= 6:
        raise DomainError(_("A unit has 0 to 6 decimal places."), "scale", code="invalid_scale")
    _check_limits(default_lowest_balance, default_highest_balance, prefix="default_")
    if Unit.objects.filter(code=code).exists():
        raise DomainError(_("A unit with this code exists already."), "code", code="unit_exists")
    unit = Unit.objects.create(
        code=code,
        name=name,
        kind=kind,
        network=network,
        scale=scale,
        default_lowest_balance=default_lowest_balance,
        default_highest_balance=default_highest_balance,
    )
    audit.record(actor=actor, action=ExchangeEvent.UNIT_CREATE, target=unit)
    return unit


def _check_limits(lowest: int, highest: int | None, prefix: str = "") -> None:
    """Limits within what the ledger can hold (see ``MAX_AMOUNT``), and in order."""
    if lowest > 0:
        raise DomainError(
            _("The credit limit is a balance of zero or less."),
            f"{prefix}lowest_balance",
            code="credit_limit_positive",
        )
    if lowest < -MAX_AMOUNT:
        raise DomainError(
            _("The credit limit is at most %(max)d.") % {"max": MAX_AMOUNT},
            f"{prefix}lowest_balance",
            code="credit_limit_too_large",
        )
    if highest is not None and not lowest <= highest <= MAX_AMOUNT:
        raise DomainError(
            _("The upper limit is between the credit limit and %(max)d.") % {"max": MAX_AMOUNT},
            f"{prefix}highest_balance",
            code="limits_out_of_order",
        )


@guarded("exchange.unit.manage", on="unit")
@transaction.atomic
def account_open(*, actor: Any, organization: Any, unit: Unit) -> Account:
    """Open (or return the existing) account of an organization in a unit."""
    return _open_account(actor=actor, organization=organization, unit=unit)


@guarded("exchange.organization.act_for", on="organization")
@transaction.atomic
def designated_account_open(
    *, actor: Any, organization: Any, unit: Unit, purpose: str, lowest_balance: int = 0
) -> Account:
    """Open an account the organization holds for ``purpose`` (a fund: ``fund:<uuid>``)
    beside its own, with no upper limit. Only the service owning the purpose moves money
    out of it (``transfers_submit`` refuses to debit a designated account without the
    platform's capability). ``lowest_balance`` below zero is for accounts that stand for
    money held outside Minga."""
    purpose = purpose.strip()
    if not purpose or len(purpose) > 80:
        raise DomainError(
            _("A designated account says what it is for (1 to 80 characters)."),
            "purpose",
            code="invalid_purpose",
        )
    _check_limits(lowest_balance, None)
    if not selectors.may_hold_account(organization, unit):
        raise DomainError(
            _("The organization is not a current member of the unit's network."),
            "unit",
            code="not_a_member",
        )
    account, created = Account.objects.get_or_create(
        organization=organization,
        unit=unit,
        purpose=purpose,
        defaults={"lowest_balance": lowest_balance, "highest_balance": None},
    )
    if created:
        audit.record(actor=actor, action=ExchangeEvent.ACCOUNT_OPEN, target=account, reason=purpose)
    return account


def _open_account(*, actor: Any, organization: Any, unit: Unit) -> Account:
    """The write itself, for services that have checked their own permission (a clearing
    round opens the accounts its set-off needs)."""
    account, created = Account.objects.get_or_create(
        organization=organization,
        unit=unit,
        purpose="",
        defaults={
            "lowest_balance": unit.default_lowest_balance,
            "highest_balance": unit.default_highest_balance,
        },
    )
    if created:
        audit.record(actor=actor, action=ExchangeEvent.ACCOUNT_OPEN, target=account)
    return account


@guarded("exchange.unit.manage", on="account", via=_unit_of)
@transaction.atomic
def account_set_limits(
    *, actor: Any, account: Account, lowest_balance: int, highest_balance: int | None
) -> Account:
    _check_limits(lowest_balance, highest_balance)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.balance - account.pending_debits < lowest_balance:
        raise DomainError(
            _("The account is already below that limit; it can only be lowered."),
            "lowest_balance",
            code="balance_below_limit",
        )
    if highest_balance is not None and account.balance + account.pending_credits > highest_balance:
        raise DomainError(
            _("The account is already above that limit."),
            "highest_balance",
            code="balance_above_limit",
        )
    before = [account.lowest_balance, account.highest_balance]
    account.lowest_balance, account.highest_balance = lowest_balance, highest_balance
    account.save(update_fields=["lowest_balance", "highest_balance", "updated_at"])
    audit.record(
        actor=actor,
        action=ExchangeEvent.ACCOUNT_LIMITS,
        target=account,
        changes={"limits": [before, [lowest_balance, highest_balance]]},
    )
    return account


@guarded("exchange.unit.manage", on="account", via=_unit_of)
@transaction.atomic
def account_set_frozen(*, actor: Any, account: Account, frozen: bool, reason: str = "") -> Account:
    """Freeze an account (it neither pays nor is paid; say why) or unfreeze it."""
    if frozen and not reason.strip():
        raise DomainError(_("Say why the account is frozen."), "reason", code="reason_required")
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.frozen != frozen:
        account.frozen = frozen
        account.save(update_fields=["frozen", "updated_at"])
        audit.record(
            actor=actor,
            action=ExchangeEvent.ACCOUNT_FREEZE if frozen else ExchangeEvent.ACCOUNT_UNFREEZE,
            target=account,
            reason=reason,
        )
    return account
