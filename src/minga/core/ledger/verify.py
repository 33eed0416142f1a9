"""Checking a journal: the hash chain, the block signatures, and the balances it implies.

Works the same on this server's database (loaded by the adapter) and on a file exported by
another server. Reports the *first* discrepancy found, naming the entry or block.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .chain import GENESIS_HASH, block_message, encode_entry, entry_fields
from .model import SECOND_PHASE, AccountState, JournalEntry, TransferKind

# An entry as plain values, in the order of JournalEntry's fields (and of ``encode_entry``'s
# arguments), followed by its stored hash: (sequence, id, kind, debit, credit, unit, amount,
# pending_id, reverses_id, batch_id, memo, created_at, expires_at, submitted_by,
# access_token, hash). A database reads a million of these several times faster than it
# builds a million JournalEntry objects.
EntryRow = tuple[
    int, str, str, str, str, str, int, str | None, str | None, str, str, str, str | None,
    str | None, int | None, str,
]  # fmt: skip


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
        _check(entry_rows(entries), blocks, accounts, signature_is_valid, report, problem)
    return report


def verify_journal_rows(
    rows: Iterable[EntryRow],
    blocks: Iterable[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
    *,
    stop_at_first: bool = True,
) -> VerificationReport:
    """:func:`verify_journal` over entries given as :data:`EntryRow` tuples: the same
    checks, for a reader that has the entries as plain values."""
    report = VerificationReport()

    def problem(text: str) -> None:
        report.problems.append(text)
        if stop_at_first:
            raise _FirstProblemError

    with contextlib.suppress(_FirstProblemError):
        _check(rows, blocks, accounts, signature_is_valid, report, problem)
    return report


def entry_rows(entries: Iterable[tuple[JournalEntry, str]]) -> Iterator[EntryRow]:
    for entry, stored_hash in entries:
        yield (*entry_fields(entry), stored_hash)


class _FirstProblemError(Exception):
    pass


def _check(
    rows: Iterable[EntryRow],
    blocks: Iterable[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
    report: VerificationReport,
    problem: Callable[[str], None],
) -> None:
    # Blocks are few: read them first, and keep only the hashes they must end on (not a
    # million of them).
    blocks = list(blocks)
    block_ends = {block.last_sequence for block in blocks}
    hashes: dict[int, str] = {}
    previous = GENESIS_HASH
    expected_sequence = 1
    replay: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # balance, pend. debit, credit
    units: dict[str, str] = {}
    pendings: dict[str, tuple[str, str, int]] = {}  # reservation id -> debit, credit, amount
    resolved: set[str] = set()
    posted: set[str] = set()
    reversed_ids: set[str] = set()
    # Run once per entry, a million times for a million entries: names bound locally, the
    # entry's name written out only when there is a problem to report.
    sha256 = hashlib.sha256
    posted_kind, pending_kind, post_kind, void_kind = (
        TransferKind.POSTED,
        TransferKind.PENDING,
        TransferKind.POST_PENDING,
        TransferKind.VOID_PENDING,
    )
    for row in rows:
        report.entries += 1
        (
            sequence, entry_id, kind, debit_id, credit_id, unit, amount, pending_id,
            reverses_id, _batch, _memo, _created, _expires, submitted_by, access_token,
            stored_hash,
        ) = row  # fmt: skip
        if sequence != expected_sequence:
            problem(f"{_name(row)}: expected sequence {expected_sequence}")
        encoded = encode_entry(*row[:15])
        computed = sha256(previous.encode("ascii") + b"\n" + encoded).hexdigest()
        if computed != stored_hash:
            problem(f"{_name(row)}: hash does not match its content (altered or out of order)")
        if sequence in block_ends:
            hashes[sequence] = stored_hash
        previous = stored_hash
        expected_sequence = sequence + 1
        if units.setdefault(debit_id, unit) != unit:
            problem(f"{_name(row)}: account {debit_id} used with two units")
        if units.setdefault(credit_id, unit) != unit:
            problem(f"{_name(row)}: account {credit_id} used with two units")
        if access_token is not None and submitted_by is None:
            problem(f"{_name(row)}: names an access token but no person")
        if amount <= 0 and kind != void_kind:
            problem(f"{_name(row)}: amount must be positive")
        debit, credit = replay[debit_id], replay[credit_id]
        if kind == pending_kind:
            debit[1] += amount
            credit[2] += amount
            pendings[entry_id] = (debit_id, credit_id, amount)
        elif kind in SECOND_PHASE:
            pending = pendings.get(pending_id or "")
            if pending is None or pending_id in resolved:
                problem(f"{_name(row)}: resolves an unknown or already resolved reservation")
                continue
            resolved.add(pending_id or "")
            reserved_debit, reserved_credit, reserved = pending
            replay[reserved_debit][1] -= reserved
            replay[reserved_credit][2] -= reserved
            if kind == post_kind:
                if amount > reserved:
                    problem(f"{_name(row)}: posts more than was reserved")
                debit[0] -= amount
                credit[0] += amount
                posted.add(entry_id)
        elif kind == posted_kind:
            if reverses_id is not None:
                if reverses_id not in posted or reverses_id in reversed_ids:
                    problem(f"{_name(row)}: reverses an unknown or already reversed transfer")
                reversed_ids.add(reverses_id)
            else:
                posted.add(entry_id)
            debit[0] -= amount
            credit[0] += amount
        else:
            problem(f"{_name(row)}: unknown kind {kind!r}")

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


def _name(row: EntryRow) -> str:
    return f"transfer #{row[0]} ({row[1]})"
