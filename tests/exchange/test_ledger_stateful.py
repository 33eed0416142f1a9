"""The ledger service under random sequences of operations, against the real database.

The same operations are applied to the pure rules (the model); after every step the
accounts stored in the database must equal the model's, each unit must sum to zero, and
`verify` must find the chain, signatures and balances clean. Linked batches, retries of
the same client id, reservations, posts, voids, expiries and reversals are all drawn.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from minga.common.permissions import SYSTEM
from minga.core.ledger import TransferKind
from minga.exchange import journal, services
from minga.exchange.models import Account
from tests.exchange.ledger_helpers import unit_with_accounts

_units = itertools.count(1)


class LedgerServiceMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.unit, self.accounts = unit_with_accounts(
            4, code=f"U{next(_units)}", lowest=-300, highest=600
        )
        self.ids = itertools.count(1)
        self.sent: list[services.TransferInput] = []
        self.pendings: list[str] = []
        self.posted: list[services.TransferInput] = []
        self.clock_shift = timedelta(0)

    def _input(
        self,
        debit: int,
        credit: int,
        amount: int,
        kind: TransferKind = TransferKind.POSTED,
        **extra,
    ) -> services.TransferInput:  # type: ignore[no-untyped-def]
        return services.TransferInput(
            client_id=f"{self.unit.code}-{next(self.ids)}",
            kind=kind,
            debit=str(self.accounts[debit].uuid),
            credit=str(self.accounts[credit].uuid),
            unit=self.unit.code,
            amount=amount,
            **extra,
        )

    def _submit(
        self, inputs: list[services.TransferInput], linked: bool = False
    ) -> services.BatchOutcome:
        outcome = services.transfers_submit(actor=SYSTEM, inputs=inputs, linked=linked)
        for item, result in zip(inputs, outcome.outcomes, strict=True):
            if result.status == "created":
                self.sent.append(item)
                if item.kind == TransferKind.PENDING:
                    self.pendings.append(item.client_id)
                if item.kind == TransferKind.POSTED and item.reverses is None:
                    self.posted.append(item)
        return outcome

    @rule(debit=st.integers(0, 3), credit=st.integers(0, 3), amount=st.integers(-2, 400))
    def transfer(self, debit: int, credit: int, amount: int) -> None:
        self._submit([self._input(debit, credit, amount)])

    @rule(
        moves=st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(1, 300)),
            min_size=1,
            max_size=6,
        ),
        linked=st.booleans(),
    )
    def batch(self, moves: list[tuple[int, int, int]], linked: bool) -> None:
        outcome = self._submit([self._input(d, c, a) for d, c, a in moves], linked=linked)
        if linked:
            assert len({o.status for o in outcome.outcomes}) == 1  # all created or all refused

    @precondition(lambda self: self.sent)
    @rule(data=st.data())
    def retry(self, data: st.DataObject) -> None:
        """A client that never heard the answer sends the same request again."""
        item = data.draw(st.sampled_from(self.sent))
        outcome = services.transfers_submit(actor=SYSTEM, inputs=[item])
        assert outcome.outcomes[0].status == "exists"

    @rule(
        debit=st.integers(0, 3),
        credit=st.integers(0, 3),
        amount=st.integers(1, 300),
        timeout=st.one_of(st.none(), st.just(60)),
    )
    def reserve(self, debit: int, credit: int, amount: int, timeout: int | None) -> None:
        self._submit(
            [self._input(debit, credit, amount, TransferKind.PENDING, timeout_seconds=timeout)]
        )

    @precondition(lambda self: self.pendings)
    @rule(
        data=st.data(),
        kind=st.sampled_from([TransferKind.POST_PENDING, TransferKind.VOID_PENDING]),
        amount=st.integers(0, 300),
    )
    def resolve(self, data: st.DataObject, kind: TransferKind, amount: int) -> None:
        pending = data.draw(st.sampled_from(self.pendings))
        item = services.TransferInput(
            client_id=f"{self.unit.code}-{next(self.ids)}",
            kind=kind,
            pending=pending,
            amount=amount if kind == TransferKind.POST_PENDING else 0,
        )
        self._submit([item])

    @rule()
    def expire_due(self) -> None:
        self.clock_shift += timedelta(seconds=61)
        real_now = services.ledger.timezone.now
        shifted = real_now() + self.clock_shift
        services.ledger.timezone.now = lambda: shifted  # type: ignore[assignment]
        try:
            services.reservations_expire_due()
        finally:
            services.ledger.timezone.now = real_now  # type: ignore[assignment]

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        original = data.draw(st.sampled_from(self.posted))
        item = services.TransferInput(
            client_id=f"{self.unit.code}-{next(self.ids)}",
            debit=original.credit,
            credit=original.debit,
            unit=original.unit,
            amount=original.amount,
            reverses=original.client_id,
        )
        self._submit([item])

    @invariant()
    def stored_accounts_are_consistent(self) -> None:
        accounts = list(Account.objects.filter(unit=self.unit))
        assert sum(a.balance for a in accounts) == 0
        for account in accounts:
            assert account.balance - account.pending_debits >= account.lowest_balance
            assert account.balance + account.pending_credits <= account.highest_balance

    @invariant()
    def journal_verifies(self) -> None:
        report = journal.verify_database()
        assert report.ok, report.problems


@pytest.mark.django_db
def test_ledger_service_under_random_operations() -> None:
    run_state_machine_as_test(
        LedgerServiceMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
