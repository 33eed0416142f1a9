"""Checking a journal: the hash chain, the block signatures, and the balances it implies.

Works the same on this server's database (loaded by the adapter) and on a file exported by
another server. Reports the *first* discrepancy found, naming the entry or block.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .chain import GENESIS_HASH, block_message, chain_hash
from .model import SECOND_PHASE, AccountState, JournalEntry, TransferKind


@dataclass(frozen=True)
class Block:
    number: int
    first_sequence: int
    last_sequence: int
    last_hash: str
    signature: bytes
    key_id: str = ""


@dataclass
class VerificationReport:
    entries: int = 0
    blocks: int = 0
    accounts: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_discrepancy(self) -> str | None:
        return self.problems[0] if self.problems else None


# (message, signature, key id of the block) -> valid?
SignatureCheck = Callable[[bytes, bytes, str], bool]


def verify_journal(
    entries: Iterable[tuple[JournalEntry, str]],
    blocks: Iterable[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
    *,
    stop_at_first: bool = True,
) -> VerificationReport:
    """``entries`` are (entry, stored hash) in sequence order; ``accounts`` the balances
    the server claims. Every check that fails adds a problem, first one first."""
    report = VerificationReport()

    def problem(text: str) -> None:
        report.problems.append(text)
        if stop_at_first:
            raise _FirstProblemError

    with contextlib.suppress(_FirstProblemError):
        _check(entries, blocks, accounts, signature_is_valid, report, problem)
    return report


class _FirstProblemError(Exception):
    pass


def _check(
    entries: Iterable[tuple[JournalEntry, str]],
    blocks: Iterable[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
    report: VerificationReport,
    problem: Callable[[str], None],
) -> None:
    hashes: dict[int, str] = {}
    previous = GENESIS_HASH
    expected_sequence = 1
    replay: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # balance, pend. debit, credit
    units: dict[str, str] = {}
    pendings: dict[str, JournalEntry] = {}
    resolved: set[str] = set()
    posted: dict[str, JournalEntry] = {}
    reversed_ids: set[str] = set()
    for entry, stored_hash in entries:
        report.entries += 1
        name = f"transfer #{entry.sequence} ({entry.id})"
        if entry.sequence != expected_sequence:
            problem(f"{name}: expected sequence {expected_sequence}")
        computed = chain_hash(previous, entry)
        if computed != stored_hash:
            problem(f"{name}: hash does not match its content (altered or out of order)")
        hashes[entry.sequence] = stored_hash
        previous = stored_hash
        expected_sequence = entry.sequence + 1
        for account_id in (entry.debit, entry.credit):
            if units.setdefault(account_id, entry.unit) != entry.unit:
                problem(f"{name}: account {account_id} used with two units")
        if entry.access_token is not None and entry.submitted_by is None:
            problem(f"{name}: names an access token but no person")
        if entry.amount <= 0 and entry.kind != TransferKind.VOID_PENDING:
            problem(f"{name}: amount must be positive")
        debit, credit = replay[entry.debit], replay[entry.credit]
        if entry.kind == TransferKind.PENDING:
            debit[1] += entry.amount
            credit[2] += entry.amount
            pendings[entry.id] = entry
        elif entry.kind in SECOND_PHASE:
            pending = pendings.get(entry.pending_id or "")
            if pending is None or entry.pending_id in resolved:
                problem(f"{name}: resolves an unknown or already resolved reservation")
                continue
            resolved.add(pending.id)
            replay[pending.debit][1] -= pending.amount
            replay[pending.credit][2] -= pending.amount
            if entry.kind == TransferKind.POST_PENDING:
                if entry.amount > pending.amount:
                    problem(f"{name}: posts more than was reserved")
                debit[0] -= entry.amount
                credit[0] += entry.amount
                posted[entry.id] = entry
        else:
            if entry.reverses_id is not None:
                original = posted.get(entry.reverses_id)
                if original is None or entry.reverses_id in reversed_ids:
                    problem(f"{name}: reverses an unknown or already reversed transfer")
                reversed_ids.add(entry.reverses_id)
            else:
                posted[entry.id] = entry
            debit[0] -= entry.amount
            credit[0] += entry.amount

    for block in blocks:
        report.blocks += 1
        name = f"block {block.number} (transfers #{block.first_sequence}–#{block.last_sequence})"
        if hashes.get(block.last_sequence) != block.last_hash:
            problem(f"{name}: does not end on the chain's hash")
        message = block_message(
            block.number, block.first_sequence, block.last_sequence, block.last_hash
        )
        if not signature_is_valid(message, block.signature, block.key_id):
            problem(f"{name}: signature is not valid for this server's key")
    if report.entries and report.blocks == 0:
        problem("the journal has no signed block")

    totals: dict[str, int] = defaultdict(int)
    for account in accounts:
        report.accounts += 1
        balance, pending_debits, pending_credits = replay.get(account.id, [0, 0, 0])
        totals[account.unit] += account.balance
        claimed = (account.balance, account.pending_debits, account.pending_credits)
        if claimed != (balance, pending_debits, pending_credits):
            problem(
                f"account {account.id}: stored balance/reservations {claimed} differ from the "
                f"journal's replay {(balance, pending_debits, pending_credits)}"
            )
        if account.balance - account.pending_debits < account.lowest_balance:
            problem(f"account {account.id}: below its credit limit")
        if (
            account.highest_balance is not None
            and account.balance + account.pending_credits > account.highest_balance
        ):
            problem(f"account {account.id}: above its upper limit")
    for unit, total in sorted(totals.items()):
        if total != 0:
            problem(f"unit {unit}: balances sum to {total}, not zero")
