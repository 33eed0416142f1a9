"""Writes of units of account and accounts: create a unit, open an account, set its limits,
freeze it. Every function is atomic and audited; limits stay within ``MAX_AMOUNT``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.core.ledger import MAX_AMOUNT
from minga.exchange.audit_events import ExchangeEvent

from ..models import Account, Unit
from .base import ExchangeError


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
        raise ExchangeError(_("A unit's code is 1 to 16 letters or digits."), "code")
    if not 0 <= scale <= 6:
        raise ExchangeError(_("A unit has 0 to 6 decimal places."), "scale")
    _check_limits(default_lowest_balance, default_highest_balance, prefix="default_")
    if Unit.objects.filter(code=code).exists():
        raise ExchangeError(_("A unit with this code exists already."), "code")
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
        raise ExchangeError(
            _("The credit limit is a balance of zero or less."), f"{prefix}lowest_balance"
        )
    if lowest < -MAX_AMOUNT:
        raise ExchangeError(
            _("The credit limit is at most %(max)d.") % {"max": MAX_AMOUNT},
            f"{prefix}lowest_balance",
        )
    if highest is not None and not lowest <= highest <= MAX_AMOUNT:
        raise ExchangeError(
            _("The upper limit is between the credit limit and %(max)d.") % {"max": MAX_AMOUNT},
            f"{prefix}highest_balance",
        )


@transaction.atomic
def account_open(*, actor: Any, organization: Any, unit: Unit) -> Account:
    """Open (or return the existing) account of an organization in a unit."""
    account, created = Account.objects.get_or_create(
        organization=organization,
        unit=unit,
        defaults={
            "lowest_balance": unit.default_lowest_balance,
            "highest_balance": unit.default_highest_balance,
        },
    )
    if created:
        audit.record(actor=actor, action=ExchangeEvent.ACCOUNT_OPEN, target=account)
    return account


@transaction.atomic
def account_set_limits(
    *, actor: Any, account: Account, lowest_balance: int, highest_balance: int | None
) -> Account:
    _check_limits(lowest_balance, highest_balance)
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.balance - account.pending_debits < lowest_balance:
        raise ExchangeError(
            _("The account is already below that limit; it can only be lowered."), "lowest_balance"
        )
    if highest_balance is not None and account.balance + account.pending_credits > highest_balance:
        raise ExchangeError(_("The account is already above that limit."), "highest_balance")
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


@transaction.atomic
def account_set_frozen(*, actor: Any, account: Account, frozen: bool, reason: str = "") -> Account:
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
