"""The bank's list of alerts, for its keepers: every lot with an active alert, the same
alerts its own page computes, filtered by kind, paginated, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.seeds import selectors, services
from tests import factories
from tests.seeds import factories as seeds

API = "/api/v1/seeds"


def _lots_of_every_alert(bank: Any) -> dict[str, Any]:
    """A lot for each of the five alerts (and one healthy lot), as in ``test_alerts``."""
    today = timezone.localdate()
    new = seeds.lot(seeds.accession(bank), seeds=9000, received_on=today - timedelta(days=60))
    healthy = seeds.lot(seeds.accession(bank), seeds=9000, temperature="5.0", moisture="6.0")
    seeds.germination(healthy, germinated=96, days_ago=30)
    fading = seeds.lot(seeds.accession(bank), seeds=9000, temperature="30.0", moisture="15.0")
    seeds.germination(fading, germinated=96, days_ago=300)
    seeds.germination(fading, germinated=40, days_ago=1)
    weak = seeds.lot(seeds.accession(bank), seeds=9000, temperature="5.0", moisture="6.0")
    seeds.germination(weak, germinated=70, days_ago=2)
    few = seeds.lot(seeds.accession(bank), seeds=10, temperature="5.0", moisture="6.0")
    seeds.germination(few, germinated=5, sown=5, days_ago=3)
    old = seeds.lot(seeds.accession(bank), seeds=9000, temperature="5.0", moisture="6.0")
    seeds.germination(old, germinated=96, days_ago=365 * 6)
    return {"new": new, "healthy": healthy, "fading": fading, "weak": weak, "few": few, "old": old}


def _page_codes(client: Client, url: str) -> dict[str, set[str]]:
    rows = client.get(url).context["rows"]
    return {lot.code: {alert.code for alert in alerts} for lot, alerts in rows}


def test_the_list_shows_each_lot_with_the_alerts_of_its_own_page(bank: Any, keeper: Any) -> None:
    """Every lot with an alert is listed once with exactly the alerts the lot's page shows
    (computed lot by lot); a lot without alert is not listed."""
    lots = _lots_of_every_alert(bank)
    one_by_one = {
        row.lot.code: {alert.code for alert in row.alerts}
        for row in selectors.bank_status(bank)
        if row.alerts
    }
    assert one_by_one[lots["new"].code] == {"first_test_due"}
    assert one_by_one[lots["fading"].code] == {"low_viability"}
    assert one_by_one[lots["weak"].code] == {"low_initial_germination"}
    assert one_by_one[lots["few"].code] == {"low_quantity"}
    assert "monitoring_overdue" in one_by_one[lots["old"].code]
    client = Client()
    client.force_login(keeper)
    listed = _page_codes(client, reverse("seeds:bank_alerts", kwargs={"uuid": bank.uuid}))
    assert listed == one_by_one
    assert lots["healthy"].code not in listed


def test_each_kind_keeps_its_lots(bank: Any, keeper: Any) -> None:
    """Filtered by a kind, the list holds the lots with that alert; an unknown kind is all."""
    lots = _lots_of_every_alert(bank)
    client = Client()
    client.force_login(keeper)
    url = reverse("seeds:bank_alerts", kwargs={"uuid": bank.uuid})
    expected = {
        "first_test": {"new"},
        "low_initial_germination": {"weak"},
        "low_viability": {"fading"},
        "low_quantity": {"few"},
        "monitoring_overdue": {"old"},
    }
    everything = _page_codes(client, url)
    for kind, names in expected.items():
        codes = _page_codes(client, f"{url}?kind={kind}")
        assert set(codes) >= {lots[name].code for name in names}, kind
        assert all(any(code.startswith(kind) for code in alerts) for alerts in codes.values()), kind
        assert set(codes) == {
            lot for lot, alerts in everything.items() if any(c.startswith(kind) for c in alerts)
        }
    assert _page_codes(client, f"{url}?kind=nonsense") == everything


def test_the_list_is_paginated_in_a_fixed_number_of_queries(
    bank: Any, keeper: Any, django_assert_max_num_queries: Any
) -> None:
    """Forty lots with alerts: two pages, each read in the same few queries (no query per
    lot), the second page holding the rest."""
    for _ in range(40):
        lot = seeds.lot(seeds.accession(bank), seeds=5)
        seeds.germination(lot, germinated=2, sown=2)
    client = Client()
    client.force_login(keeper)
    url = reverse("seeds:bank_alerts", kwargs={"uuid": bank.uuid})
    client.get(url)  # the session and the viewer's roles, read once
    with django_assert_max_num_queries(12):
        first = client.get(url)
    with django_assert_max_num_queries(12):
        second = client.get(f"{url}?page=2")
    assert len(first.context["rows"]) == 30 and len(second.context["rows"]) == 10
    assert 'rel="next"' in first.content.decode()
    listed = [lot.pk for lot, _alerts in [*first.context["rows"], *second.context["rows"]]]
    assert len(set(listed)) == 40


def test_readers_see_only_the_lots_they_may_read(
    bank: Any, keeper: Any, commune: Any, neighbour_keeper: Any
) -> None:
    """The list is the bank's keepers' (as the alerts on a lot's page): its keeper sees every
    lot, hidden ones too; another bank's keeper is refused and not shown the link; a bank of
    a hidden organization is 404; each row links to its lot; the bank page links here."""
    shown = seeds.lot(seeds.accession(bank), seeds=5)
    hidden = seeds.lot(seeds.accession(bank, visibility=Visibility.ORGANIZATIONS), seeds=5)
    url = reverse("seeds:bank_alerts", kwargs={"uuid": bank.uuid})
    own = Client()
    own.force_login(keeper)
    page = own.get(url).content.decode()
    assert shown.get_absolute_url() in page and hidden.get_absolute_url() in page
    assert url in own.get(bank.get_absolute_url()).content.decode()
    other = Client()
    other.force_login(neighbour_keeper)
    refused = other.get(url)
    assert refused.status_code == 403
    assert shown.get_absolute_url() not in refused.content.decode()
    assert url not in other.get(bank.get_absolute_url()).content.decode()
    secret = factories.organization(
        name="Comuna Cerrada", slug="cerrada", visibility=Visibility.ORGANIZATIONS
    )
    closed = seeds.bank(secret, name="Banco cerrado")
    seeds.lot(seeds.accession(closed), seeds=5)
    assert other.get(reverse("seeds:bank_alerts", kwargs={"uuid": closed.uuid})).status_code == 404
    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(neighbour_keeper)}")
    assert api.get(f"{API}/banks/{closed.uuid}/alerts").status_code == 404


def test_the_api_reads_the_same_list(bank: Any, keeper: Any, neighbour_keeper: Any) -> None:
    """The API lists the same lots with coded alerts, filters by kind, and refuses whom the
    page refuses."""
    lots = _lots_of_every_alert(bank)
    hidden = seeds.lot(seeds.accession(bank, visibility=Visibility.ORGANIZATIONS), seeds=5)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(keeper)}")
    body = api.get(f"{API}/banks/{bank.uuid}/alerts").json()
    by_lot = {row["code"]: {alert["code"] for alert in row["alerts"]} for row in body["items"]}
    assert by_lot[lots["few"].code] == {"low_quantity"}
    assert hidden.code in by_lot and lots["healthy"].code not in by_lot
    [row] = [row for row in body["items"] if row["code"] == lots["weak"].code]
    assert row["lot"] == str(lots["weak"].uuid) and row["url"] == lots["weak"].get_absolute_url()
    assert row["alerts"][0]["text"]
    few = api.get(f"{API}/banks/{bank.uuid}/alerts?kind=low_quantity").json()["items"]
    assert {row["code"] for row in few} == {lots["few"].code, hidden.code}
    other = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(neighbour_keeper)}")
    refused = other.get(f"{API}/banks/{bank.uuid}/alerts")
    assert refused.status_code == 403
    assert lots["few"].code not in refused.content.decode()


def test_the_bank_thresholds_move_lots_in_and_out(bank: Any, keeper: Any) -> None:
    """Raising the bank's minimum of seeds lists a lot that had enough before."""
    lot = seeds.lot(seeds.accession(bank), seeds=500, temperature="5.0", moisture="6.0")
    seeds.germination(lot, germinated=96)
    assert not selectors.lots_with_alerts(keeper, bank).exists()
    data = services.BankData(name=bank.name, instcode=bank.instcode, seeds_per_sowing=1000)
    services.bank_update(actor=SYSTEM, bank=bank, data=data)
    bank.refresh_from_db()
    assert list(selectors.lots_with_alerts(keeper, bank, kind="low_quantity")) == [lot]
