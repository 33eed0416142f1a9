"""The bank's alerts, seeded from the FAO Genebank Standards and set per bank: first test
due (then overdue), low initial germination, viability below the share of the initial,
few seeds, monitoring test overdue; shown on the lot's page to its keepers only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.seeds import services
from minga.seeds.selectors import bank_status
from tests.seeds import factories as seeds


def _codes(bank: Any) -> dict[int, set[str]]:
    return {row.lot.pk: {alert.code for alert in row.alerts} for row in bank_status(bank)}


def _settings(bank: Any, **changes: int) -> None:
    data = services.BankData(name=bank.name, instcode=bank.instcode)
    for name, value in changes.items():
        setattr(data, name, value)
    services.bank_update(actor=SYSTEM, bank=bank, data=data)


def test_each_alert_follows_the_thresholds_the_bank_sets(bank: Any) -> None:
    """With the standards' defaults, then with the bank's own thresholds, each lot raises
    exactly the alerts its state calls for."""
    today = timezone.localdate()
    new = seeds.lot(seeds.accession(bank), received_on=today - timedelta(days=60))
    # Cold and dry: a year in store costs wheat almost nothing.
    healthy = seeds.lot(seeds.accession(bank), seeds=9000, temperature="5.0", moisture="6.0")
    seeds.germination(healthy, germinated=96, days_ago=400)
    # Wheat at 30 °C and 15 % moisture loses viability within months: tested twice, the
    # second test far below 85 % of the first.
    fading = seeds.lot(seeds.accession(bank), seeds=5000, temperature="30.0", moisture="15.0")
    seeds.germination(fading, germinated=96, days_ago=300)
    seeds.germination(fading, germinated=40, days_ago=1)
    weak = seeds.lot(seeds.accession(bank), seeds=5000)
    seeds.germination(weak, germinated=70)

    codes = _codes(bank)
    assert codes[new.pk] == {"first_test_due"}
    assert codes[healthy.pk] == set()
    assert codes[fading.pk] == {"low_viability"}
    assert codes[weak.pk] == {"low_initial_germination"}

    _settings(
        bank,
        first_test_months=1,
        monitoring_months=12,
        minimum_initial_germination=60,
        seeds_per_sowing=2000,
    )
    codes = _codes(bank)
    # Three sowings of 2,000 seeds: 6,000 at least.
    assert codes[new.pk] == {"first_test_overdue", "low_quantity"}
    assert codes[healthy.pk] == {"monitoring_overdue"}
    assert codes[fading.pk] == {"low_viability", "low_quantity"}
    assert codes[weak.pk] == {"low_quantity"}


def test_alerts_show_on_the_lot_page_to_its_keepers_only(bank: Any, keeper: Any) -> None:
    lot = seeds.lot(seeds.accession(bank), received_on=timezone.localdate() - timedelta(days=400))
    keeper_client = Client()
    keeper_client.force_login(keeper)
    assert (
        "First germination test overdue since"
        in keeper_client.get(lot.get_absolute_url()).content.decode()
    )
    assert (
        "First germination test overdue since"
        not in Client().get(lot.get_absolute_url()).content.decode()
    )
