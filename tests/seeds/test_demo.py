"""The seed bank's demo data loads, once, with lots at risk and an open request."""

from __future__ import annotations

from minga.seeds.demo import load_seeds_demo
from minga.seeds.models import GerminationTest, Lot, RequestStatus, SeedBank, SeedRequest
from minga.seeds.selectors import bank_status
from tests import factories


def test_demo_loads_banks_histories_risks_and_a_request(db: None) -> None:
    for number in range(4):
        factories.organization(name=f"Comuna {number}", slug=f"comuna-{number}", country="PE")
    message = load_seeds_demo(2026)
    assert message.startswith("Seed bank demo: 3 banks")
    assert SeedBank.objects.count() == 3
    assert GerminationTest.objects.count() > Lot.objects.count() / 2
    assert Lot.objects.filter(parent__isnull=False).exists()
    assert SeedRequest.objects.filter(status=RequestStatus.REQUESTED).count() == 1
    at_risk = [row for bank in SeedBank.objects.all() for row in bank_status(bank) if row.alerts]
    assert at_risk
    assert load_seeds_demo(2026) == "Seed bank demo: already present."
