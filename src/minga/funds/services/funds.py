"""Writes of funds: create one (with its ledger accounts), change its settings, its
managers, its approval rule and the body that owns it, set its budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
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
from ._revision import _figures_changed  # the package's own helper

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
    # None: the owning body's vote for a fund of a body, else two managers.
    approval_rule: str | None = None
    managers: list[Any] = field(default_factory=list)
    visible_to: list[Any] = field(default_factory=list)  # organizations, for ORGANIZATIONS
    purposes: dict[str, str] = field(default_factory=dict)
    receipts_public: bool = False
    body: Any = None  # the body that votes on spending (the owning body's by default)
    owner_body: Any = None  # the body of the organization (a network) the fund belongs to


def _with_defaults(data: FundData) -> None:
    """A fund of a body is approved by that body's vote unless told otherwise, and the
    body that votes is the owning body unless another is named."""
    if data.owner_body is None:
        if data.approval_rule is None:
            data.approval_rule = ApprovalRuleChoice.TWO_MANAGERS
        return
    if data.approval_rule is None:
        data.approval_rule = ApprovalRuleChoice.BODY_VOTE
    if data.body is None:
        data.body = data.owner_body


def _check_owner_body(organization: Any, owner_body: Any) -> None:
    """A fund of a body belongs to the body's network: its accounts, its coordinators and
    its readers are the network's. A body of another organization is refused (a fund's
    organization never changes, so neither does the network that holds its money)."""
    if owner_body is not None and owner_body.organization_id != organization.pk:
        raise DomainError(
            _(
                "The fund belongs to %(network)s: choose one of its bodies, not a body of "
                "another network."
            )
            % {"network": organization.display_name},
            "owner_body",
            code="body_of_other_network",
        )


def _clean(data: FundData) -> None:
    if not data.name.strip() or len(data.name) > 200:
        raise DomainError(_("A fund needs a name (up to 200 characters)."), "name", code="name")
    if not data.purpose.strip():
        raise DomainError(_("Say what the fund is for."), "purpose", code="purpose_required")
    if data.transparency not in Transparency.values:
        raise DomainError(_("Choose who may see the fund."), "transparency", code="transparency")
    # None only for settings, which leave the rule alone (``fund_create`` fills it first).
    if data.approval_rule is not None and data.approval_rule not in ApprovalRuleChoice.values:
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
    The actor is a manager, with the managers named. With ``data.owner_body`` (a body of
    ``organization``) the fund is that body's, approved by its vote unless another rule
    is given."""
    _with_defaults(data)
    _clean(data)
    _clean_purposes(data.purposes)
    _check_owner_body(organization, data.owner_body)
    fund = Fund(
        organization=organization,
        owner_body=data.owner_body,
        body=data.body,
        name=data.name.strip(),
        purpose=data.purpose.strip(),
        purposes={k: v for k, v in data.purposes.items() if v.strip()},
        unit=data.unit,
        transparency=data.transparency,
        visibility=_VISIBILITY[Transparency(data.transparency)],
        approval_rule=str(data.approval_rule),
        receipts_public=data.receipts_public,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if data.body is not None:
        _check_body(fund, data.body)
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
    _figures_changed(fund.pk)
    audit.record(
        actor=actor,
        action=FundsEvent.BUDGET_SET,
        target=fund,
        changes={"budget": [code, year, amount]},
    )
    return line


# Settings after creation ------------------------------------------------------------


@dataclass
class FundSettings:
    """What a fund's managers and its owner's coordinators change (``funds.fund.edit``)."""

    name: str
    purpose: str
    transparency: str
    purposes: dict[str, str] = field(default_factory=dict)
    visible_to: list[Any] = field(default_factory=list)  # organizations, for ORGANIZATIONS
    receipts_public: bool = False


def _locked(fund: Fund) -> Fund:
    """The fund's row, locked until the caller's transaction ends: two settings changes
    (two coordinators removing the last two managers at once) are made one after the
    other, each seeing the other's result."""
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _clean_settings(data: FundSettings) -> None:
    _clean(
        FundData(
            name=data.name,
            purpose=data.purpose,
            unit=None,
            transparency=data.transparency,
            visible_to=data.visible_to,
        )
    )
    _clean_purposes(data.purposes)


def _clean_purposes(purposes: dict[str, str]) -> None:
    for language, text in purposes.items():
        if language not in dict(settings.LANGUAGES):
            raise DomainError(
                _("There is no language %(code)s.") % {"code": language},
                "purposes",
                code="language",
            )
        if not isinstance(text, str) or len(text) > 5000:
            raise DomainError(
                _("A purpose is text of up to 5,000 characters."), "purposes", code="purpose"
            )


@guarded("funds.fund.edit", on="fund")
@transaction.atomic
def fund_update(*, actor: Any, fund: Fund, data: FundSettings) -> Fund:
    """Change the fund's name, purposes, transparency (with the organizations whose
    members read it) and whether its receipts are shown. Sending the same settings again
    changes nothing and writes no audit entry."""
    _clean_settings(data)
    given, fund = fund, _locked(fund)
    wanted = {
        "name": data.name.strip(),
        "purpose": data.purpose.strip(),
        "purposes": {k: v.strip() for k, v in sorted(data.purposes.items()) if v.strip()},
        "transparency": str(data.transparency),
        "receipts_public": bool(data.receipts_public),
    }
    changes: dict[str, Any] = {}
    for name, value in wanted.items():
        if getattr(fund, name) != value:
            changes[name] = [getattr(fund, name), value]
            setattr(fund, name, value)
    fund.visibility = _VISIBILITY[Transparency(fund.transparency)]
    chosen = data.visible_to if fund.transparency == Transparency.ORGANIZATIONS else []
    before = sorted(fund.visible_to_organizations.values_list("slug", flat=True))
    after = sorted({organization.slug for organization in chosen})
    if before != after:
        fund.visible_to_organizations.set(chosen)
        changes["visible_to"] = [before, after]
    if changes:
        fund.save()
        audit.record(actor=actor, action=FundsEvent.FUND_UPDATE, target=fund, changes=changes)
    given.refresh_from_db()  # the caller's copy shows the new settings
    return given


def _check_body(fund: Fund, body: Any) -> None:
    """A fund's spending is voted by a body of its owner (when it is a network) or of one
    of the networks its owner belongs to."""
    from minga.registry.selectors import network_ids_of

    owners = {fund.organization_id, *network_ids_of(fund.organization)}
    if body.organization_id not in owners:
        raise DomainError(
            _("Choose a body of the fund's organization or of one of its networks."),
            "body",
            code="body_elsewhere",
        )


@guarded("funds.fund.govern", on="fund")
@transaction.atomic
def approval_rule_set(*, actor: Any, fund: Fund, rule: str, body: Any = None) -> Fund:
    """Set how the fund's spending is approved, and the body that votes (needed for a
    vote, and for spending beyond the budget under two managers). Requests already made
    keep the rule they were made under. Audited with the old and new rule."""
    if rule not in ApprovalRuleChoice.values:
        raise DomainError(_("Choose how spending is approved."), "approval_rule", code="rule")
    if rule == ApprovalRuleChoice.BODY_VOTE and body is None:
        raise DomainError(
            _("Choose the body that votes on spending."), "body", code="body_required"
        )
    given, fund = fund, _locked(fund)
    if body is not None:
        _check_body(fund, body)
    changes: dict[str, Any] = {}
    if fund.approval_rule != rule:
        changes["approval_rule"] = [fund.approval_rule, rule]
    if fund.body_id != (body.pk if body is not None else None):
        changes["body"] = [
            fund.body.slug if fund.body_id else None,  # type: ignore[union-attr]
            body.slug if body is not None else None,
        ]
    if changes:
        fund.approval_rule, fund.body = rule, body
        fund.save(update_fields=["approval_rule", "body", "updated_at"])
        audit.record(actor=actor, action=FundsEvent.FUND_RULE, target=fund, changes=changes)
    given.refresh_from_db()  # the caller's copy shows the new rule
    return given


@guarded("funds.fund.govern", on="fund")
@transaction.atomic
def fund_owner_set(*, actor: Any, fund: Fund, owner_body: Any) -> Fund:
    """Make the fund a fund of one of its network's bodies, or (``None``) of the
    organization itself. Only the body changes: the organization, its ledger accounts,
    readers, managers and approval rule stay. Setting the same owner again changes
    nothing and writes no audit entry."""
    given, fund = fund, _locked(fund)
    _check_owner_body(fund.organization, owner_body)
    wanted = owner_body.pk if owner_body is not None else None
    if fund.owner_body_id != wanted:
        before = fund.owner_body.slug if fund.owner_body is not None else None
        fund.owner_body = owner_body
        fund.save(update_fields=["owner_body", "updated_at"])
        audit.record(
            actor=actor,
            action=FundsEvent.FUND_OWNER,
            target=fund,
            changes={"owner_body": [before, owner_body.slug if owner_body is not None else None]},
        )
    given.refresh_from_db()  # the caller's copy shows the new owner
    return given


@guarded("funds.fund.govern", on="fund")
@transaction.atomic
def manager_add(*, actor: Any, fund: Fund, user: Any) -> bool:
    """Make a person a manager of the fund; False (and nothing written) if they are one
    already, so a retried request changes nothing."""
    if user is None or not getattr(user, "is_active", False):
        raise DomainError(_("Choose a person."), "user", code="user_required")
    fund = _locked(fund)
    if fund.custodians.filter(pk=user.pk).exists():
        return False
    fund.custodians.add(user)
    audit.record(
        actor=actor,
        action=FundsEvent.FUND_MANAGER_ADD,
        target=fund,
        changes={"managers": [None, user.get_username()]},
    )
    return True


@guarded("funds.fund.govern", on="fund")
@transaction.atomic
def manager_remove(*, actor: Any, fund: Fund, user: Any) -> bool:
    """Take a person off the fund's managers; False if they are not one. A fund always
    keeps one manager. Their approvals already given stay (they were a manager then)."""
    fund = _locked(fund)
    if user is None or not fund.custodians.filter(pk=user.pk).exists():
        return False
    if fund.custodians.count() == 1:
        raise DomainError(
            _("A fund keeps at least one manager: add another one first."),
            "user",
            code="last_manager",
            status=409,
        )
    fund.custodians.remove(user)
    audit.record(
        actor=actor,
        action=FundsEvent.FUND_MANAGER_REMOVE,
        target=fund,
        changes={"managers": [user.get_username(), None]},
    )
    return True


@guarded("funds.fund.manage", on="fund")
@transaction.atomic
def budget_remove(*, actor: Any, fund: Fund, category: str, year: int) -> bool:
    """Remove a budget line (the category then has no budget that year: its spending
    needs the next stricter rule); False if there is no such line."""
    deleted, _rows = BudgetLine.objects.filter(
        fund=fund, category=slugify(category)[:40], year=year
    ).delete()
    if deleted:
        _figures_changed(fund.pk)
        audit.record(
            actor=actor,
            action=FundsEvent.BUDGET_SET,
            target=fund,
            changes={"budget": [[slugify(category)[:40], year], None]},
        )
    return bool(deleted)
