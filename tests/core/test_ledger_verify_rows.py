"""The journal check over plain rows is the same check as over entries."""

from __future__ import annotations

from dataclasses import replace

from minga.core.ledger import AccountState, JournalEntry, TransferKind, verify_journal
from minga.core.ledger.chain import GENESIS_HASH, chain_hash
from minga.core.ledger.verify import Block, entry_rows, verify_journal_rows


def _journal(kinds: list[str]) -> list[tuple[JournalEntry, str]]:
    entries, previous = [], GENESIS_HASH
    for number, kind in enumerate(kinds, start=1):
        entry = JournalEntry(
            sequence=number,
            id=f"t{number}",
            kind=kind,  # type: ignore[arg-type]  # an unknown kind, on purpose, below
            debit="a",
            credit="b",
            unit="MINGA",
            amount=10,
            pending_id=None,
            reverses_id=None,
            batch_id="lote",
            memo="",
            created_at="2026-11-30T20:00:00.000000+00:00",
            expires_at=None,
        )
        previous = chain_hash(previous, entry)
        entries.append((entry, previous))
    return entries


def _check(entries: list[tuple[JournalEntry, str]], balance: int) -> tuple[list[str], list[str]]:
    block = Block(1, 1, len(entries), entries[-1][1], b"firma")
    accounts = [
        AccountState("a", "MINGA", -1000, None, balance=-balance),
        AccountState("b", "MINGA", -1000, None, balance=balance),
    ]

    def valid(_message: bytes, signature: bytes, _key: str) -> bool:
        return signature == b"firma"

    by_entries = verify_journal(entries, [block], accounts, valid, stop_at_first=False)
    by_rows = verify_journal_rows(
        entry_rows(entries), [block], accounts, valid, stop_at_first=False
    )
    assert (by_rows.entries, by_rows.blocks, by_rows.accounts) == (
        by_entries.entries,
        by_entries.blocks,
        by_entries.accounts,
    )
    return by_entries.problems, by_rows.problems


def test_a_clean_journal_is_clean_both_ways() -> None:
    entries = _journal([TransferKind.POSTED, TransferKind.POSTED])
    assert _check(entries, 20) == ([], [])


def test_an_unknown_kind_is_named_both_ways() -> None:
    entries = _journal([TransferKind.POSTED, "regalo"])
    by_entries, by_rows = _check(entries, 10)
    assert by_entries == by_rows
    assert by_rows == ["transfer #2 (t2): unknown kind 'regalo'"]


def test_every_problem_is_found_both_ways() -> None:
    entries = _journal([TransferKind.POSTED, TransferKind.POSTED, TransferKind.POSTED])
    first, second, third = entries
    entries = [first, (replace(second[0], amount=11), second[1]), third]
    by_entries, by_rows = _check(entries, 5)
    assert by_entries == by_rows
    assert by_rows[0].startswith("transfer #2 (t2): hash does not match")
    assert any("differ from the journal's replay" in problem for problem in by_rows)
