"""The zero-sum invariant is guarded below the service too."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from minga.exchange import journal
from minga.exchange.models import Account
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts


@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_write_that_breaks_double_entry_is_caught() -> None:
    """Changing one balance outside the service: PostgreSQL refuses the commit; on SQLite
    (no deferred triggers) `verify` names the unit whose balances no longer sum to zero."""
    _unit, (a, b) = unit_with_accounts(2)
    submit(move(a, b, 100))
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            Account.objects.filter(pk=a.pk).update(balance=-90)
        assert Account.objects.get(pk=a.pk).balance == -100
        assert journal.verify_database().ok
    else:
        Account.objects.filter(pk=a.pk).update(balance=-90)
        report = journal.verify_database()
        assert not report.ok
        assert any("sum to 10" in problem or "differ" in problem for problem in report.problems)
