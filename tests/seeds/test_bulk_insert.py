"""``minga.common.bulk.RowInserter`` (what the MCPD import writes with) gives the rows what
the ORM would: the model's defaults, a UUID of their own, the moment of the insert."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from minga.common.bulk import RowInserter
from minga.seeds.models import Accession
from tests.seeds import factories as seeds


def test_rows_take_the_model_defaults_and_their_own_identifiers(bank: Any) -> None:
    inserter = RowInserter(Accession, ["bank_id", "instcode", "accenumb", "genus", "elevation"])
    count = inserter.insert(
        [
            {"bank_id": bank.pk, "instcode": "PER001", "accenumb": f"B-{number}",
             "genus": "Zea", "elevation": 3400 if number else None}
            for number in range(3)
        ]
    )  # fmt: skip
    assert count == 3
    rows = list(Accession.objects.filter(bank=bank).order_by("accenumb"))
    made = seeds.accession(bank)
    assert [row.elevation for row in rows] == [None, 3400, 3400]
    assert len({row.uuid for row in rows}) == 3
    for row in rows:
        assert row.local_names == {} and row.custodian == "" and row.stock == 0
        assert row.visibility == made.visibility and row.regenerate_on is None
        assert row.created_at is not None and row.created_at <= made.created_at


def test_the_database_still_refuses_a_row_that_breaks_a_constraint(bank: Any) -> None:
    """Two rows with the same accession number in a bank: the unique constraint holds."""
    inserter = RowInserter(Accession, ["bank_id", "instcode", "accenumb", "genus"])
    row = {"bank_id": bank.pk, "instcode": "PER001", "accenumb": "X-1", "genus": "Zea"}
    with pytest.raises(IntegrityError), transaction.atomic():
        inserter.insert([row, row])
    assert not Accession.objects.filter(bank=bank).exists()


def test_a_field_without_value_or_default_is_named_before_any_row() -> None:
    with pytest.raises(ValueError, match=r"Accession\.bank has no value"):
        RowInserter(Accession, ["instcode", "accenumb", "genus"])
    with pytest.raises(ValueError, match="no field colour"):
        RowInserter(Accession, ["bank_id", "colour"])
