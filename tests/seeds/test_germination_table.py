"""The lot's page shows each germination test as a seed keeper records it: method,
replicates, seeds sown, normal and abnormal seedlings, dead seeds, the percentage and, to
the bank's keepers, who recorded it; the table scrolls inside its own box on a phone."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from minga.seeds import services
from tests.seeds import factories as seeds


def test_the_test_table_shows_what_the_keeper_recorded(bank: Any, keeper: Any) -> None:
    lot = seeds.lot(seeds.accession(bank))
    services.test_record(
        actor=keeper,
        lot=lot,
        data=services.TestData(
            tested_on=timezone.localdate(),
            sown=200,
            germinated=171,
            abnormal=9,
            dead=13,
            replicates=4,
            method="Entre papel, 20 °C",
        ),
    )
    client = Client()
    client.force_login(keeper)
    page = client.get(lot.get_absolute_url()).content.decode()
    table = page[page.index('<div class="table-scroll"><table id="tests">') :]
    table = table[: table.index("</table>")]
    row = table[table.index("<tbody>") :]
    for value in ("Entre papel, 20 °C", ">4<", ">200<", ">171<", ">9<", ">13<", "86 %"):
        assert value in row, value
    assert str(keeper) in row
    public = Client().get(lot.get_absolute_url()).content.decode()
    assert "Entre papel, 20 °C" in public and str(keeper) not in public
