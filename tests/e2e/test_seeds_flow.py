"""The seed bank on a 360 px phone in Haitian Creole: a seed keeper registers an accession,
records a lot and a germination test, sees the predicted viability curve and the
regeneration date; another commune requests seeds, which the keeper approves and ships."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from minga.seeds.models import Accession, Lot, RequestStatus, SeedRequest
from tests import factories
from tests.seeds import factories as seeds

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit

SHOTS = "/tmp/minga-seeds-e2e"  # noqa: S108 - screenshots for a person to look at


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_keeper_registers_tests_and_ships_to_another_commune(
    live_server: Any, phone_for: Any
) -> None:
    commune = factories.organization(name="Komin Latibonit", slug="latibonit", country="HT")
    keeper = factories.person("gadyen-semans")
    factories.role(keeper, commune, "spokesperson")
    bank = seeds.bank(commune, name="Bank semans Latibonit")
    neighbour = factories.organization(name="Komin Kenskòf", slug="kenskof", country="HT")
    asker = factories.person("vwazen")
    factories.role(asker, neighbour, "spokesperson")
    base = live_server.url

    phone = phone_for()
    _sign_in(phone, base, keeper.username)
    phone.goto(f"{base}/seeds/banks/{bank.uuid}/accessions/new/")
    assert phone.evaluate("() => document.documentElement.lang") == "ht"
    phone.fill("#id_accenumb", "LAT-001")
    phone.fill("#id_genus", "Triticum")
    phone.fill("#id_species", "aestivum")
    phone.fill("#id_accename", "Ble peyi")
    phone.fill("#id_local_names", "ht: ble peyi\nfr: blé du pays")
    phone.fill("#id_origcty", "HTI")
    phone.fill("#id_sharing_conditions", "Remèt de fwa kantite semans lan apre rekòt la.")
    assert fits(phone)
    _submit(phone, "main form button[type=submit]")
    accession = Accession.objects.get(accenumb="LAT-001")
    assert phone.url.endswith(accession.get_absolute_url())
    assert creole("The accession was registered.") in phone.inner_text("body")
    assert accession.local_names == {"ht": "ble peyi", "fr": "blé du pays"}

    phone.goto(f"{base}/seeds/accessions/{accession.uuid}/lots/new/")
    phone.fill("#id_code", "L2025")
    phone.fill("#id_seeds", "2000")
    phone.fill("#id_received_on", (timezone.localdate() - timedelta(days=20)).isoformat())
    phone.fill("#id_storage_temperature", "20")
    phone.fill("#id_moisture_percent", "12")
    _submit(phone, "main form button[type=submit]")
    lot = Lot.objects.get(code="L2025")

    phone.goto(f"{base}/seeds/lots/{lot.uuid}/tests/new/")
    phone.fill("#id_sown", "100")
    phone.fill("#id_germinated", "95")
    _submit(phone, "main form button[type=submit]")
    main = phone.inner_text("main")
    assert creole("Predicted viability") in main
    assert phone.locator("svg.viability polyline").count() == 1
    assert phone.locator("#regenerate-on").count() == 1
    assert fits(phone)
    phone.screenshot(path=f"{SHOTS}-lot.png", full_page=True)

    other = phone_for()
    _sign_in(other, base, asker.username)
    other.goto(base + lot.get_absolute_url())
    _submit(other, f"a[href='/seeds/lots/{lot.uuid}/request/']")
    assert "Remèt de fwa" in other.inner_text("#conditions")
    other.fill("#id_seeds", "150")
    other.check("#id_conditions_accepted")
    assert fits(other)
    other.screenshot(path=f"{SHOTS}-request.png", full_page=True)
    _submit(other, "main form button[type=submit]")
    seed_request = SeedRequest.objects.get()
    assert seed_request.requester == neighbour

    phone.goto(base + seed_request.get_absolute_url())
    _submit(phone, "main form button:not(.secondary)")
    assert Lot.objects.get(pk=lot.pk).seeds == 1900 - 150
    _submit(phone, "main form button")
    assert SeedRequest.objects.get().status == RequestStatus.SHIPPED
    other.goto(base + seed_request.get_absolute_url())
    assert creole("Shipped") in other.inner_text("#status")
    other.screenshot(path=f"{SHOTS}-shipped.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_keeper_imports_a_file_and_reads_the_reports(
    live_server: Any, phone_for: Any, tmp_path: Any
) -> None:
    """On the phone in Creole: a file with a bad line is refused naming line and column and
    nothing is saved; the corrected file is imported and confirmed; the inventory, the
    accessions at risk and the map of origins fit the screen; the yearly report is a PDF."""
    commune = factories.organization(name="Komin Latibonit", slug="latibonit", country="HT")
    keeper = factories.person("gadyen-semans")
    factories.role(keeper, commune, "spokesperson")
    bank = seeds.bank(commune, name="Bank semans Latibonit")
    base = live_server.url
    header = "INSTCODE,ACCENUMB,GENUS,SPECIES,ORIGCTY,DECLATITUDE,DECLONGITUDE,SAMPSTAT\n"
    good = (
        header
        + "HTI001,LAT-1,Zea,mays,HTI,19.1,-72.4,300\nHTI001,LAT-2,Phaseolus,vulgaris,HTI,18.5,-72.3,300\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(good + "HTI001,LAT-3,Zea,mays,HT,,,300\n", encoding="utf-8")
    right = tmp_path / "right.csv"
    right.write_text(good, encoding="utf-8")

    phone = phone_for()
    _sign_in(phone, base, keeper.username)
    phone.goto(f"{base}/seeds/banks/{bank.uuid}/import/")
    phone.set_input_files("#id_file", str(bad))
    _submit(phone, "main form button[type=submit]")
    assert "ORIGCTY" in phone.inner_text("main") and "4" in phone.inner_text("main")
    assert not Accession.objects.exists()
    assert fits(phone)
    phone.screenshot(path=f"{SHOTS}-import-error.png", full_page=True)
    phone.set_input_files("#id_file", str(right))
    _submit(phone, "main form button[type=submit]")
    assert Accession.objects.filter(bank=bank).count() == 2
    assert phone.url.endswith(bank.get_absolute_url())
    assert "2" in phone.inner_text(".messages")

    for path, name in (
        ("inventory/", "inventory"),
        ("at-risk/", "at-risk"),
        ("origins/", "origins"),
    ):
        phone.goto(f"{base}/seeds/banks/{bank.uuid}/{path}")
        assert fits(phone), name
        phone.screenshot(path=f"{SHOTS}-{name}.png", full_page=True)
    assert phone.locator("svg.map circle").count() == 2
    # Coordinates are SVG numbers, not the reader's decimal commas.
    assert "," not in (phone.locator("svg.map circle").first.get_attribute("cx") or ",")
    year = timezone.localdate().year
    report = phone.request.get(f"{base}/seeds/banks/{bank.uuid}/report-{year}.pdf")
    assert report.status == 200 and report.body().startswith(b"%PDF")
