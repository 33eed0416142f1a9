"""On a 360 px phone in Haitian Creole, a seed keeper corrects an accession's passport data
(the form comes filled, a confirmation follows) and reads the bank's list of alerts,
filters it by kind and opens a lot from it; nothing is wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from minga.seeds.models import Accession
from tests import factories
from tests.seeds import factories as seeds

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit

SHOTS = "/tmp/minga-seeds-edit-alerts"  # noqa: S108 - screenshots for a person to look at


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_keeper_edits_passport_data_and_reads_the_alerts_in_creole(
    live_server: Any, phone_for: Any
) -> None:
    commune = factories.organization(name="Komin Latibonit", slug="latibonit", country="HT")
    keeper = factories.person("gadyen-semans")
    factories.role(keeper, commune, "spokesperson")
    bank = seeds.bank(commune, name="Bank semans Latibonit")
    accession = seeds.accession(
        bank, genus="Zea", species="mays", ACCENAME="Mayi peyi wouj ak gwo grenn", ORIGCTY="HTI"
    )
    few = seeds.lot(accession, code="L-2024-LONG-CODE-01", seeds=40)
    base = live_server.url
    phone = phone_for()
    phone.context.add_cookies([{"name": "minga_language", "value": "ht", "url": base}])
    _sign_in(phone, base, keeper.username)

    phone.goto(base + accession.get_absolute_url())
    _submit(phone, f"a[href='/seeds/accessions/{accession.uuid}/edit/']")
    assert phone.input_value("#id_accename") == "Mayi peyi wouj ak gwo grenn"
    assert phone.input_value("#id_origcty") == "HTI"
    assert fits(phone)
    phone.screenshot(path=f"{SHOTS}-edit.png", full_page=True)
    phone.fill("#id_duplsite", "NOR051")
    phone.fill("#id_duplinstname", "Svalbard Global Seed Vault")
    _submit(phone, "main form button[type=submit]")
    assert creole("The passport data were saved.") in phone.inner_text(".messages")
    assert Accession.objects.get(pk=accession.pk).duplsite == "NOR051"
    assert fits(phone)

    phone.goto(base + bank.get_absolute_url())
    _submit(phone, f"a[href='/seeds/banks/{bank.uuid}/alerts/']")
    assert creole("Alerts of the lots") in phone.inner_text("h1")
    assert phone.locator("#alerts [data-alert='low_quantity']").count() == 1
    assert fits(phone)
    phone.screenshot(path=f"{SHOTS}-alerts.png", full_page=True)
    _submit(phone, "a[href='?kind=monitoring_overdue']")
    assert creole("No lot has an alert.") in phone.inner_text("#alerts")
    _submit(phone, "a[href='?kind=low_quantity']")
    _submit(phone, f"#alerts a[href='{few.get_absolute_url()}']")
    assert phone.url.endswith(few.get_absolute_url())
    assert fits(phone)
