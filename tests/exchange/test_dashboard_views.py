"""The dashboards over HTTP: who sees them, pictures and CSV files, and the page's queries."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from minga.common.permissions import SYSTEM
from minga.exchange import services
from minga.exchange.models import BarterRound
from minga.exchange.services import obligations_import
from tests import factories
from tests.exchange.ledger_helpers import move, submit
from tests.market import factories as market

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
HOSTILE_NAMES = ('=HYPERLINK("http://example.com","x")', "+1 Comuna", "-2 Comuna", "@SUM(A1)")


@pytest.fixture
def commission(db: None) -> dict[str, Any]:
    """A network with a unit, four members (with spreadsheet-hostile names), some trade,
    a clearing round and a barter round, and its coordinator."""
    network = factories.organization(kind="network", name="Red del Sur")
    coordinator = factories.person("coordinadora-economia")
    factories.role(coordinator, network, "coordinator")
    unit = services.unit_create(
        actor=SYSTEM,
        code="SUR",
        name="Sureño",
        kind="community",
        network=network,
        default_lowest_balance=-100_000,
    )
    organizations = [factories.organization(name=name) for name in HOSTILE_NAMES]
    for organization in organizations:
        factories.membership(organization, network)
    accounts = [
        services.account_open(actor=SYSTEM, organization=o, unit=unit) for o in organizations
    ]
    a, b, c, d = accounts
    assert submit(move(a, b, 12_50), move(b, c, 5_00), move(c, d, 1_25)).all_applied
    oa, ob, oc, _od = organizations
    obligations_import(
        actor=coordinator,
        unit=unit,
        rows=[
            (2, oa, ob, 1_000, "f-1", None),
            (3, ob, oc, 700, "f-2", None),
            (4, oc, oa, 500, "f-3", None),
        ],
    )
    clearing_round = services.clearing_round_open(actor=coordinator, unit=unit)
    for organization, offer, need in (
        (oa, "seeds", "tools"),
        (ob, "tools", "textiles"),
        (oc, "textiles", "seeds"),
    ):
        market.listing(
            organization, kind="offer", category=offer, title=f"Oferta {offer}", barter_only=True
        )
        market.listing(
            organization, kind="need", category=need, title=f"Necesidad {need}", barter_only=True
        )
    barter_round = services.barter_round_run(actor=coordinator, network=network)
    return {
        "network": network,
        "unit": unit,
        "coordinator": coordinator,
        "client": factories.verified_client(coordinator),
        "clearing": clearing_round,
        "barter": barter_round,
        "organizations": organizations,
    }


def _urls(commission: dict[str, Any]) -> list[str]:
    clearing, barter = commission["clearing"].uuid, commission["barter"].uuid
    unit = "unit=SUR"
    return [
        f"/exchange/dashboard/?{unit}",
        f"/exchange/dashboard/chart/balances/?{unit}",
        f"/exchange/dashboard/chart/volume/?{unit}&format=svg",
        f"/exchange/dashboard/chart/network/?{unit}",
        f"/exchange/dashboard/csv/balances/?{unit}",
        f"/exchange/dashboard/csv/volume/?{unit}",
        f"/exchange/dashboard/csv/network/?{unit}",
        f"/exchange/dashboard/clearing/{clearing}/",
        f"/exchange/dashboard/clearing/{clearing}/chart/",
        f"/exchange/dashboard/clearing/{clearing}/csv/",
        f"/exchange/dashboard/barter/{barter}/",
        f"/exchange/dashboard/barter/{barter}/chart/",
        f"/exchange/dashboard/barter/{barter}/csv/",
    ]


def _rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_coordinator_sees_every_page_picture_and_file(commission: dict[str, Any]) -> None:
    """A coordinator of the unit's network gets 200 everywhere."""
    for url in _urls(commission):
        assert commission["client"].get(url).status_code == 200, url


def test_others_get_404_and_anonymous_readers_are_sent_to_sign_in(
    commission: dict[str, Any],
) -> None:
    """A coordinator of another network, or a plain member of this one, is told nothing
    exists; an anonymous reader is redirected to sign in."""
    elsewhere = factories.person("coordinadora-de-otra-red")
    factories.role(elsewhere, factories.organization(kind="network"), "coordinator")
    member = factories.person("miembro-de-la-red")
    factories.role(member, commission["network"], "member")
    member_client = Client()
    member_client.force_login(member)
    for url in _urls(commission):
        assert factories.verified_client(elsewhere).get(url).status_code == 404, url
        assert member_client.get(url).status_code == 404, url
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert commission["client"].get("/exchange/dashboard/?unit=NOPE").status_code == 404


def test_a_superuser_sees_any_unit(commission: dict[str, Any]) -> None:
    """Superusers see every unit's dashboard."""
    admin = factories.person("raiz", is_superuser=True, is_staff=True)
    response = factories.verified_client(admin).get("/exchange/dashboard/?unit=SUR")
    assert response.status_code == 200


def test_someone_without_units_gets_an_empty_chooser(db: None) -> None:
    """Without a unit to see, the page says so rather than failing."""
    client = Client()
    client.force_login(factories.person())
    response = client.get("/exchange/dashboard/", **ENGLISH)
    assert response.status_code == 200
    assert b"You coordinate no network" in response.content


def test_the_page_shows_figures_and_links_its_pictures(commission: dict[str, Any]) -> None:
    """Names and formatted amounts appear; pictures are lazy <img> with sizes and alt text
    served by the dashboard's own views; no inline script or style."""
    response = commission["client"].get("/exchange/dashboard/?unit=SUR", **ENGLISH)
    page = response.content.decode()
    assert "12.50 SUR" in page and "-12.50 SUR" in page
    assert "+1 Comuna" in page and "=HYPERLINK(&quot;http://example.com&quot;" in page
    assert page.count('loading="lazy"') == 3
    assert 'src="/exchange/dashboard/chart/balances/?unit=SUR&amp;format=png"' in page
    assert 'src="/exchange/dashboard/chart/volume/?unit=SUR&amp;from=' in page
    assert 'width="720" height="360"' in page
    assert "<script>" not in page and "style=" not in page
    assert f"/exchange/dashboard/clearing/{commission['clearing'].uuid}/" in page
    assert f"/exchange/dashboard/barter/{commission['barter'].uuid}/" in page


@pytest.mark.parametrize(
    ("image_format", "content_type", "magic"),
    [("png", "image/png", b"\x89PNG"), ("svg", "image/svg+xml", b"<?xml")],
)
def test_pictures_have_their_type_cache_and_download_name(
    commission: dict[str, Any], image_format: str, content_type: str, magic: bytes
) -> None:
    """?format picks SVG or PNG; download=1 adds a file name; images are cached privately."""
    client = commission["client"]
    url = (
        f"/exchange/dashboard/chart/volume/?unit=SUR&from=2025-01&to=2025-03&format={image_format}"
    )
    shown = client.get(url)
    assert shown["Content-Type"] == content_type and shown.content.startswith(magic)
    assert "Content-Disposition" not in shown
    assert "private" in shown["Cache-Control"] and "max-age=300" in shown["Cache-Control"]
    downloaded = client.get(f"{url}&download=1")
    assert downloaded["Content-Disposition"] == (
        f'attachment; filename="minga-volume-SUR-2025-01_2025-03.{image_format}"'
    )
    clearing = client.get(
        f"/exchange/dashboard/clearing/{commission['clearing'].uuid}/chart/?format={image_format}"
    )
    assert clearing.content.startswith(magic)
    assert client.get(f"{url[:-3]}gif").status_code == 404
    assert client.get("/exchange/dashboard/chart/pie/?unit=SUR").status_code == 404


def test_balances_csv_neutralizes_formulas(commission: dict[str, Any]) -> None:
    """Names that a spreadsheet would run as formulas are prefixed with a quote; amounts
    stay numbers (a negative balance is not a formula)."""
    response = commission["client"].get("/exchange/dashboard/csv/balances/?unit=SUR", **ENGLISH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="minga-balances-SUR.csv"'
    rows = _rows(response)
    assert rows[0] == [
        "Organization",
        "Region",
        "Balance (SUR)",
        "Credit limit (SUR)",
        "Reserved to pay (SUR)",
        "Reserved to receive (SUR)",
        "Frozen",
    ]
    assert [(row[0], row[2]) for row in rows[1:]] == [
        ('\'=HYPERLINK("http://example.com","x")', "-12.50"),
        ("'@SUM(A1)", "1.25"),
        ("'-2 Comuna", "3.75"),
        ("'+1 Comuna", "7.50"),
    ]
    assert all(row[3] == "-1000.00" for row in rows[1:])


def test_volume_and_network_csv(commission: dict[str, Any]) -> None:
    """Volume is listed per month and payer's region; the network as payer→payee flows."""
    client = commission["client"]
    volume = _rows(client.get("/exchange/dashboard/csv/volume/?unit=SUR", **ENGLISH))
    assert volume[0] == ["Month", "Region", "Volume (SUR)"]
    assert len(volume) == 1 + 12  # one region with trade, twelve months
    assert sum(float(row[2]) for row in volume[1:]) == 18.75
    network = _rows(client.get("/exchange/dashboard/csv/network/?unit=SUR", **ENGLISH))
    assert network[0] == ["Payer", "Payee", "Volume (SUR)", "Transfers"]
    assert network[1:] == [
        ['\'=HYPERLINK("http://example.com","x")', "'+1 Comuna", "12.50", "1"],
        ["'+1 Comuna", "'-2 Comuna", "5.00", "1"],
        ["'-2 Comuna", "'@SUM(A1)", "1.25", "1"],
    ]


def test_clearing_round_page_and_csv(commission: dict[str, Any]) -> None:
    """The round's totals and each organization's position before and after."""
    client = commission["client"]
    uuid = commission["clearing"].uuid
    page = client.get(f"/exchange/dashboard/clearing/{uuid}/", **ENGLISH).content.decode()
    assert "22.00 SUR" in page and "7.00 SUR" in page and "15.00 SUR" in page
    assert "68.18%" in page
    rows = _rows(client.get(f"/exchange/dashboard/clearing/{uuid}/csv/", **ENGLISH))
    assert rows[0][0] == "Organization" and len(rows) == 4
    assert rows[1] == [
        '\'=HYPERLINK("http://example.com","x")',
        "10.00",
        "5.00",
        "5.00",
        "0.00",
        "-5.00",
    ]


def test_barter_round_page_and_csv(commission: dict[str, Any]) -> None:
    """The cycle is listed in giving order, in the page and the CSV."""
    client = commission["client"]
    uuid = commission["barter"].uuid
    cycle = commission["barter"].report["cycles"][0]
    page = client.get(f"/exchange/dashboard/barter/{uuid}/", **ENGLISH).content.decode()
    assert " → ".join(cycle) in page
    rows = _rows(client.get(f"/exchange/dashboard/barter/{uuid}/csv/", **ENGLISH))
    assert rows[0] == ["Cycle", "Position", "Item", "Goes to the owner of"]
    assert [row[2] for row in rows[1:]] == cycle
    assert [row[3] for row in rows[1:]] == [*cycle[1:], cycle[0]]


def test_a_barter_round_with_many_cycles_draws_thirty(commission: dict[str, Any]) -> None:
    """Beyond 30 cycles the page says how many are not drawn (a stored report stands in
    for a round of that size, which the optimizer would need dozens of listings to find)."""
    big = BarterRound.objects.create(
        network=commission["network"],
        report={
            "items": 70,
            "items_traded": 70,
            "cycles": [[f"a{i}", f"b{i}"] for i in range(35)],
            "non_trading": [],
        },
    )
    client = commission["client"]
    page = client.get(f"/exchange/dashboard/barter/{big.uuid}/", **ENGLISH).content.decode()
    assert "5 more cycles are not drawn" in page
    assert page.count("<li>a") == 30
    chart = client.get(f"/exchange/dashboard/barter/{big.uuid}/chart/")
    assert chart.content.startswith(b"\x89PNG")


def test_the_dashboard_page_needs_a_bounded_number_of_queries(
    commission: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    """However much trade there is, the page costs a fixed handful of queries."""
    organizations = commission["organizations"]
    unit = commission["unit"]
    for n in range(20):
        extra = factories.organization(name=f"Comuna extra {n}")
        account = services.account_open(actor=SYSTEM, organization=extra, unit=unit)
        source = services.account_open(actor=SYSTEM, organization=organizations[n % 4], unit=unit)
        assert submit(move(source, account, 100 + n)).all_applied
    with django_assert_max_num_queries(14):
        response = commission["client"].get("/exchange/dashboard/?unit=SUR")
    assert response.status_code == 200
