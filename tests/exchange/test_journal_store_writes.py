"""The journal's rows and accounts as a batch reads and writes them (``journal_store``).

On PostgreSQL rows go in with one ``COPY``, balances with one ``UPDATE … FROM unnest``, and
client ids and accounts are read as one array each; SQLite runs prepared statements, with
lists cut under its parameter limit. Both must behave alike: the database's constraints
refuse a bad write with Django's ``IntegrityError`` and leave nothing behind.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from minga.exchange import journal
from minga.exchange import journal_store as store
from minga.exchange.models import Account, Transfer
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts


def _row(template: Transfer, *, sequence: int, client_id: str) -> tuple[object, ...]:
    """A journal row shaped as the batch writes it, copied from ``template``."""
    as_uuid = store.own_uuid_parameter()
    return (
        sequence,
        as_uuid(str(uuid.uuid4())),
        client_id,
        template.request_digest,
        template.kind,
        template.debit_id,
        template.credit_id,
        template.unit_id,
        template.amount,
        None,
        None,
        as_uuid(str(uuid.uuid4())),
        "copy of a row",
        store.datetime_parameter(timezone.now()),
        None,
        template.hash,
        None,
        None,
    )


def test_rows_are_written_as_given(db: None) -> None:
    _unit, (a, b) = unit_with_accounts(2)
    submit(move(a, b, 100, client_id="first"))
    first = Transfer.objects.get(client_id="first")
    with transaction.atomic():
        store.insert_transfers([_row(first, sequence=first.sequence + 1, client_id="second")])
    second = Transfer.objects.get(client_id="second")
    assert (second.debit_id, second.credit_id, second.amount, second.memo) == (
        a.pk,
        b.pk,
        100,
        "copy of a row",
    )
    assert second.uuid != first.uuid and second.batch != first.batch


def test_a_duplicate_row_is_refused_and_leaves_nothing(db: None) -> None:
    _unit, (a, b) = unit_with_accounts(2)
    submit(move(a, b, 100, client_id="first"))
    first = Transfer.objects.get(client_id="first")
    count = Transfer.objects.count()
    rows = [
        _row(first, sequence=first.sequence + 1, client_id="new"),
        _row(first, sequence=first.sequence + 2, client_id="first"),  # the client id again
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        store.insert_transfers(rows)
    assert Transfer.objects.count() == count
    assert not Transfer.objects.filter(client_id="new").exists()


def test_balances_are_written_for_the_rows_given_only(db: None) -> None:
    _unit, (a, b, c) = unit_with_accounts(3)
    with transaction.atomic():
        store.store_balances([(-50, 10, 0, a.pk), (50, 0, 10, b.pk)])
    figures = {
        account.pk: (account.balance, account.pending_debits, account.pending_credits)
        for account in Account.objects.filter(pk__in=[a.pk, b.pk, c.pk])
    }
    assert figures == {a.pk: (-50, 10, 0), b.pk: (50, 0, 10), c.pk: (0, 0, 0)}


def test_a_balance_outside_its_limits_is_refused_and_leaves_nothing(db: None) -> None:
    _unit, (a, b) = unit_with_accounts(2)  # lowest balance -10,000
    with pytest.raises(IntegrityError), transaction.atomic():
        store.store_balances([(20_000, 0, 0, b.pk), (-20_000, 0, 0, a.pk)])
    assert list(Account.objects.filter(pk__in=[a.pk, b.pk]).values_list("balance", flat=True)) == [
        0,
        0,
    ]


def test_existing_entries_are_found_among_more_ids_than_one_list_holds(db: None) -> None:
    _unit, (a, b) = unit_with_accounts(2)
    submit(move(a, b, 1, client_id="x-3"), move(b, a, 2, client_id="x-700"))
    submit(move(a, b, 3, client_id="x-949"))
    asked = [f"x-{n}" for n in range(950)]  # over the 900 one IN (…) takes on SQLite
    found = store.existing_entries(asked)
    expected = {
        client_id: (pk, digest)
        for client_id, pk, digest in Transfer.objects.values_list(
            "client_id", "pk", "request_digest"
        )
    }
    assert found == expected
    assert set(found) == {"x-3", "x-700", "x-949"}


def test_accounts_are_locked_by_any_spelling_of_their_uuid(db: None) -> None:
    _unit, (a, b, c) = unit_with_accounts(3)
    submit(move(a, b, 40))
    with transaction.atomic():
        states, rows = store.lock_accounts(
            [str(a.uuid).upper(), str(b.uuid), "not-a-uuid", str(uuid.uuid4())]
        )
    assert set(states) == set(rows) == {str(a.uuid), str(b.uuid)}
    assert (states[str(a.uuid)].balance, states[str(b.uuid)].balance) == (-40, 40)
    assert (rows[str(a.uuid)].pk, rows[str(b.uuid)].pk) == (a.pk, b.pk)
    assert str(c.uuid) not in states


def test_memos_with_tabs_newlines_and_backslashes_are_stored_as_written(db: None) -> None:
    """``COPY``'s text format escapes these characters; what is stored (and hashed) must be
    exactly what was sent."""
    _unit, (a, b) = unit_with_accounts(2)
    memo = 'maíz\t25 kg\nfrijol \\N "seco" \\\\ \r fin'
    submit(move(a, b, 5, client_id="memo", memo=memo))
    assert Transfer.objects.get(client_id="memo").memo == memo
    assert journal.verify_database().ok
