"""Writes of the funds, one module per aggregate.

- :mod:`.funds`: create a fund (and its two designated ledger accounts), set its budget.
- :mod:`.pledges`: pledge, cancel a pledge, record a contribution received.
- :mod:`.spending`: request a grant or an expense, approve or refuse it, attach a body's
  vote, reverse a movement, attach its receipt.
- :mod:`.cases`: the legal-support case register (sealed at rest, read by its team only).

Every public function is keyword-only, atomic, audited and guarded (``rules.py``). Money
moves only through the exchange's ``transfers_submit``, with client ids in the platform's
``fund:`` namespace, so no one can pre-empt or reverse a fund's entries from the exchange.
"""

from .cases import (
    CaseData,
    case_dates_remind,
    case_delete,
    case_open,
    case_read,
    case_update,
    cases_listed,
    cases_rekey,
    date_add,
    date_done,
    document_add,
    document_open,
    document_remove,
    expense_request,
    identity_read,
    identity_set,
    member_add,
    member_remove,
    note_add,
)
from .funds import (
    FundData,
    FundSettings,
    approval_rule_set,
    budget_remove,
    budget_set,
    fund_create,
    fund_owner_set,
    fund_update,
    manager_add,
    manager_remove,
)
from .pledges import contribution_receive, pledge_cancel, pledge_create, pledges_remind
from .spending import (
    movement_reverse,
    receipt_attach,
    spending_approve,
    spending_refuse,
    spending_request,
    spending_vote_attach,
)

__all__ = [
    "CaseData",
    "FundData",
    "FundSettings",
    "approval_rule_set",
    "budget_remove",
    "budget_set",
    "case_dates_remind",
    "case_delete",
    "case_open",
    "case_read",
    "case_update",
    "cases_listed",
    "cases_rekey",
    "contribution_receive",
    "date_add",
    "date_done",
    "document_add",
    "document_open",
    "document_remove",
    "expense_request",
    "fund_create",
    "fund_owner_set",
    "fund_update",
    "identity_read",
    "identity_set",
    "manager_add",
    "manager_remove",
    "member_add",
    "member_remove",
    "movement_reverse",
    "note_add",
    "pledge_cancel",
    "pledge_create",
    "pledges_remind",
    "receipt_attach",
    "spending_approve",
    "spending_refuse",
    "spending_request",
    "spending_vote_attach",
]
