"""``verify_database`` reads the journal as plain rows: it must read every entry exactly as
written, and still find each kind of tampering done in the database itself."""

from __future__ import annotations

import pytest
from django.db.models import F

from minga.common.permissions import SYSTEM
from minga.core.ledger import JournalEntry, TransferKind
from minga.core.ledger.chain import chain_hash
from minga.exchange import journal, services
from minga.exchange.journal_store import iso_utc
from minga.exchange.models import Account, ChainBlock, Transfer
from minga.people.services import access_token_create
from tests.exchange.ledger_helpers import move
from tests.exchange.web_helpers import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return journal_world()


def journal_world() -> World:
    """Entries of every kind, by a person with a token and by the platform; odd memos:
    #1 posted, #2 and #3 reservations, #4 posts #2, #5 voids #3, #6 reverses #1."""
    world = build_world()
    person = world.people["spokesperson"]
    token, _secret = access_token_create(user=person, name="libro", scope="write")
    a, b = world.a, world.b

    def by_person(*inputs: services.TransferInput) -> None:
        outcome = services.transfers_submit(actor=person, inputs=list(inputs), access_token=token)
        assert outcome.all_applied, [o.code for o in outcome.outcomes]

    by_person(
        move(a, b, 100, client_id="uno", memo='comillas " y \\ barra, ñandú 🌱'),
        move(a, b, 40, client_id="reserva", kind=TransferKind.PENDING, timeout_seconds=3600),
        move(a, b, 30, client_id="otra", kind=TransferKind.PENDING),
    )
    by_person(
        services.TransferInput(
            client_id="cobro", kind=TransferKind.POST_PENDING, pending="reserva", amount=25
        ),
        services.TransferInput(client_id="anula", kind=TransferKind.VOID_PENDING, pending="otra"),
    )
    outcome = services.transfers_submit(
        actor=SYSTEM,
        inputs=[move(b, a, 100, client_id="devuelve", reverses="uno")],
    )
    assert outcome.all_applied
    return world


def _entry_from_model(transfer: Transfer) -> JournalEntry:
    """The entry as the model objects give it (how ``verify`` read it before it read rows)."""
    return JournalEntry(
        sequence=transfer.sequence,
        id=str(transfer.uuid),
        kind=TransferKind(transfer.kind),
        debit=str(transfer.debit.uuid),
        credit=str(transfer.credit.uuid),
        unit=transfer.unit.code,
        amount=transfer.amount,
        pending_id=str(transfer.pending.uuid) if transfer.pending is not None else None,
        reverses_id=str(transfer.reverses.uuid) if transfer.reverses is not None else None,
        batch_id=str(transfer.batch),
        memo=transfer.memo,
        created_at=iso_utc(transfer.created_at),
        expires_at=iso_utc(transfer.expires_at) if transfer.expires_at else None,
        submitted_by=str(transfer.submitted_by.uuid) if transfer.submitted_by else None,
        access_token=transfer.access_token_id,
    )


def test_rows_read_every_entry_as_written(world: World) -> None:
    expected = [
        (_entry_from_model(transfer), transfer.hash)
        for transfer in Transfer.objects.order_by("sequence")
    ]
    assert list(journal.database_entries()) == expected
    kinds = {entry.kind for entry, _hash in expected}
    assert kinds == set(TransferKind) - {TransferKind.EXPIRE_PENDING}
    assert any(entry.expires_at for entry, _hash in expected)
    assert {entry.submitted_by is None for entry, _hash in expected} == {True, False}
    report = journal.verify_database()
    assert report.ok, report.problems
    assert (report.entries, report.blocks, report.accounts) == (6, 3, Account.objects.count())


def test_pages_of_rows_follow_each_other(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "PAGE", 2)
    assert [entry.sequence for entry, _hash in journal.database_entries()] == [1, 2, 3, 4, 5, 6]
    assert journal.verify_database().ok


def test_an_altered_amount_is_named(world: World) -> None:
    Transfer.objects.filter(sequence=1).update(amount=F("amount") + 1)
    problem = journal.verify_database().first_discrepancy
    assert problem is not None
    assert problem.startswith("transfer #1 ")
    assert "hash does not match its content" in problem


def test_an_entry_rewritten_with_a_new_hash_breaks_the_next_link(world: World) -> None:
    """Re-hashing an altered entry does not help: the next entry was chained to the old
    hash."""
    first = Transfer.objects.get(sequence=1)
    second = Transfer.objects.get(sequence=2)
    second.memo = "reescrito"
    rehashed = chain_hash(first.hash, _entry_from_model(second))
    Transfer.objects.filter(pk=second.pk).update(memo="reescrito", hash=rehashed)
    problem = journal.verify_database().first_discrepancy
    assert problem is not None
    assert problem.startswith("transfer #3 ")
    assert "hash does not match its content" in problem


def test_a_bad_block_signature_is_named(world: World) -> None:
    block = ChainBlock.objects.order_by("number")[1]
    signature = bytearray(block.signature)
    signature[0] ^= 1
    ChainBlock.objects.filter(pk=block.pk).update(signature=bytes(signature))
    problem = journal.verify_database().first_discrepancy
    assert problem is not None
    assert problem.startswith(f"block {block.number} ")
    assert "signature is not valid" in problem


def test_a_block_that_does_not_end_on_the_chain_is_named(world: World) -> None:
    block = ChainBlock.objects.order_by("number").first()
    assert block is not None
    ChainBlock.objects.filter(pk=block.pk).update(last_hash="f" * 64)
    problem = journal.verify_database().first_discrepancy
    assert problem is not None
    assert problem.startswith(f"block {block.number} ")
    assert "does not end on the chain's hash" in problem


def test_a_wrong_balance_is_named(world: World) -> None:
    # Moved between the two accounts so that the unit still sums to zero.
    Account.objects.filter(pk=world.a.pk).update(balance=F("balance") - 5)
    Account.objects.filter(pk=world.b.pk).update(balance=F("balance") + 5)
    problem = journal.verify_database().first_discrepancy
    assert problem is not None
    assert "differ from the journal's replay" in problem
