"""Writes of pledges and contributions: pledge, cancel, record a contribution received."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.core.funds import Recurrence, next_due

from ..audit_events import FundsEvent
from ..models import Fund, Movement, Pledge
from ..types import MovementKindChoice, MovementStatus, PledgeStatus, RecurrenceChoice
from ._ledger import _check_amount, _new_client_id, _write_transfer  # the package's own helpers


@guarded("funds.pledge.create", on="fund")
@transaction.atomic
def pledge_create(
    *,
    actor: Any,
    fund: Fund,
    amount: int,
    recurrence: str = RecurrenceChoice.ONCE,
    starts_on: date | None = None,
    named: bool = False,
) -> Pledge:
    """A pledge by ``actor``. Anonymous to the public unless ``named``; the fund's managers
    always see who pledged."""
    _check_amount(amount)
    if recurrence not in RecurrenceChoice.values:
        raise DomainError(_("Choose how often you will give."), "recurrence", code="recurrence")
    today = timezone.localdate()
    starts_on = starts_on or today
    if starts_on < today:
        raise DomainError(
            _("The first payment is today or later."), "starts_on", code="starts_in_past"
        )
    pledge = Pledge.objects.create(
        fund=fund,
        contributor=actor,
        amount=amount,
        recurrence=recurrence,
        starts_on=starts_on,
        named=named,
        next_due_on=starts_on,
    )
    # About the pledge, not the fund: the log shows a pledge's entries only to its
    # contributor and the fund's managers, so an anonymous contributor stays anonymous.
    audit.record(actor=actor, action=FundsEvent.PLEDGE_CREATE, target=pledge)
    return pledge


@guarded("funds.pledge.cancel", on="pledge")
@transaction.atomic
def pledge_cancel(*, actor: Any, pledge: Pledge) -> Pledge:
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != PledgeStatus.ACTIVE:
        raise DomainError(
            _("This pledge is not active any more."), None, code="pledge_closed", status=409
        )
    pledge.status = PledgeStatus.CANCELLED
    pledge.next_due_on = None
    pledge.save(update_fields=["status", "next_due_on", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.PLEDGE_CANCEL, target=pledge)
    return pledge


@guarded("funds.fund.manage", on="fund")
@transaction.atomic
def contribution_receive(
    *,
    actor: Any,
    fund: Fund,
    amount: int,
    category: str = "contributions",
    description: str = "",
    pledge: Pledge | None = None,
    received_on: date | None = None,
) -> Movement:
    """Record money received for the fund (outside Minga: cash, a bank transfer) as a
    ledger transfer into the fund's account; with ``pledge``, one instalment of it.
    ``received_on`` (today by default, never later) is the month the figures count it in."""
    _check_amount(amount)
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        raise DomainError(
            _("The money cannot be received in the future."), "received_on", code="future_date"
        )
    code = slugify(category)[:40]
    if not code:
        raise DomainError(_("Name the category."), "category", code="category_required")
    if pledge is not None:
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if pledge.fund_id != fund.pk:
            raise DomainError(
                _("This pledge is to another fund."), "pledge", code="pledge_of_other_fund"
            )
        if pledge.status != PledgeStatus.ACTIVE:
            raise DomainError(
                _("This pledge is not active any more."),
                "pledge",
                code="pledge_closed",
                status=409,
            )
    movement = Movement(
        fund=fund,
        kind=MovementKindChoice.CONTRIBUTION,
        status=MovementStatus.DONE,
        category=code,
        description=(description.strip() or _("Contribution"))[:300],
        amount=amount,
        pledge=pledge,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_id=_new_client_id(),
        occurred_on=received_on or today,
    )
    _write_transfer(movement, debit=fund.outside_account, credit=fund.account)
    movement.save()
    if pledge is not None:
        pledge.received_count += 1
        due = next_due(pledge.starts_on, Recurrence(pledge.recurrence), pledge.received_count)
        pledge.next_due_on = due
        if due is None:
            pledge.status = PledgeStatus.FULFILLED
        pledge.save(update_fields=["received_count", "next_due_on", "status", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.CONTRIBUTION_RECEIVE, target=movement)
    return movement
