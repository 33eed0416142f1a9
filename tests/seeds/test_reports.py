"""Reports of a seed bank: inventory, accessions at risk, the map of origins and the yearly
report; what each reader may see in them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client
from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.core.viability.constants import constants_for
from minga.core.viability.equation import Storage, predict
from minga.seeds import reports, selectors, services
from minga.seeds.models import Accession, Lot
from minga.seeds.risk import regeneration_due
from tests.seeds import factories as seeds


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_later_test_below_the_threshold_dates_the_regeneration() -> None:
    """Kiwicha (Amaranthus caudatus) has no published constants: only the tests speak. 90 %
    then 70 % (below 85 % of 90 = 76.5 %) dates the regeneration on the day of the second
    test."""
    tests = [(date(2020, 1, 1), 100, 90), (date(2022, 5, 1), 100, 70)]
    due = regeneration_due(
        genus="Amaranthus", species="caudatus", fraction_percent=85, tests=tests,
        moisture_percent=12, temperature_celsius=20,
    )  # fmt: skip
    assert due == date(2022, 5, 1)
    assert regeneration_due(
        genus="Amaranthus", species="caudatus", fraction_percent=85, tests=tests[:1],
        moisture_percent=12, temperature_celsius=20,
    ) is None  # fmt: skip


def test_the_equation_dates_the_regeneration_of_wheat() -> None:
    """Wheat at 12 % and 20 °C tested at 95 %: on the predicted day the equation gives 85 % of
    95 % (80.75 %), and a day earlier still more."""
    tested = date(2024, 3, 1)
    due = regeneration_due(
        genus="Triticum", species="aestivum", fraction_percent=85,
        tests=[(tested, 100, 95)], moisture_percent=12, temperature_celsius=20,
    )  # fmt: skip
    assert due is not None and due > tested
    row = constants_for("Triticum", "aestivum")
    assert row is not None
    storage = Storage(moisture_percent=12, temperature_celsius=20)
    at_due = predict(row.constants, initial_percent=95, storage=storage, days=(due - tested).days)
    before = predict(
        row.constants, initial_percent=95, storage=storage, days=(due - tested).days - 2
    )
    assert abs(at_due.viability_percent - 80.75) < 0.1
    assert before.viability_percent > 80.75


def test_tests_and_bank_settings_keep_the_stored_dates(bank: Any) -> None:
    """Recording a test stores the last germination and the regeneration date; raising the
    bank's threshold brings the date nearer."""
    lot = seeds.lot(seeds.accession(bank), seeds=5000)
    seeds.germination(lot, sown=100, germinated=95, days_ago=10)
    lot.refresh_from_db()
    assert lot.germination_percent == 95
    first = lot.regenerate_on
    assert first is not None
    data = services.BankData(name=bank.name, instcode=bank.instcode, regeneration_fraction=95)
    services.bank_update(actor=SYSTEM, bank=bank, data=data)
    lot.refresh_from_db()
    assert lot.regenerate_on is not None and lot.regenerate_on < first
    assert Accession.objects.get(pk=lot.accession_id).regenerate_on == lot.regenerate_on


def test_the_accession_keeps_the_earliest_date_of_its_lots(bank: Any) -> None:
    """With two lots due on different days, the accession's date is the nearer one, and a
    lot with no date (never tested) does not hide it: the report of accessions at risk reads
    it from the accession alone."""
    accession = seeds.accession(bank, genus="Amaranthus", species="caudatus")
    first, second = seeds.lot(accession, seeds=5000), seeds.lot(accession, seeds=5000)
    seeds.lot(accession, seeds=5000)  # never tested: no date
    seeds.germination(first, germinated=98, days_ago=400)
    seeds.germination(first, germinated=30, days_ago=10)
    seeds.germination(second, germinated=90, days_ago=400)
    seeds.germination(second, germinated=30, days_ago=3)
    dates = [lot.regenerate_on for lot in Lot.objects.filter(accession=accession)]
    dated = [day for day in dates if day is not None]
    accession.refresh_from_db()
    assert len(dated) == 2 and len(set(dated)) == 2, dates
    assert accession.regenerate_on == min(dated)
    assert accession.stock == sum(
        Lot.objects.filter(accession=accession).values_list("seeds", flat=True)
    )


def test_accessions_at_risk_by_reason(bank: Any, keeper: Any) -> None:
    """Low viability (a second test far below the first), few seeds, no safety duplicate: each
    accession is listed with its own reasons, the most urgent first, and a safe one is not."""
    today = timezone.localdate()
    weak = seeds.accession(bank, genus="Zea", species="mays", DUPLSITE="PER001")
    weak_lot = seeds.lot(weak, seeds=5000)
    seeds.germination(weak_lot, germinated=90, days_ago=400)
    seeds.germination(weak_lot, germinated=40, days_ago=3)
    few = seeds.accession(bank, DUPLSITE="PER001")
    seeds.lot(few, seeds=50)
    lonely = seeds.accession(bank)
    seeds.lot(lonely, seeds=5000)
    safe = seeds.accession(bank, genus="Zea", species="mays", DUPLSITE="PER001")
    seeds.germination(seeds.lot(safe, seeds=5000), germinated=95)
    listed = list(selectors.accessions_at_risk(keeper, bank))
    assert [a.pk for a in listed] == [weak.pk, few.pk, lonely.pk]
    reasons = {a.pk: selectors.risk_reasons(a, bank, today) for a in listed}
    assert reasons == {
        weak.pk: ["viability"],
        few.pk: ["quantity"],
        lonely.pk: ["duplicate"],
    }
    only = selectors.accessions_at_risk(keeper, bank, reason="quantity")
    assert [a.pk for a in only] == [few.pk]


def test_inventory_counts_only_what_the_reader_may_see(bank: Any, keeper: Any) -> None:
    """A members-only potato accession is in the keeper's inventory and not in a stranger's;
    seeds, weight through the hundred-seed weight and the last germination add up."""
    maize = seeds.accession(bank, genus="Zea", species="mays")
    seeds.germination(seeds.lot(maize, seeds=1000, hundred_seed_weight_mg=30000), germinated=90)
    seeds.germination(seeds.lot(maize, seeds=500), germinated=80)
    hidden = seeds.accession(
        bank, genus="Solanum", species="tuberosum", visibility=Visibility.ORGANIZATIONS
    )
    seeds.lot(hidden, seeds=300)
    mine = {row.taxon: row for row in selectors.bank_inventory(keeper, bank)}
    assert set(mine) == {"Zea mays", "Solanum tuberosum"}
    row = mine["Zea mays"]
    assert (row.accessions, row.lots, row.seeds) == (1, 2, 1300)  # 100 + 100 seeds sown
    assert row.grams == (1000 - 100) * 300 / 1000
    assert row.germination_percent == 85
    theirs = {row.taxon for row in selectors.bank_inventory(None, bank)}
    assert theirs == {"Zea mays"}
    page = _client().get(f"/seeds/banks/{bank.uuid}/inventory/")
    assert page.status_code == 200
    assert "Solanum" not in page.content.decode() and "Zea mays" in page.content.decode()


def test_the_map_hides_exact_points_from_other_communes(bank: Any, keeper: Any) -> None:
    """The keeper's map groups points in squares of 0.01°; anyone else's in squares of 1°;
    members-only accessions are on neither list of others; the page has no script."""
    seeds.accession(bank, DECLATITUDE="10.4321", DECLONGITUDE="-66.8765", ORIGCTY="VEN")
    seeds.accession(bank, DECLATITUDE="10.4322", DECLONGITUDE="-66.8766", ORIGCTY="VEN")
    seeds.accession(
        bank, DECLATITUDE="-13.5", DECLONGITUDE="-71.9", ORIGCTY="PER",
        visibility=Visibility.ORGANIZATIONS,
    )  # fmt: skip
    cells, size = selectors.origin_cells(keeper, bank)
    assert size == 0.01 and sum(cell.accessions for cell in cells) == 3
    cells, size = selectors.origin_cells(None, bank)
    assert size == 1.0 and [(c.latitude, c.longitude, c.accessions) for c in cells] == [
        (10.5, -66.5, 2)
    ]
    assert selectors.origin_countries(None, bank) == [("VEN", 2)]
    page = _client().get(f"/seeds/banks/{bank.uuid}/origins/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1]
    assert "Venezuela" in page and "PER" not in page and "10.4321" not in page


def test_at_risk_and_yearly_report_are_for_the_keepers(
    bank: Any, keeper: Any, neighbour_keeper: Any
) -> None:
    """Another commune's keeper gets 403 on the at-risk list and the report; the keeper gets
    the list with its reasons and the report as a PDF and as a page."""
    lonely = seeds.accession(bank, ACCENAME="Maíz morado")
    seeds.lot(lonely, seeds=50)
    year = timezone.localdate().year
    stranger = _client(neighbour_keeper)
    assert stranger.get(f"/seeds/banks/{bank.uuid}/at-risk/").status_code == 403
    assert stranger.get(f"/seeds/banks/{bank.uuid}/report-{year}.pdf").status_code == 403
    client = _client(keeper)
    page = client.get(f"/seeds/banks/{bank.uuid}/at-risk/").content.decode()
    assert "Maíz morado" in page and "No safety duplicate." in page
    pdf = client.get(f"/seeds/banks/{bank.uuid}/report-{year}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/seeds/banks/{bank.uuid}/report-{year + 1}.pdf").status_code == 404
    assert client.get(f"/seeds/banks/{bank.uuid}/report-{year}.doc").status_code == 404
    html = client.get(f"/seeds/banks/{bank.uuid}/report-{year}.html").content.decode()
    assert bank.name in html and "Triticum aestivum" in html


def test_yearly_report_counts_the_year(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """The report of this year counts the lot received, the test made and the seeds shipped
    to the neighbour commune; a members-only accession's lot counts only for the keeper."""
    accession = seeds.accession(bank)
    lot = seeds.lot(accession, seeds=2000)
    seeds.germination(lot, germinated=90)
    seed_request = services.request_create(
        actor=neighbour_keeper, lot=lot, requester=neighbour,
        data=services.RequestData(seeds=300, conditions_accepted=True),
    )  # fmt: skip
    services.request_approve(actor=keeper, seed_request=seed_request, answer="")
    services.request_ship(actor=keeper, seed_request=seed_request)
    hidden = seeds.accession(bank, visibility=Visibility.ORGANIZATIONS)
    seeds.lot(hidden)
    year = timezone.localdate().year
    document = reports.yearly_report(keeper, bank, year)
    figures = {row[0]: row[1] for row in document.sections[0].tables[0].rows}
    assert figures["Lots received"] == "2"
    assert figures["Germination tests"] == "1"
    assert figures["Seeds shipped"] == "300"
    shared = document.sections[-1].tables[0].rows
    assert shared == [[neighbour.name, "1", "300"]]
    assert Lot.objects.filter(accession__bank=bank).count() == 2
    public = reports.yearly_report(None, bank, year)
    assert {row[0]: row[1] for row in public.sections[0].tables[0].rows}["Lots received"] == "1"


def test_the_map_writes_svg_numbers_in_every_language(bank: Any) -> None:
    """In French (decimal comma) the circles' coordinates stay SVG numbers with a dot."""
    seeds.accession(bank, DECLATITUDE="10.4321", DECLONGITUDE="-66.8765", ORIGCTY="VEN")
    client = _client()
    client.cookies["minga_language"] = "fr"
    page = client.get(f"/seeds/banks/{bank.uuid}/origins/").content.decode()
    circle = page[page.index("<circle") :].split(">", 1)[0]
    assert "," not in circle and 'cx="' in circle
