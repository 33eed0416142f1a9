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
    return verify_journal_rows(
        entry_rows(entries), blocks, accounts, signature_is_valid, stop_at_first=stop_at_first
    )


def verify_journal_rows(
    rows: Iterable[EntryRow],
    blocks: Iterable[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
    *,
    stop_at_first: bool = True,
) -> VerificationReport:
    """:func:`verify_journal` over entries given as :data:`EntryRow` tuples (a reader that
    has the entries as plain values)."""
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
    replay = JournalReplay(frozenset(block.last_sequence for block in blocks))
    replay.feed(rows, report, problem)
    _check_blocks_and_accounts(replay, blocks, accounts, signature_is_valid, report, problem)


def _zero_figures() -> list[int]:
    return [0, 0, 0]  # balance, pending debits, pending credits


@dataclass
class JournalReplay:
    """What reading the journal's entries in order has established so far.

    The whole journal is one replay fed every entry (:func:`verify_journal_rows`). Its
    ranges may also be replayed apart, each from its predecessor's *stored* hash, and then
    absorbed one after the other into the whole (:func:`verify_journal_in_ranges`): every
    entry's hash needs only its own fields and that stored hash, and balances are sums.
    What a range cannot know alone (a reservation or a transfer from an earlier range) it
    notes as *outside* references, which :meth:`absorb` checks against the earlier ranges.
    """

    block_ends: frozenset[int]
    previous: str = GENESIS_HASH
    expected_sequence: int = 1
    # Only a range replayed apart defers what only the whole journal can tell.
    deferring: bool = False
    entries: int = 0
    hashes: dict[int, str] = field(default_factory=dict)  # at block ends only
    figures: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(_zero_figures))
    units: dict[str, str] = field(default_factory=dict)  # account -> first unit seen
    # reservation id -> debit, credit, amount
    pendings: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    resolved: set[str] = field(default_factory=set)
    posted: set[str] = field(default_factory=set)
    reversed_ids: set[str] = field(default_factory=set)
    # (reservation id, kind, amount) of second phases whose reservation is not in the range
    outside_resolutions: list[tuple[str, str, int]] = field(default_factory=list)
    outside_reversals: list[str] = field(default_factory=list)

    def feed(
        self, rows: Iterable[EntryRow], report: VerificationReport, problem: Callable[[str], None]
    ) -> None:
        """Check these entries, which follow those fed before, counting them in ``report``."""
        # Run once per entry, a million times for a million entries: names bound locally,
        # the entry's name written out only when there is a problem to report.
        sha256 = hashlib.sha256
        posted_kind, pending_kind, post_kind, void_kind = (
            TransferKind.POSTED,
            TransferKind.PENDING,
            TransferKind.POST_PENDING,
            TransferKind.VOID_PENDING,
        )
        block_ends, hashes, replay, units = self.block_ends, self.hashes, self.figures, self.units
        pendings, resolved, posted = self.pendings, self.resolved, self.posted
        reversed_ids, deferring = self.reversed_ids, self.deferring
        previous, expected_sequence = self.previous, self.expected_sequence
        counted = report.entries
        try:
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
                    problem(
                        f"{_name(row)}: hash does not match its content (altered or out of order)"
                    )
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
                        if deferring and pending is None and pending_id not in resolved:
                            # Perhaps made in an earlier range: absorb() looks it up.
                            resolved.add(pending_id or "")
                            self.outside_resolutions.append((pending_id or "", kind, amount))
                            if kind == post_kind:
                                debit[0] -= amount
                                credit[0] += amount
                                posted.add(entry_id)
                            continue
                        problem(
                            f"{_name(row)}: resolves an unknown or already resolved reservation"
                        )
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
                            if deferring and reverses_id not in reversed_ids:
                                # Perhaps posted in an earlier range: absorb() looks it up.
                                self.outside_reversals.append(reverses_id)
                            else:
                                problem(
                                    f"{_name(row)}: reverses an unknown or already reversed "
                                    "transfer"
                                )
                        reversed_ids.add(reverses_id)
                    else:
                        posted.add(entry_id)
                    debit[0] -= amount
                    credit[0] += amount
                else:
                    problem(f"{_name(row)}: unknown kind {kind!r}")
        finally:
            self.previous, self.expected_sequence = previous, expected_sequence
            self.entries += report.entries - counted

    def absorb(self, part: JournalReplay) -> bool:
        """Take in the replay of the range that follows the entries fed so far, if it fits
        them: each outside reference found among them, no reservation made or transfer
        reversed in both, every account with one unit. Otherwise change nothing and return
        False (the range must then be fed entry by entry, to name its first problem)."""
        if any(self.units.get(account, unit) != unit for account, unit in part.units.items()):
            return False
        if not self.pendings.keys().isdisjoint(part.pendings):
            return False
        if not self.reversed_ids.isdisjoint(part.reversed_ids):
            return False
        if any(reversed_id not in self.posted for reversed_id in part.outside_reversals):
            return False
        for pending_id, kind, amount in part.outside_resolutions:
            pending = self.pendings.get(pending_id)
            if pending is None or pending_id in self.resolved:
                return False
            if kind == TransferKind.POST_PENDING and amount > pending[2]:
                return False
        # Each outside resolution names another reservation (the range's own replay refused a
        # second one), so checking them all against the state before the range was enough.
        for pending_id, _kind, _amount in part.outside_resolutions:
            reserved_debit, reserved_credit, reserved = self.pendings[pending_id]
            self.figures[reserved_debit][1] -= reserved
            self.figures[reserved_credit][2] -= reserved
        for account, (balance, pending_debits, pending_credits) in part.figures.items():
            figures = self.figures[account]
            figures[0] += balance
            figures[1] += pending_debits
            figures[2] += pending_credits
        for account, unit in part.units.items():
            self.units.setdefault(account, unit)
        self.hashes.update(part.hashes)
        self.pendings.update(part.pendings)
        self.resolved |= part.resolved
        self.posted |= part.posted
        self.reversed_ids |= part.reversed_ids
        self.entries += part.entries
        self.previous, self.expected_sequence = part.previous, part.expected_sequence
        return True


def replay_range(
    rows: Iterable[EntryRow],
    block_ends: frozenset[int],
    previous: str,
    expected_sequence: int,
    *,
    keep_posted: bool = True,
) -> JournalReplay | None:
    """Replay one range of the journal apart from the rest: ``rows`` are its entries in
    order, ``previous`` the stored hash of the entry before it (or the genesis hash) and
    ``expected_sequence`` that entry's sequence plus one. None if the range has a problem
    of its own (the whole journal's check then names it). ``keep_posted`` False drops the
    posted transfers' ids, which only a later range needs (the last range has none)."""
    replay = JournalReplay(
        block_ends, previous=previous, expected_sequence=expected_sequence, deferring=True
    )
    try:
        replay.feed(rows, VerificationReport(), _stop)
    except _FirstProblemError:
        return None
    if not keep_posted:
        replay.posted = set()
    return replay


def _stop(_text: str) -> None:
    raise _FirstProblemError


# Where a range starts: (its rows and those of every later range, the stored hash of the
# entry before it, that entry's sequence plus one), for the range at this index.
RestOfJournal = Callable[[int], tuple[Iterable[EntryRow], str, int]]


def verify_journal_in_ranges(
    ranges: Iterable[JournalReplay | None],
    rest_of_journal: RestOfJournal,
    blocks: Iterable[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
) -> VerificationReport:
    """:func:`verify_journal_rows` of a journal replayed in consecutive ranges (by
    :func:`replay_range`, in any number of processes), with the same report.

    The ranges are absorbed in order. At the first one that has a problem or does not fit
    the ones before, the rest of the journal is fed entry by entry from the state before it,
    exactly as the single pass would reach it, so the first discrepancy and the counts are
    the single pass's. Stops at the first problem."""
    report = VerificationReport()

    def problem(text: str) -> None:
        report.problems.append(text)
        raise _FirstProblemError

    blocks = list(blocks)
    whole = JournalReplay(frozenset(block.last_sequence for block in blocks))
    with contextlib.suppress(_FirstProblemError):
        for index, part in enumerate(ranges):
            if part is None or not whole.absorb(part):
                rows, whole.previous, whole.expected_sequence = rest_of_journal(index)
                report.entries = whole.entries
                whole.feed(rows, report, problem)
                break
        report.entries = whole.entries
        _check_blocks_and_accounts(whole, blocks, accounts, signature_is_valid, report, problem)
    return report


def _check_blocks_and_accounts(
    replay: JournalReplay,
    blocks: list[Block],
    accounts: Iterable[AccountState],
    signature_is_valid: SignatureCheck,
    report: VerificationReport,
    problem: Callable[[str], None],
) -> None:
    hashes, figures = replay.hashes, replay.figures
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
        balance, pending_debits, pending_credits = figures.get(account.id, [0, 0, 0])
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
