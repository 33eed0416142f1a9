"""The ledger's rules under random sequences of operations (no database).

A hypothesis state machine applies transfers, reservations, posts (whole or partial),
voids, expiries, reversals and linked batches, and after every step checks the
invariants: each unit's balances sum to zero, every account is within its limits with
reservations counted, and the state equals what the journal replays to (hash chain and
all, through the same verifier the server uses).
"""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from minga.core.ledger import (
    AccountState,
    JournalEntry,
    LedgerRefusal,
    LedgerState,
    TransferKind,
    TransferRequest,
    apply_request,
    chain_hash,
    verify_journal,
)
from minga.core.ledger.chain import GENESIS_HASH
from minga.core.ledger.verify import Block

ACCOUNTS = {
    "a": ("MINGA", -1000, None),
    "b": ("MINGA", -500, 2000),
    "c": ("MINGA", 0, None),
    "h1": ("HORA", -40, 100),
    "h2": ("HORA", -40, None),
}


PAIRS = st.sampled_from(
    [(d, c) for d in ACCOUNTS for c in ACCOUNTS if d != c and ACCOUNTS[d][0] == ACCOUNTS[c][0]]
)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = LedgerState(
            accounts={
                name: AccountState(id=name, unit=unit, lowest_balance=low, highest_balance=high)
                for name, (unit, low, high) in ACCOUNTS.items()
            }
        )
        self.clock = datetime(2026, 1, 1, tzinfo=UTC)
        self.ids = itertools.count(1)
        self.journal: list[tuple[JournalEntry, str]] = []
        self.last_hash = GENESIS_HASH
        self.pending_ids: list[str] = []
        self.posted_ids: list[str] = []

    def _now(self) -> str:
        return self.clock.isoformat(timespec="microseconds")

    def _record(self, request: TransferRequest, state: LedgerState) -> bool:
        try:
            effect = apply_request(state, request, self._now())
        except LedgerRefusal:
            return False
        entry = JournalEntry(
            sequence=len(self.journal) + 1,
            id=request.id,
            kind=effect.kind,
            debit=effect.debit,
            credit=effect.credit,
            unit=effect.unit,
            amount=effect.amount,
            pending_id=effect.pending_id,
            reverses_id=effect.reverses_id,
            batch_id="b",
            memo="",
            created_at=self._now(),
            expires_at=effect.expires_at,
        )
        self.last_hash = chain_hash(self.last_hash, entry)
        self.journal.append((entry, self.last_hash))
        if effect.kind == TransferKind.PENDING:
            self.pending_ids.append(request.id)
        if (
            effect.kind in (TransferKind.POSTED, TransferKind.POST_PENDING)
            and effect.reverses_id is None
        ):
            self.posted_ids.append(request.id)
        return True

    def _move(
        self, debit: str, credit: str, amount: int, kind: TransferKind, timeout: int | None = None
    ) -> TransferRequest:
        unit = ACCOUNTS[debit][0]
        return TransferRequest(
            id=f"t{next(self.ids)}",
            kind=kind,
            debit=debit,
            credit=credit,
            unit=unit,
            amount=amount,
            timeout_seconds=timeout,
        )

    @rule(
        debit=st.sampled_from(sorted(ACCOUNTS)),
        credit=st.sampled_from(sorted(ACCOUNTS)),
        amount=st.integers(-5, 1500),
    )
    def transfer(self, debit: str, credit: str, amount: int) -> None:
        before = copy.deepcopy(self.state)
        if not self._record(self._move(debit, credit, amount, TransferKind.POSTED), self.state):
            assert self.state == before  # a refusal changes nothing

    @rule(pair=PAIRS, amount=st.integers(1, 800), timeout=st.one_of(st.none(), st.integers(1, 120)))
    def reserve(self, pair: tuple[str, str], amount: int, timeout: int | None) -> None:
        self._record(self._move(*pair, amount, TransferKind.PENDING, timeout), self.state)

    @precondition(lambda self: self.pending_ids)
    @rule(
        data=st.data(),
        kind=st.sampled_from(
            [TransferKind.POST_PENDING, TransferKind.VOID_PENDING, TransferKind.EXPIRE_PENDING]
        ),
    )
    def resolve(self, data: st.DataObject, kind: TransferKind) -> None:
        pending_id = data.draw(st.sampled_from(self.pending_ids))
        reserved = self.state.pendings[pending_id].amount
        # Whole (0), partial, exact, or more than reserved (refused).
        amount = data.draw(st.integers(0, reserved + 5)) if kind == TransferKind.POST_PENDING else 0
        before = copy.deepcopy(self.state)
        request = TransferRequest(
            id=f"t{next(self.ids)}", kind=kind, pending_id=pending_id, amount=amount
        )
        if not self._record(request, self.state):
            assert self.state == before

    @rule(seconds=st.integers(1, 200))
    def time_passes(self, seconds: int) -> None:
        self.clock += timedelta(seconds=seconds)

    @precondition(lambda self: self.posted_ids)
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        original_id = data.draw(st.sampled_from(self.posted_ids))
        original = next(entry for entry, _hash in self.journal if entry.id == original_id)
        request = TransferRequest(
            id=f"t{next(self.ids)}",
            kind=TransferKind.POSTED,
            debit=original.credit,
            credit=original.debit,
            unit=original.unit,
            amount=original.amount,
            reverses_id=original_id,
        )
        self._record(request, self.state)

    @rule(
        moves=st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c"]),
                st.sampled_from(["a", "b", "c"]),
                st.integers(1, 900),
            ),
            min_size=2,
            max_size=5,
        )
    )
    def linked_batch(self, moves: list[tuple[str, str, int]]) -> None:
        """All or nothing: applied to a copy, kept only if every transfer passes."""
        trial = copy.deepcopy(self.state)
        saved = (list(self.journal), self.last_hash, list(self.pending_ids), list(self.posted_ids))
        for debit, credit, amount in moves:
            if not self._record(self._move(debit, credit, amount, TransferKind.POSTED), trial):
                self.journal, self.last_hash, self.pending_ids, self.posted_ids = (
                    saved[0],
                    saved[1],
                    saved[2],
                    saved[3],
                )
                return
        self.state = trial

    @invariant()
    def units_sum_to_zero(self) -> None:
        totals: dict[str, int] = defaultdict(int)
        for account in self.state.accounts.values():
            totals[account.unit] += account.balance
        assert all(total == 0 for total in totals.values())

    @invariant()
    def accounts_stay_within_limits(self) -> None:
        for account in self.state.accounts.values():
            assert account.balance - account.pending_debits >= account.lowest_balance
            if account.highest_balance is not None:
                assert account.balance + account.pending_credits <= account.highest_balance
            assert account.pending_debits >= 0 and account.pending_credits >= 0

    @invariant()
    def state_equals_the_journal_replay(self) -> None:
        blocks = [Block(1, 1, len(self.journal), self.last_hash, b"ok")] if self.journal else []
        report = verify_journal(
            self.journal, blocks, self.state.accounts.values(), lambda _m, s, _k: s == b"ok"
        )
        assert report.ok, report.problems


LedgerMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
test_ledger_rules_hold_under_random_operations = LedgerMachine.TestCase
