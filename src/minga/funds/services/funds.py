"""Writes of funds: create one (with its ledger accounts), set its budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded
from minga.core.ledger import MAX_AMOUNT
from minga.exchange import services as exchange

from ..audit_events import FundsEvent
from ..models import BudgetLine, Fund
from ..types import ApprovalRuleChoice, Transparency

_VISIBILITY = {
    Transparency.PUBLIC: Visibility.PUBLIC,
    Transparency.ORGANIZATIONS: Visibility.ORGANIZATIONS,
    Transparency.MANAGERS: Visibility.CUSTODIANS,
}


@dataclass
class FundData:
    name: str
    purpose: str
    unit: Any
    transparency: str = Transparency.PUBLIC
    approval_rule: str = ApprovalRuleChoice.TWO_MANAGERS
    managers: list[Any] = field(default_factory=list)
    visible_to: list[Any] = field(default_factory=list)  # organizations, for ORGANIZATIONS
    purposes: dict[str, str] = field(default_factory=dict)
    receipts_public: bool = False
    body: Any = None


def _clean(data: FundData) -> None:
    if not data.name.strip() or len(data.name) > 200:
        raise DomainError(_("A fund needs a name (up to 200 characters)."), "name", code="name")
    if not data.purpose.strip():
        raise DomainError(_("Say what the fund is for."), "purpose", code="purpose_required")
    if data.transparency not in Transparency.values:
        raise DomainError(_("Choose who may see the fund."), "transparency", code="transparency")
    if data.approval_rule not in ApprovalRuleChoice.values:
        raise DomainError(_("Choose how spending is approved."), "approval_rule", code="rule")
    if data.transparency == Transparency.ORGANIZATIONS and not data.visible_to:
        raise DomainError(
            _("Choose the organizations whose members may see the fund."),
            "visible_to",
            code="organizations_required",
        )
    if data.approval_rule == ApprovalRuleChoice.BODY_VOTE and data.body is None:
        raise DomainError(
            _("Choose the body that votes on spending."), "body", code="body_required"
        )


@guarded("funds.fund.create", on="organization")
@transaction.atomic
def fund_create(*, actor: Any, organization: Any, data: FundData) -> Fund:
    """A fund of ``organization`` with its two designated accounts in ``data.unit``: the
    fund's own (it cannot go below zero) and the one standing for money outside Minga.
    The actor is a manager, with the managers named."""
    _clean(data)
    fund = Fund(
        organization=organization,
        body=data.body,
        name=data.name.strip(),
        purpose=data.purpose.strip(),
        purposes={k: v for k, v in data.purposes.items() if v.strip()},
        unit=data.unit,
        transparency=data.transparency,
        visibility=_VISIBILITY[Transparency(data.transparency)],
        approval_rule=data.approval_rule,
        receipts_public=data.receipts_public,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    purpose = f"fund:{fund.uuid}"
    fund.account = exchange.designated_account_open(
        actor=actor, organization=organization, unit=data.unit, purpose=purpose
    )
    fund.outside_account = exchange.designated_account_open(
        actor=actor,
        organization=organization,
        unit=data.unit,
        purpose=f"{purpose}:outside",
        lowest_balance=-MAX_AMOUNT,
    )
    fund.save()
    managers = list(data.managers)
    if getattr(actor, "is_authenticated", False) and actor not in managers:
        managers.append(actor)
    fund.custodians.set(managers)
    if data.transparency == Transparency.ORGANIZATIONS:
        fund.visible_to_organizations.set(data.visible_to)
    audit.record(actor=actor, action=FundsEvent.FUND_CREATE, target=fund)
    return fund


@guarded("funds.fund.manage", on="fund")
@transaction.atomic
def budget_set(*, actor: Any, fund: Fund, category: str, year: int, amount: int) -> BudgetLine:
    """Set (or change) how much the fund plans to spend in a category in a year."""
    code = slugify(category)[:40]
    if not code:
        raise DomainError(_("Name the category."), "category", code="category_required")
    if not 2000 <= year <= 2200:
        raise DomainError(_("The year is between 2000 and 2200."), "year", code="year")
    if not 0 <= amount <= MAX_AMOUNT:
        raise DomainError(_("The budget is zero or more."), "amount", code="budget_negative")
    line, _created = BudgetLine.objects.update_or_create(
        fund=fund, category=code, year=year, defaults={"amount": amount}
    )
    audit.record(
        actor=actor,
        action=FundsEvent.BUDGET_SET,
        target=fund,
        changes={"budget": [code, year, amount]},
    )
    return line
