"""A fund's figures, replayed from the entries of its ledger account.

Each entry is signed from the fund's side: money in is positive, money out negative. A
reversal carries the kind and category of the entry it corrects, with the opposite sign,
so a reversed contribution lowers income and a reversed expense lowers spending. The
balance is the sum of the entries, which is exactly the account's balance in the ledger.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class MovementKind(enum.StrEnum):
    CONTRIBUTION = "contribution"
    GRANT = "grant"
    EXPENSE = "expense"


@dataclass(frozen=True)
class FundEntry:
    kind: MovementKind
    category: str
    month: str  # "YYYY-MM"
    amount: int  # signed, from the fund's side


@dataclass(frozen=True)
class BudgetProgress:
    category: str
    budget: int
    spent: int

    @property
    def remaining(self) -> int:
        return self.budget - self.spent

    @property
    def percent(self) -> int:
        """Spent as a whole percentage of the budget (0 for an empty budget)."""
        return self.spent * 100 // self.budget if self.budget > 0 else 0


@dataclass
class FundFigures:
    balance: int = 0
    income: int = 0
    spending: int = 0
    income_by_category: dict[str, int] = field(default_factory=dict)
    spending_by_category: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, tuple[int, int]] = field(default_factory=dict)  # month: (in, out)
    budget: list[BudgetProgress] = field(default_factory=list)


def fund_figures(
    entries: Iterable[FundEntry], budgets: Mapping[str, int] | None = None, year: str = ""
) -> FundFigures:
    """The figures of a fund: totals, by category and by month (months in order), and
    the spending of ``year`` ("YYYY") against ``budgets`` (category: amount)."""
    income: dict[str, int] = defaultdict(int)
    spending: dict[str, int] = defaultdict(int)
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    spent_in_year: dict[str, int] = defaultdict(int)
    balance = 0
    for entry in entries:
        balance += entry.amount
        if entry.kind is MovementKind.CONTRIBUTION:
            income[entry.category] += entry.amount
            months[entry.month][0] += entry.amount
        else:
            spending[entry.category] -= entry.amount
            months[entry.month][1] -= entry.amount
            if entry.month.startswith(year + "-"):
                spent_in_year[entry.category] -= entry.amount
    progress = [
        BudgetProgress(category, amount, spent_in_year.get(category, 0))
        for category, amount in sorted((budgets or {}).items())
    ]
    return FundFigures(
        balance=balance,
        income=sum(income.values()),
        spending=sum(spending.values()),
        income_by_category={k: v for k, v in sorted(income.items()) if v},
        spending_by_category={k: v for k, v in sorted(spending.items()) if v},
        by_month={month: (pair[0], pair[1]) for month, pair in sorted(months.items())},
        budget=progress,
    )
