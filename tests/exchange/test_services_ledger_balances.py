"""How the ledger's service stores balances after a batch (one prepared UPDATE per account)."""

from __future__ import annotations

import random

import pytest
from django.db import IntegrityError, transaction

from minga.exchange import journal, journal_store
from minga.exchange.models import Account
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts


def test_a_large_batch_stores_every_balance_it_moved(db: None) -> None:
    """Hundreds of random transfers among many accounts: stored balances match the replay."""
    _unit, accounts = unit_with_accounts(40, lowest=-1_000_000)
    rng = random.Random(7)
    inputs = [move(*rng.sample(accounts, 2), rng.randint(1, 5_000)) for _ in range(600)]
    expected = {a.pk: 0 for a in accounts}
    for item in inputs:
        debit = next(a for a in accounts if str(a.uuid) == item.debit)
        credit = next(a for a in accounts if str(a.uuid) == item.credit)
        expected[debit.pk] -= item.amount
        expected[credit.pk] += item.amount
    assert submit(*inputs).all_applied
    stored = dict(Account.objects.values_list("pk", "balance"))
    assert stored == expected
    report = journal.verify_database()
    assert report.ok, report.problems


def test_stored_balances_are_still_checked_by_the_database(db: None) -> None:
    """The raw UPDATE goes through the same check constraints as any other write."""
    _unit, (a, _b) = unit_with_accounts(2, lowest=-100)
    with pytest.raises(IntegrityError), transaction.atomic():
        journal_store.store_balances([(-101, 0, 0, a.pk)])
    assert Account.objects.get(pk=a.pk).balance == 0
