"""The funds' pure core: approval rules, figures replayed from entries, pledge due dates."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minga.core.funds import (
    ApprovalRefusal,
    ApprovalRule,
    FundEntry,
    MovementKind,
    Recurrence,
    check_approver,
    due_dates,
    fund_figures,
    higher_rule,
    latest_due,
    next_due,
    overdue_count,
    rule_for,
    status_of,
)

RULES = list(ApprovalRule)
entries = st.lists(
    st.builds(
        FundEntry,
        kind=st.sampled_from(list(MovementKind)),
        category=st.sampled_from(["seeds", "tools", "legal"]),
        month=st.sampled_from(["2025-12", "2026-01", "2026-02"]),
        amount=st.integers(-(10**9), 10**9).filter(bool),
    ),
    max_size=40,
)


@given(entries)
def test_the_balance_is_income_minus_spending_and_the_months_add_up(
    items: list[FundEntry],
) -> None:
    """Every entry counts once: the balance is the sum of the entries, which is income
    minus spending, and both are the sums of their categories and of their months."""
    figures = fund_figures(items)
    assert figures.balance == sum(entry.amount for entry in items)
    assert figures.balance == figures.income - figures.spending
    assert figures.income == sum(figures.income_by_category.values())
    assert figures.spending == sum(figures.spending_by_category.values())
    assert figures.income == sum(i for i, _o in figures.by_month.values())
    assert figures.spending == sum(o for _i, o in figures.by_month.values())
    assert list(figures.by_month) == sorted(figures.by_month)


@given(entries)
def test_a_reversal_of_every_entry_leaves_nothing(items: list[FundEntry]) -> None:
    reversed_items = [FundEntry(e.kind, e.category, e.month, -e.amount) for e in items]
    figures = fund_figures(items + reversed_items, {"seeds": 5}, "2026")
    assert figures.balance == 0
    assert figures.income == 0 and figures.spending == 0
    assert figures.income_by_category == {} and figures.spending_by_category == {}
    assert [line.spent for line in figures.budget] == [0]


def test_budget_progress_counts_only_the_year_asked() -> None:
    items = [
        FundEntry(MovementKind.EXPENSE, "seeds", "2025-12", -300),
        FundEntry(MovementKind.GRANT, "seeds", "2026-01", -200),
        FundEntry(MovementKind.CONTRIBUTION, "seeds", "2026-01", 900),
    ]
    (line,) = fund_figures(items, {"seeds": 1_000}, "2026").budget
    assert (line.spent, line.remaining, line.percent) == (200, 800, 20)


@given(
    st.sampled_from(RULES),
    st.one_of(st.none(), st.integers(0, 10**6)),
    st.integers(0, 10**6),
    st.integers(1, 10**6),
)
def test_spending_beyond_the_budget_needs_a_stricter_rule(
    base: ApprovalRule, budget: int | None, committed: int, amount: int
) -> None:
    rule = rule_for(base, budget=budget, committed=committed, amount=amount)
    within = budget is not None and committed + amount <= budget
    assert rule == (base if within else higher_rule(base))
    assert RULES.index(rule) >= RULES.index(base)


def test_a_spending_of_nothing_is_not_a_spending() -> None:
    with pytest.raises(ValueError, match="positive"):
        rule_for(ApprovalRule.ONE_MANAGER, budget=5, committed=0, amount=0)


@given(st.integers(1, 5), st.lists(st.integers(1, 5), unique=True, max_size=4), st.booleans())
def test_four_eyes_never_counts_the_requester(
    requester: int, approvers: list[int], manages: bool
) -> None:
    """Under two managers, two different managers agree: a requester who manages the fund
    and one other manager, or two managers other than a requester who does not manage
    it. The requester's own approval never counts."""
    status = status_of(
        ApprovalRule.TWO_MANAGERS,
        requester=requester,
        approvers=approvers,
        vote_passed=None,
        requester_manages=manages,
    )
    others = set(approvers) - {requester}
    needed = 1 if manages else 2
    assert status.approved is (len(others) >= needed)
    assert status.missing == max(needed - len(others), 0)


def test_the_requester_may_not_approve_under_four_eyes_nor_anyone_twice() -> None:
    with pytest.raises(ApprovalRefusal) as own:
        check_approver(ApprovalRule.TWO_MANAGERS, requester=1, approvers=[], approver=1)
    assert own.value.code == "self_approval"
    with pytest.raises(ApprovalRefusal) as twice:
        check_approver(ApprovalRule.TWO_MANAGERS, requester=1, approvers=[2], approver=2)
    assert twice.value.code == "already_approved"
    with pytest.raises(ApprovalRefusal) as vote:
        check_approver(ApprovalRule.BODY_VOTE, requester=1, approvers=[], approver=2)
    assert vote.value.code == "vote_required"
    check_approver(ApprovalRule.ONE_MANAGER, requester=1, approvers=[], approver=1)


def test_a_body_vote_decides_by_its_result() -> None:
    waiting = status_of(ApprovalRule.BODY_VOTE, requester=1, approvers=[2, 3], vote_passed=None)
    assert not waiting.approved and waiting.missing == 1
    assert status_of(ApprovalRule.BODY_VOTE, requester=1, approvers=[], vote_passed=True).approved
    rejected = status_of(ApprovalRule.BODY_VOTE, requester=1, approvers=[], vote_passed=False)
    assert rejected.refused and not rejected.approved


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from([Recurrence.MONTHLY, Recurrence.YEARLY]),
    st.integers(0, 40),
)
def test_recurring_due_dates_do_not_drift(start: date, recurrence: Recurrence, n: int) -> None:
    """The n-th due date is n months (or years) after the start, on the start's day or the
    month's last day when it is shorter; dates only move forward."""
    days = list(zip(range(n + 2), due_dates(start, recurrence), strict=False))
    day = days[n][1]
    months = n if recurrence is Recurrence.MONTHLY else 12 * n
    assert (day.year * 12 + day.month) - (start.year * 12 + start.month) == months
    assert day.day == start.day or (day + timedelta(days=1)).month != day.month
    assert all(a[1] < b[1] for a, b in itertools.pairwise(days))


def test_overdue_counts_instalments_due_and_not_received() -> None:
    start = date(2026, 1, 31)
    assert next_due(start, Recurrence.MONTHLY, 1) == date(2026, 2, 28)
    assert next_due(start, Recurrence.ONCE, 1) is None
    assert overdue_count(start, Recurrence.MONTHLY, 0, date(2026, 3, 31)) == 3
    assert overdue_count(start, Recurrence.MONTHLY, 2, date(2026, 3, 30)) == 0
    assert overdue_count(start, Recurrence.ONCE, 0, date(2030, 1, 1)) == 1


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    st.sampled_from(list(Recurrence)),
    st.integers(min_value=-40, max_value=4000),
)
def test_the_latest_instalment_due_is_the_last_due_date_not_after_the_day(
    start: date, recurrence: Recurrence, days: int
) -> None:
    """A reminder on a day is about the last instalment due by then: none before the
    first, the start for a single pledge, and never a date after the day."""
    day = start + timedelta(days=days)
    latest = latest_due(start, recurrence, day)
    if day < start:
        assert latest is None
        return
    assert latest is not None and start <= latest <= day
    due = list(itertools.takewhile(lambda d: d <= day, due_dates(start, recurrence)))
    assert latest == due[-1]
    assert overdue_count(start, recurrence, 0, day) == len(due)
    if recurrence is Recurrence.ONCE:
        assert latest == start
