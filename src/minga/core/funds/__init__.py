"""Pure core of the solidarity funds: approval rules, budgets, pledges and a fund's figures.

- :mod:`.approval`: which rule a spending needs (one manager, two managers, a body's vote;
  beyond the budget the next higher rule) and whether the approvals given meet it (the
  requester never approves their own request).
- :mod:`.figures`: a fund's figures replayed from its journal entries: balance, income and
  spending by category and month, progress against the budget.
- :mod:`.pledges`: due dates of recurring pledges, and which are overdue.
- :mod:`.report`: counts for public reports, groups under five suppressed.

Amounts are integers in the unit's minor units. Imports: the standard library only.
"""

from .approval import (
    ApprovalRefusal,
    ApprovalRule,
    ApprovalStatus,
    check_approver,
    higher_rule,
    rule_for,
    status_of,
)
from .figures import BudgetProgress, FundEntry, FundFigures, MovementKind, fund_figures
from .pledges import Recurrence, due_dates, latest_due, next_due, overdue_count
from .report import SMALLEST_GROUP, SuppressedCounts, suppress_small

__all__ = [
    "SMALLEST_GROUP",
    "ApprovalRefusal",
    "ApprovalRule",
    "ApprovalStatus",
    "BudgetProgress",
    "FundEntry",
    "FundFigures",
    "MovementKind",
    "Recurrence",
    "SuppressedCounts",
    "check_approver",
    "due_dates",
    "fund_figures",
    "higher_rule",
    "latest_due",
    "next_due",
    "overdue_count",
    "rule_for",
    "status_of",
    "suppress_small",
]
