"""Writes of spending: request a grant or an expense, approve it (which pays it), refuse
it, attach a body's vote, and reverse a movement.

The rule a request needs is fixed when it is made (``minga.core.funds.rule_for``): the
fund's rule within the budget, the next higher one beyond it. Approval pays at once, in
the same transaction, so an approved request is always a transfer in the ledger.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import IMAGES, check_upload, server_name
from minga.common.permissions import guarded
from minga.core.funds import ApprovalRefusal, ApprovalRule, check_approver, rule_for, status_of
from minga.exchange import selectors as exchange_selectors

from .. import selectors
from ..audit_events import FundsEvent
from ..models import Approval, CaseExpense, Fund, Movement
from ..types import MovementKindChoice, MovementStatus
from ._ledger import _check_amount, _new_client_id, _write_transfer  # the package's own helpers

_REFUSALS = {
    "self_approval": lambda: _("You asked for this; another manager must approve it."),
    "already_approved": lambda: _("You have approved this already."),
    "vote_required": lambda: _("This spending needs a vote of the body."),
}


def _fund_of(movement: Movement) -> Fund:
    return movement.fund


@guarded("funds.fund.manage", on="fund")
@transaction.atomic
def spending_request(
    *,
    actor: Any,
    fund: Fund,
    kind: str,
    amount: int,
    category: str,
    description: str,
    recipient: Any = None,
    payee: str = "",
) -> Movement:
    """Ask to spend from the fund: a grant to an organization (``recipient``, which needs
    its own account in the fund's unit) or an expense paid outside Minga (``payee``)."""
    return _request(
        actor=actor,
        fund=fund,
        kind=kind,
        amount=amount,
        category=category,
        description=description,
        recipient=recipient,
        payee=payee,
    )


def _request(
    *,
    actor: Any,
    fund: Fund,
    kind: str,
    amount: int,
    category: str,
    description: str,
    recipient: Any = None,
    payee: str = "",
) -> Movement:
    """The request itself, for the guarded callers (``spending_request``, and a legal
    case's team asking to pay an expense of the case)."""
    _check_amount(amount)
    code = slugify(category)[:40]
    if not code:
        raise DomainError(_("Name the category."), "category", code="category_required")
    if not description.strip():
        raise DomainError(_("Say what the money is for."), "description", code="description")
    if kind == MovementKindChoice.GRANT:
        if recipient is None:
            raise DomainError(
                _("Choose the organization that receives the grant."),
                "recipient",
                code="recipient_required",
            )
        if exchange_selectors.own_account(recipient, fund.unit) is None:
            raise DomainError(
                _("%(organization)s has no account in %(unit)s.")
                % {"organization": recipient, "unit": fund.unit.code},
                "recipient",
                code="no_account",
            )
        payee = ""
    elif kind == MovementKindChoice.EXPENSE:
        if not payee.strip():
            raise DomainError(_("Say who is paid."), "payee", code="payee_required")
        recipient = None
    else:
        raise DomainError(_("Choose a grant or an expense."), "kind", code="kind")
    year = timezone.localdate().year
    committed = selectors.committed_in(fund, code, year) + _waiting_in(fund, code)
    budget = selectors.budget_of(fund, year).get(code)
    rule = rule_for(
        ApprovalRule(fund.approval_rule), budget=budget, committed=committed, amount=amount
    )
    if rule is ApprovalRule.BODY_VOTE and fund.body_id is None:
        raise DomainError(
            _(
                "Beyond its budget, this fund's spending needs a vote of a body, and the fund "
                "has none. Change the budget first."
            ),
            "amount",
            code="beyond_budget",
        )
    movement = Movement.objects.create(
        fund=fund,
        kind=kind,
        status=MovementStatus.REQUESTED,
        category=code,
        description=description.strip()[:300],
        amount=amount,
        recipient=recipient,
        payee=payee.strip()[:200],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        rule=rule.value,
        client_id=_new_client_id(),
    )
    audit.record(actor=actor, action=FundsEvent.SPENDING_REQUEST, target=movement)
    return movement


def _waiting_in(fund: Fund, category: str) -> int:
    """Requests of a category still waiting: they count against the budget already, so
    two requests cannot each fit a budget that only holds one."""
    return sum(
        fund.movements.filter(status=MovementStatus.REQUESTED, category=category).values_list(
            "amount", flat=True
        )
    )


def _locked_request(movement: Movement) -> Movement:
    movement = (
        Movement.objects.select_for_update(of=("self",)).select_related("fund").get(pk=movement.pk)
    )
    if movement.status != MovementStatus.REQUESTED:
        raise DomainError(
            _("This request has been decided already."), None, code="already_decided", status=409
        )
    return movement


def _pay(actor: Any, movement: Movement) -> Movement:
    fund = movement.fund
    if movement.kind == MovementKindChoice.GRANT:
        credit = exchange_selectors.own_account(movement.recipient, fund.unit)
        if credit is None:
            raise DomainError(
                _("%(organization)s has no account in %(unit)s.")
                % {"organization": movement.recipient, "unit": fund.unit.code},
                "recipient",
                code="no_account",
            )
    else:
        credit = fund.outside_account
    _write_transfer(movement, debit=fund.account, credit=credit)
    movement.status = MovementStatus.DONE
    movement.save(update_fields=["status", "transfer", "done_at", "occurred_on", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.SPENDING_PAY, target=movement)
    return movement


@guarded("funds.fund.manage", on="movement", via=_fund_of)
@transaction.atomic
def spending_approve(*, actor: Any, movement: Movement) -> Movement:
    """A manager's approval; once the request's rule is met it is paid at once. Under four
    eyes the requester never approves their own request and one other manager completes a
    manager's request (``core.funds.status_of``); nobody approves twice, and a request
    that needs a body's vote takes no manager's approval."""
    movement = _locked_request(movement)
    rule = ApprovalRule(movement.rule)
    approvers = list(movement.approvals.values_list("manager_id", flat=True))
    try:
        check_approver(
            rule,
            requester=movement.requested_by_id or 0,
            approvers=approvers,
            approver=actor.pk or 0,
        )
    except ApprovalRefusal as refusal:
        message = str(_REFUSALS[refusal.code]())  # each one a gettext call, above
        raise DomainError(message, None, code=refusal.code, status=409) from None
    Approval.objects.create(movement=movement, manager=actor)
    audit.record(actor=actor, action=FundsEvent.SPENDING_APPROVE, target=movement)
    requester = movement.requested_by_id
    status = status_of(
        rule,
        requester=requester or 0,
        approvers=[*approvers, actor.pk],
        vote_passed=None,
        # A manager's request is their agreement; still a manager now, or it is not.
        requester_manages=requester is not None
        and movement.fund.custodians.filter(pk=requester).exists(),
    )
    if status.approved:
        _pay(actor, movement)
    return movement


@guarded("funds.fund.manage", on="movement", via=_fund_of)
@transaction.atomic
def spending_refuse(*, actor: Any, movement: Movement, reason: str) -> Movement:
    if not reason.strip():
        raise DomainError(_("Say why the request is refused."), "reason", code="reason_required")
    movement = _locked_request(movement)
    movement.status = MovementStatus.REFUSED
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.SPENDING_REFUSE, target=movement, reason=reason)
    return movement


@guarded("funds.fund.manage", on="movement", via=_fund_of)
@transaction.atomic
def spending_vote_attach(*, actor: Any, movement: Movement, vote: Any) -> Movement:
    """Attach the body's closed vote on a request that needs one: adopted, it is paid;
    rejected, it is refused. The vote must be of the fund's body."""
    from minga.assemblies import selectors as assemblies

    movement = _locked_request(movement)
    if movement.rule != ApprovalRule.BODY_VOTE:
        raise DomainError(
            _("This request is approved by managers, not by a vote."),
            "vote",
            code="vote_not_needed",
        )
    if vote is None or vote.body_id != movement.fund.body_id:
        raise DomainError(
            _("The vote must be one of the fund's body."), "vote", code="vote_of_other_body"
        )
    adopted = assemblies.vote_adopted(vote)
    if adopted is None:
        raise DomainError(
            _("The vote has no result yet."), "vote", code="vote_not_closed", status=409
        )
    movement.vote = vote
    movement.save(update_fields=["vote", "updated_at"])
    status = status_of(ApprovalRule.BODY_VOTE, requester=0, approvers=[], vote_passed=adopted)
    if status.approved:
        return _pay(actor, movement)
    movement.status = MovementStatus.REFUSED
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.SPENDING_REFUSE, target=movement)
    return movement


@guarded("funds.fund.manage", on="movement", via=_fund_of)
@transaction.atomic
def movement_reverse(*, actor: Any, movement: Movement, reason: str) -> Movement:
    """Correct a movement by a reversing transfer (the journal keeps both)."""
    if not reason.strip():
        raise DomainError(_("Say why it is reversed."), "reason", code="reason_required")
    movement = (
        Movement.objects.select_for_update(of=("self",))
        .select_related("fund", "transfer")
        .get(pk=movement.pk)
    )
    if movement.status != MovementStatus.DONE or movement.reverses_id is not None:
        raise DomainError(
            _("Only a paid movement can be reversed, once."),
            None,
            code="not_reversible",
            status=409,
        )
    original = movement.transfer
    if original is None:  # a done movement always has its transfer; never half-applied
        raise DomainError(_("This movement is not in the ledger."), None, code="not_reversible")
    reversal = Movement(
        fund=movement.fund,
        kind=movement.kind,
        status=MovementStatus.DONE,
        category=movement.category,
        description=(_("Reversal: %(reason)s") % {"reason": reason.strip()})[:300],
        amount=movement.amount,
        recipient=movement.recipient,
        reverses=movement,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_id=_new_client_id(),
    )
    _write_transfer(
        reversal, debit=original.credit, credit=original.debit, reverses=original.client_id
    )
    reversal.save()
    movement.status = MovementStatus.REVERSED
    movement.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.MOVEMENT_REVERSE, target=movement, reason=reason)
    return reversal


RECEIPT_MAX_BYTES = 10 * 1024 * 1024
RECEIPT_KINDS = IMAGES | {"pdf"}


@guarded("funds.fund.manage", on="movement", via=_fund_of)
@transaction.atomic
def receipt_attach(*, actor: Any, movement: Movement, upload: Any) -> Movement:
    """Attach the receipt of a paid movement: a PDF or a picture (PNG, JPEG, WebP) up to
    10 MB, its kind read from its content, stored under a name the server chooses. Once
    attached it stays (a receipt is evidence; a wrong one is corrected by reversing the
    movement). An expense of a legal case takes none here: what it paid for is sealed in
    the case, with the case's documents."""
    movement = Movement.objects.select_for_update(of=("self",)).get(pk=movement.pk)
    if upload is None:
        raise DomainError(_("Choose a file."), "receipt", code="file_required")
    if movement.transfer_id is None:
        raise DomainError(
            _("A receipt is attached once the movement is paid."),
            "receipt",
            code="receipt_not_paid",
            status=409,
        )
    if movement.receipt:
        raise DomainError(
            _("This movement has its receipt already."),
            "receipt",
            code="receipt_exists",
            status=409,
        )
    if CaseExpense.objects.filter(movement=movement).exists():
        raise DomainError(
            _("The receipt of a legal case's expense goes into the case's documents."),
            "receipt",
            code="receipt_in_case",
            status=409,
        )
    kind = check_upload(upload, allowed=RECEIPT_KINDS, max_bytes=RECEIPT_MAX_BYTES, field="receipt")
    upload.seek(0)
    movement.receipt.save(server_name(kind), File(upload), save=False)
    movement.save(update_fields=["receipt", "updated_at"])
    audit.record(actor=actor, action=FundsEvent.RECEIPT_ATTACH, target=movement)
    return movement
