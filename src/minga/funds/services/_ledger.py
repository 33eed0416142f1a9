"""The one place a fund's money moves: a ledger transfer for a movement."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.core.ledger import MAX_AMOUNT
from minga.exchange import services as exchange

from ..models import MonthlyTotal, Movement
from ._revision import _figures_changed  # the package's own helper


def _check_amount(amount: int) -> None:
    if not 0 < amount <= MAX_AMOUNT:
        raise DomainError(
            _("The amount must be more than zero."), "amount", code="amount_not_positive"
        )


def _write_transfer(
    movement: Movement, *, debit: Any, credit: Any, reverses: str | None = None
) -> Movement:
    """Write the movement's transfer (its client id, in the platform's ``fund:``
    namespace), mark it done and add it to the fund's kept monthly total, all in the
    caller's transaction; a refusal of the ledger becomes a DomainError, so the caller's
    transaction writes nothing."""
    memo = f"fund {movement.fund.uuid} · {movement.kind} · {movement.uuid}"
    outcome = exchange.transfers_submit(
        actor=SYSTEM,
        inputs=[
            exchange.TransferInput(
                client_id=movement.client_id,
                debit=str(debit.uuid),
                credit=str(credit.uuid),
                unit=movement.fund.unit.code,
                amount=movement.amount,
                reverses=reverses,
                memo=memo,
            )
        ],
        platform=exchange.PLATFORM,
    ).outcomes[0]
    if outcome.status == "refused":
        if outcome.code == "exceeds_credit_limit" and debit.pk == movement.fund.account_id:
            raise DomainError(
                _("The fund does not hold that much."),
                "amount",
                code="exceeds_credit_limit",
                status=409,
            )
        if outcome.code == "exceeds_credit_limit":
            raise DomainError(
                _("The organization's account does not hold that much."),
                "amount",
                code="exceeds_credit_limit",
                status=409,
            )
        if outcome.code == "account_frozen":
            raise DomainError(
                _("One of the two accounts is frozen."), None, code="account_frozen", status=409
            )
        raise DomainError(
            _("The ledger refused this movement."), None, code="ledger_refused", status=409
        )
    movement.transfer = outcome.transfer
    movement.done_at = timezone.now()
    occurred_on = movement.occurred_on or timezone.localdate()
    movement.occurred_on = occurred_on
    signed = movement.amount if credit.pk == movement.fund.account_id else -movement.amount
    _add_to_total(movement, occurred_on, signed)
    return movement


def _add_to_total(movement: Movement, occurred_on: date, signed: int) -> None:
    """Add a transfer, signed from the fund's side, to its month's total of its kind and
    category. The row is created once (the unique constraint settles two first writers)
    and then only incremented in the database, so concurrent transfers never lose one."""
    row, _created = MonthlyTotal.objects.get_or_create(
        fund_id=movement.fund_id,
        month=occurred_on.replace(day=1),
        kind=movement.kind,
        category=movement.category,
    )
    MonthlyTotal.objects.filter(pk=row.pk).update(total=F("total") + signed)
    _figures_changed(movement.fund_id)


def _new_client_id() -> str:
    return str(exchange.new_platform_client_id("fund:"))
