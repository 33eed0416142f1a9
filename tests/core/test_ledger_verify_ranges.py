"""A journal checked in ranges gives exactly the single pass's report, wherever it is cut.

Each range is replayed apart (as a worker process does, its result pickled), then the ranges
are absorbed in order; the report (problems, and the counts at the first problem) must be
the one :func:`verify_journal_rows` gives for the whole journal, for clean journals and for
every kind of tampering, at a cut's boundary or anywhere else.
"""

from __future__ import annotations

import itertools
import pickle
from collections import defaultdict
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.ledger import AccountState, TransferKind
from minga.core.ledger.chain import GENESIS_HASH, encode_entry, hash_encoded
from minga.core.ledger.verify import (
    Block,
    EntryRow,
    VerificationReport,
    replay_range,
    verify_journal_in_ranges,
    verify_journal_rows,
)

POSTED, PENDING, POST, VOID, EXPIRE = (
    TransferKind.POSTED.value,
    TransferKind.PENDING.value,
    TransferKind.POST_PENDING.value,
    TransferKind.VOID_PENDING.value,
    TransferKind.EXPIRE_PENDING.value,
)

# (kind, debit, credit, amount, pending or reversed entry's number): a clean journal with
# reservations posted, voided and expired, and reversals, far from where they were made.
CLEAN = [
    (POSTED, "a", "b", 10, None),  # 1
    (PENDING, "a", "b", 5, None),  # 2
    (POSTED, "b", "c", 3, None),  # 3
    (PENDING, "c", "a", 4, None),  # 4
    (POST, "a", "b", 5, 2),  # 5
    (POSTED, "b", "a", 10, 1),  # 6 reverses 1
    (VOID, "c", "a", 0, 4),  # 7
    (PENDING, "a", "c", 7, None),  # 8
    (POSTED, "c", "b", 2, None),  # 9
    (EXPIRE, "a", "c", 7, 8),  # 10
    (POSTED, "a", "b", 1, None),  # 11
    (POSTED, "b", "c", 2, 9),  # 12 reverses 9
]


def _valid(_message: bytes, signature: bytes, _key: str) -> bool:
    return signature == b"firma"


def _rows(
    operations: list[tuple[str, str, str, int, int | None]],
    *,
    units: dict[int, str] | None = None,
    sequences: list[int] | None = None,
    ids: dict[int, str] | None = None,
) -> list[EntryRow]:
    """Entries chained by their true hashes (so only their meaning may be wrong)."""
    rows: list[EntryRow] = []
    previous = GENESIS_HASH
    for number, (kind, debit, credit, amount, other) in enumerate(operations, start=1):
        sequence = sequences[number - 1] if sequences else number
        second = kind in (POST, VOID, EXPIRE)
        fields = (
            sequence,
            (ids or {}).get(number, f"t{number}"),
            kind,
            debit,
            credit,
            (units or {}).get(number, "M"),
            amount,
            f"t{other}" if second and other else None,
            f"t{other}" if kind == POSTED and other else None,
            "lote",
            "",
            "2026-11-30T20:00:00.000000+00:00",
            None,
            None,
            None,
        )
        previous = hash_encoded(previous, encode_entry(*fields))
        rows.append((*fields, previous))  # type: ignore[arg-type]
    return rows


def _blocks(rows: list[EntryRow], every: int = 4) -> list[Block]:
    ends = [row for position, row in enumerate(rows, start=1) if position % every == 0]
    if rows and (not ends or ends[-1] is not rows[-1]):
        ends.append(rows[-1])
    blocks, first = [], rows[0][0] if rows else 1
    for number, row in enumerate(ends, start=1):
        blocks.append(Block(number, first, row[0], row[15], b"firma"))
        first = row[0] + 1
    return blocks


def _accounts(operations: Iterable[tuple[str, str, str, int, int | None]]) -> list[AccountState]:
    """The balances an honest server would store (worked out here, not by the verifier)."""
    figures: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    made: dict[int, tuple[str, str, int]] = {}
    for number, (kind, debit, credit, amount, other) in enumerate(operations, start=1):
        if kind == PENDING:
            made[number] = (debit, credit, amount)
            figures[debit][1] += amount
            figures[credit][2] += amount
        elif kind in (POST, VOID, EXPIRE) and other in made:
            reserved_debit, reserved_credit, reserved = made.pop(other)
            figures[reserved_debit][1] -= reserved
            figures[reserved_credit][2] -= reserved
        if kind in (POSTED, POST):
            figures[debit][0] -= amount
            figures[credit][0] += amount
    return [
        AccountState(name, "M", -1000, None, balance=b, pending_debits=d, pending_credits=c)
        for name, (b, d, c) in sorted(figures.items())
    ]


def _single(rows: list[EntryRow], blocks: list[Block], accounts: list[AccountState]) -> tuple:
    return _summary(verify_journal_rows(rows, blocks, accounts, _valid))


def _summary(report: VerificationReport) -> tuple:
    return (report.problems, report.entries, report.blocks, report.accounts)


def _in_ranges(
    rows: list[EntryRow], cuts: list[int], blocks: list[Block], accounts: list[AccountState]
) -> tuple:
    """As ``journal._verify_in_ranges`` does it: ranges (cuts[i], cuts[i + 1]], each
    replayed from the stored hash of the entry before it, its result pickled."""
    rows = [row for row in rows if row[0] > -1]  # as the database reads them
    last = rows[-1][0] if rows else -1
    ends = frozenset(block.last_sequence for block in blocks)

    def before(after: int) -> tuple[str, int]:
        earlier = [row for row in rows if row[0] <= after]
        return (earlier[-1][15], earlier[-1][0] + 1) if earlier else (GENESIS_HASH, 1)

    ranges = []
    for index, (after, through) in enumerate(itertools.pairwise(cuts)):
        previous, expected = before(after)
        part = replay_range(
            [row for row in rows if after < row[0] <= through],
            ends,
            previous,
            expected,
            keep_posted=index + 2 < len(cuts),
        )
        # As the worker process sends it back (its own result: trusted).
        ranges.append(pickle.loads(pickle.dumps(part)))  # noqa: S301

    def rest(index: int) -> tuple[list[EntryRow], str, int]:
        previous, expected = before(cuts[index])
        return [row for row in rows if cuts[index] < row[0] <= last], previous, expected

    return _summary(verify_journal_in_ranges(ranges, rest, blocks, accounts, _valid))


def _every_cut(rows: list[EntryRow]) -> Iterable[list[int]]:
    last = rows[-1][0]
    for cut in range(last):
        yield [-1, cut, last]
    for first, second in itertools.combinations(range(last), 2):
        yield [-1, first, second, last]


def _same_everywhere(rows: list[EntryRow], blocks: list[Block], accounts: list[AccountState]):  # type: ignore[no-untyped-def]
    expected = _single(rows, blocks, accounts)
    for cuts in _every_cut(rows):
        assert _in_ranges(rows, cuts, blocks, accounts) == expected, cuts
    return expected[0]


def test_a_clean_journal_is_clean_wherever_it_is_cut() -> None:
    rows = _rows(CLEAN)
    problems = _same_everywhere(rows, _blocks(rows), _accounts(CLEAN))
    assert problems == []


def test_an_altered_entry_is_named_wherever_it_is_and_wherever_the_cut() -> None:
    """Including the first entry of a range (its predecessor in the range before) and the
    last range's entries."""
    clean = _rows(CLEAN)
    for position in range(len(clean)):
        rows = list(clean)
        rows[position] = (*rows[position][:6], rows[position][6] + 1, *rows[position][7:])  # type: ignore[assignment]
        problems = _same_everywhere(rows, _blocks(clean), _accounts(CLEAN))
        assert problems[0].startswith(f"transfer #{position + 1} (t{position + 1}): hash does")


def test_an_entry_rehashed_after_a_change_breaks_the_next_link() -> None:
    clean = _rows(CLEAN)
    for position in range(len(clean) - 1):
        rows = list(clean)
        changed = (*rows[position][:10], "reescrito", *rows[position][11:15])
        previous = rows[position - 1][15] if position else GENESIS_HASH
        rows[position] = (*changed, hash_encoded(previous, encode_entry(*changed)))  # type: ignore[assignment]
        problems = _same_everywhere(rows, _blocks(clean), _accounts(CLEAN))
        assert problems[0].startswith(f"transfer #{position + 2} ")


def test_a_removed_entry_is_named() -> None:
    clean = _rows(CLEAN)
    rows = clean[:6] + clean[7:]
    problems = _same_everywhere(rows, _blocks(clean), _accounts(CLEAN))
    assert problems[0].startswith("transfer #8 (t8): expected sequence 7")


def test_bad_blocks_and_balances_are_named() -> None:
    rows = _rows(CLEAN)
    blocks, accounts = _blocks(rows), _accounts(CLEAN)
    forged = [blocks[0], Block(2, 5, 8, blocks[1].last_hash, b"otra"), blocks[2]]
    assert "block 2 " in _same_everywhere(rows, forged, accounts)[0]
    astray = [blocks[0], Block(2, 5, 8, "f" * 64, b"firma"), blocks[2]]
    assert "does not end on the chain" in _same_everywhere(rows, astray, accounts)[0]
    wrong = [
        AccountState(a.id, a.unit, a.lowest_balance, None, balance=a.balance + delta)
        for a, delta in zip(accounts, (5, -5, 0), strict=True)
    ]
    problems = _same_everywhere(rows, blocks, wrong)
    assert "differ from the journal's replay" in problems[0]


def test_what_only_the_whole_journal_shows_is_found_across_ranges() -> None:
    """A reservation resolved twice, a transfer reversed twice or never posted, a post above
    its reservation, an account used with two units: each in entries far apart."""
    cases = {
        "resolves an unknown or already resolved": [*CLEAN[:11], (POST, "a", "b", 5, 2)],
        "reverses an unknown or already reversed": [*CLEAN[:11], (POSTED, "b", "a", 10, 1)],
        "reverses an unknown": [(POSTED, "b", "a", 10, 3), *CLEAN[1:]],
        "posts more than was reserved": [*CLEAN[:4], (POST, "a", "b", 6, 2), *CLEAN[5:]],
        "resolves an unknown": [*CLEAN[:4], (POST, "a", "b", 5, 7), *CLEAN[5:]],
    }
    for text, operations in cases.items():
        rows = _rows(operations)
        problems = _same_everywhere(rows, _blocks(rows), _accounts(operations))
        assert text in problems[0], (text, problems)
    # Two entries with one id (the database forbids it; a journal file may not): a
    # reservation made and resolved again after it was resolved far before.
    operations = [*CLEAN, (PENDING, "a", "b", 3, None), (POST, "a", "b", 3, 2)]
    rows = _rows(operations, ids={13: "t2"})
    problems = _same_everywhere(rows, _blocks(rows), _accounts(operations))
    assert problems[0].startswith("transfer #14 (t14): resolves an unknown or already")
    rows = _rows(CLEAN, units={11: "N"})
    problems = _same_everywhere(rows, _blocks(rows), _accounts(CLEAN))
    assert problems[0] == "transfer #11 (t11): account a used with two units"


_kinds = st.sampled_from([POSTED, POSTED, PENDING, POST, VOID, EXPIRE, "regalo"])
_accounts_named = st.sampled_from(["a", "b", "c"])
_operation = st.tuples(
    _kinds,
    _accounts_named,
    _accounts_named,
    st.integers(min_value=-1, max_value=9),
    st.one_of(st.none(), st.integers(min_value=1, max_value=14)),
)


@settings(max_examples=300, deadline=None)
@given(
    operations=st.lists(_operation, min_size=1, max_size=14),
    units=st.dictionaries(st.integers(1, 14), st.sampled_from(["M", "N"]), max_size=2),
    cut_points=st.lists(st.integers(min_value=0, max_value=16), max_size=4),
    block_every=st.integers(min_value=1, max_value=6),
    off_balance=st.integers(min_value=-1, max_value=1),
    gap=st.one_of(st.none(), st.integers(min_value=1, max_value=14)),
)
def test_any_journal_cut_anywhere_gives_the_single_pass_report(
    operations: list[tuple[str, str, str, int, int | None]],
    units: dict[int, str],
    cut_points: list[int],
    block_every: int,
    off_balance: int,
    gap: int | None,
) -> None:
    """Random journals, most of them wrong in some way (unknown kinds, amounts below one,
    reservations and reversals that do not exist or come twice, two units, a missing
    sequence, a claimed balance off by one), cut at random: always the same report."""
    sequences = list(range(1, len(operations) + 1))
    if gap is not None:
        sequences = [s if s < gap else s + 1 for s in sequences]
    rows = _rows(operations, units=units, sequences=sequences)
    blocks, accounts = _blocks(rows, block_every), _accounts(operations)
    if accounts and off_balance:
        first = accounts[0]
        accounts[0] = AccountState(first.id, "M", -1000, None, balance=first.balance + off_balance)
    last = rows[-1][0]
    cuts = [-1, *sorted({min(point, last) for point in cut_points} - {-1, last}), last]
    assert _in_ranges(rows, cuts, blocks, accounts) == _single(rows, blocks, accounts)
