"""``minga ledger verify --workers N`` checks the journal in N processes, a range of sequence
each, and reports exactly what one process reports: every kind of tampering is still found,
at a range's first entry (whose predecessor the range before holds) and in the last range.

The rows are committed (``seeded_transactional_db``): the worker processes read them on their own
connections. With 2 workers the six entries are cut after #2 (ranges #1–#2 and #3–#6), so
the post of reservation #2 (#4) and the reversal of #1 (#6) each refer across the cut.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from minga.core.ledger.chain import chain_hash
from minga.exchange import journal
from minga.exchange.models import Account, ChainBlock, Transfer
from tests.exchange.test_ledger_verify_database import _entry_from_model, journal_world
from tests.exchange.web_helpers import World


@pytest.fixture
def world(seeded_transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> World:
    world = journal_world()
    ranged = journal._verify_in_ranges
    calls: list[int] = []

    def counted(workers: int) -> Any:
        calls.append(workers)
        return ranged(workers)

    monkeypatch.setattr(journal, "_verify_in_ranges", counted)
    world.ranged_calls = calls  # type: ignore[attr-defined]
    return world


def _report(workers: int) -> tuple[list[str], int, int, int]:
    report = journal.verify_database(workers=workers)
    return report.problems, report.entries, report.blocks, report.accounts


def _same_with_workers(world: World) -> list[str]:
    """The report of 1 process, which 2, 3 and 6 processes (ranged) must give too."""
    single = _report(1)
    for workers in (2, 3, 6):
        assert _report(workers) == single, workers
    assert world.ranged_calls == [2, 3, 6]  # type: ignore[attr-defined]
    return single[0]


def test_a_clean_journal_verifies_in_ranges(world: World) -> None:
    assert Transfer.objects.count() == 6
    assert _same_with_workers(world) == []
    assert _report(2)[1:] == (6, 3, Account.objects.count())


@pytest.mark.parametrize("sequence", [1, 2, 3, 6])
def test_an_altered_amount_is_named_in_any_range(world: World, sequence: int) -> None:
    """#3 opens the second range of two; #6 is in the last range of any count."""
    Transfer.objects.filter(sequence=sequence).update(amount=F("amount") + 1)
    problems = _same_with_workers(world)
    assert problems[0].startswith(f"transfer #{sequence} ")
    assert "hash does not match its content" in problems[0]


@pytest.mark.parametrize("sequence", [2, 5])
def test_a_rehashed_entry_breaks_the_link_to_the_next(world: World, sequence: int) -> None:
    """#2 rehashed: the link broken is #3's, the first entry of the second range, whose
    predecessor the first range holds."""
    before = Transfer.objects.get(sequence=sequence - 1)
    entry = Transfer.objects.get(sequence=sequence)
    entry.memo = "reescrito"
    Transfer.objects.filter(pk=entry.pk).update(
        memo="reescrito", hash=chain_hash(before.hash, _entry_from_model(entry))
    )
    problems = _same_with_workers(world)
    assert problems[0].startswith(f"transfer #{sequence + 1} ")


def _alter_block(change: Callable[[ChainBlock], dict[str, Any]]) -> ChainBlock:
    block = ChainBlock.objects.order_by("number")[1]
    ChainBlock.objects.filter(pk=block.pk).update(**change(block))
    return block


def test_a_bad_block_signature_is_named(world: World) -> None:
    block = _alter_block(lambda b: {"signature": bytes([b.signature[0] ^ 1]) + b.signature[1:]})
    problems = _same_with_workers(world)
    assert problems[0].startswith(f"block {block.number} ")
    assert "signature is not valid" in problems[0]


def test_a_block_off_the_chain_is_named(world: World) -> None:
    block = _alter_block(lambda _b: {"last_hash": "f" * 64})
    problems = _same_with_workers(world)
    assert problems[0].startswith(f"block {block.number} ")


def test_a_wrong_balance_is_named(world: World) -> None:
    # Moved between two accounts in one transaction: the unit still sums to zero (which
    # PostgreSQL's deferred trigger checks at the commit).
    with transaction.atomic():
        Account.objects.filter(pk=world.a.pk).update(balance=F("balance") - 5)
        Account.objects.filter(pk=world.b.pk).update(balance=F("balance") + 5)
    problems = _same_with_workers(world)
    assert "differ from the journal's replay" in problems[0]


def test_the_command_takes_workers_and_says_the_same(world: World) -> None:
    outputs = []
    for workers in ("1", "2"):
        out = StringIO()
        call_command("ledger", "verify", "--workers", workers, stdout=out)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert "Verified: 6 entries, 3 signed blocks" in outputs[0]
    Transfer.objects.filter(sequence=3).update(memo="cambiado")
    errors = []
    for workers in ("1", "2"):
        with pytest.raises(CommandError) as error:
            call_command("ledger", "verify", "--workers", workers)
        errors.append(str(error.value))
    assert errors[0] == errors[1]
    assert errors[0].startswith("NOT VERIFIED (3 entries, 0 signed blocks, 0 accounts): ")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("ledger", "verify", "--workers", "0")


def test_inside_a_transaction_it_checks_in_this_process(world: World) -> None:
    """Other processes could not see what the transaction has not committed."""
    with transaction.atomic():
        Transfer.objects.filter(sequence=4).update(amount=F("amount") + 1)
        problems = journal.verify_database(workers=2).problems
        assert problems[0].startswith("transfer #4 ")
    assert world.ranged_calls == []  # type: ignore[attr-defined]
