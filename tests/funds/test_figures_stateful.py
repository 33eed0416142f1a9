"""Every figure of a fund equals a replay of the ledger's journal, under random sequences
of pledges, receipts, grants, expenses, approvals, refusals and reversals.

The replay reads only the exchange's journal rows of the fund's account (signed from the
fund's side) and the movement each one records; the figures the pages, API and export show
come from ``selectors.figures_of``; the balance from the ledger's account row. After every
step they must agree, and the unit must still sum to zero.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Q, Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from minga.common.errors import DomainError
from minga.exchange.models import Account, Transfer
from minga.funds import selectors, services
from minga.funds.models import Movement
from tests import factories
from tests.funds.factories import FundsWorld, fund

_worlds = itertools.count(1)


class FundMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.w = _world(next(_worlds))
        self.fund = fund(self.w, approval_rule="one_manager")
        self.third = factories.person()
        self.fund.custodians.add(self.third)
        year = timezone.localdate().year
        for category in ("seeds", "tools"):
            services.budget_set(
                actor=self.w.first, fund=self.fund, category=category, year=year, amount=50_000
            )
        self.pledges: list[Any] = []
        self.requests: list[Movement] = []
        self.done: list[Movement] = []

    @rule(amount=st.integers(1, 20_000))
    def pledge(self, amount: int) -> None:
        self.pledges.append(
            services.pledge_create(
                actor=self.w.member, fund=self.fund, amount=amount, recurrence="monthly"
            )
        )

    @rule(
        amount=st.integers(1, 30_000),
        with_pledge=st.booleans(),
        days_ago=st.sampled_from([0, 0, 40, 400]),
    )
    def receive(self, amount: int, with_pledge: bool, days_ago: int) -> None:
        pledge = self.pledges[-1] if with_pledge and self.pledges else None
        self.done.append(
            services.contribution_receive(
                actor=self.w.first,
                fund=self.fund,
                amount=amount,
                category="gifts",
                pledge=pledge,
                received_on=timezone.localdate() - timedelta(days=days_ago),
            )
        )

    @rule(
        kind=st.sampled_from(["grant", "expense"]),
        amount=st.integers(1, 40_000),
        category=st.sampled_from(["seeds", "tools"]),
    )
    def request(self, kind: str, amount: int, category: str) -> None:
        self.requests.append(
            services.spending_request(
                actor=self.w.first,
                fund=self.fund,
                kind=kind,
                amount=amount,
                category=category,
                description="Gasto",
                recipient=self.w.neighbour if kind == "grant" else None,
                payee="Afuera" if kind == "expense" else "",
            )
        )

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data(), by_third=st.booleans())
    def approve(self, data: Any, by_third: bool) -> None:
        movement = data.draw(st.sampled_from(self.requests))
        actor = self.third if by_third else self.w.second
        try:
            movement = services.spending_approve(actor=actor, movement=movement)
        except DomainError as error:
            # The fund may not hold enough; the same manager may be drawn twice.
            if error.code not in {"exceeds_credit_limit", "already_approved"}:
                raise
            return
        if movement.status == "done":
            self.requests.remove(movement)
            self.done.append(movement)

    @precondition(lambda self: bool(self.requests))
    @rule(data=st.data())
    def refuse(self, data: Any) -> None:
        movement = data.draw(st.sampled_from(self.requests))
        services.spending_refuse(actor=self.w.second, movement=movement, reason="No")
        self.requests.remove(movement)

    @precondition(lambda self: bool(self.done))
    @rule(data=st.data())
    def reverse(self, data: Any) -> None:
        movement = data.draw(st.sampled_from(self.done))
        try:
            reversal = services.movement_reverse(
                actor=self.w.first, movement=movement, reason="Error"
            )
        except DomainError as error:
            # Reversing a grant needs the grantee's balance; a reversal is never reversed.
            if error.code not in {"exceeds_credit_limit", "not_reversible"}:
                raise
            return
        self.done.remove(movement)
        assert reversal.reverses_id == movement.pk

    @invariant()
    def figures_equal_the_journal(self) -> None:
        account = Account.objects.get(pk=self.fund.account_id)
        journal = Transfer.objects.filter(Q(debit=account) | Q(credit=account))
        balance = 0
        income: dict[str, int] = defaultdict(int)
        spending: dict[str, int] = defaultdict(int)
        monthly: dict[tuple[str, str, str], int] = defaultdict(int)
        for transfer in journal.order_by("sequence"):
            movement = Movement.objects.get(transfer=transfer)
            signed = transfer.amount if transfer.credit_id == account.pk else -transfer.amount
            balance += signed
            monthly[(f"{movement.occurred_on:%Y-%m}", movement.kind, movement.category)] += signed
            if movement.kind == "contribution":
                income[movement.category] += signed
            else:
                spending[movement.category] -= signed
        figures = selectors.figures_of(self.fund)
        assert account.balance == balance == figures.balance
        assert figures.income == sum(income.values())
        assert figures.spending == sum(spending.values())
        assert figures.income_by_category == {k: v for k, v in income.items() if v}
        assert figures.spending_by_category == {k: v for k, v in spending.items() if v}
        assert account.balance >= 0
        # The kept monthly totals, written with each transfer, are the journal's replay,
        # row by row; so is the database's own sum of the journal.
        replay = {key: total for key, total in monthly.items() if total}
        kept = {
            (entry.month, entry.kind.value, entry.category): entry.amount
            for entry in selectors.kept_entries(self.fund)
        }
        summed = {
            (entry.month, entry.kind.value, entry.category): entry.amount
            for entry in selectors.journal_entries(self.fund)
        }
        assert kept == replay == summed
        months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (month, kind, _category), total in replay.items():
            if kind == "contribution":
                months[month][0] += total
            else:
                months[month][1] -= total
        assert figures.by_month == {m: (i, o) for m, (i, o) in sorted(months.items())}
        year = str(timezone.localdate().year)
        for line in figures.budget:
            assert line.spent == sum(
                -total
                for (month, kind, category), total in replay.items()
                if kind != "contribution" and category == line.category and month[:4] == year
            )
            assert line.spent == selectors.committed_in(self.fund, line.category, int(year))
        totals = Account.objects.filter(unit=self.w.unit).aggregate(total=Sum("balance"))
        assert totals["total"] == 0


def _world(number: int) -> FundsWorld:
    from minga.common.permissions import SYSTEM
    from minga.exchange import services as exchange

    network = factories.organization(kind="network")
    commune, neighbour = factories.organization(), factories.organization()
    for organization in (commune, neighbour):
        factories.membership(organization, network)
    unit = exchange.unit_create(
        actor=SYSTEM, code=f"F{number}", name="F", kind="community", network=network
    )
    for organization in (commune, neighbour):
        exchange.account_open(actor=SYSTEM, organization=organization, unit=unit)
    first, second, member = factories.person(), factories.person(), factories.person()
    factories.role(first, commune, "spokesperson")
    return FundsWorld(network, commune, neighbour, unit, first, second, member, factories.person())


@pytest.mark.django_db
def test_fund_figures_under_random_operations() -> None:
    run_state_machine_as_test(
        FundMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
