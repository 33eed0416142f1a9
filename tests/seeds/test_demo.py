"""The seed bank's demo data loads, once, with lots at risk, an open request and a request
shipped and settled (by barter when the exchange demo did not open accounts)."""

from __future__ import annotations

from minga.common.permissions import SYSTEM
from minga.exchange import services as exchange
from minga.seeds.demo import load_seeds_demo
from minga.seeds.models import (
    GerminationTest,
    Lot,
    RequestStatus,
    SeedBank,
    SeedRequest,
    Settlement,
)
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
    shipped = SeedRequest.objects.get(status=RequestStatus.SHIPPED)
    assert shipped.settlement == Settlement.BARTER and shipped.barter_offer
    assert shipped.lot.accession.bank.organization != shipped.requester
    at_risk = [row for bank in SeedBank.objects.all() for row in bank_status(bank) if row.alerts]
    assert at_risk
    assert load_seeds_demo(2026) == "Seed bank demo: already present."


def test_demo_settles_through_the_exchange_when_the_communes_hold_accounts(db: None) -> None:
    """With accounts in a public unit (as the exchange demo opens them), the shipped request
    is paid through the exchange: the ledger holds its transfer."""
    communes = [
        factories.organization(name=f"Comuna {number}", slug=f"comuna-{number}", country="PE")
        for number in range(4)
    ]
    network = factories.organization(kind="network", name="Red de semillas")
    for commune in communes:
        factories.membership(commune, network)
    unit = exchange.unit_create(
        actor=SYSTEM, code="SEM", name="Semilla", kind="community", network=network,
        scale=2, default_lowest_balance=-10_000,
    )  # fmt: skip
    for commune in communes:
        exchange.account_open(actor=SYSTEM, organization=commune, unit=unit)
    assert load_seeds_demo(2026).endswith("settled by the exchange.")
    shipped = SeedRequest.objects.get(status=RequestStatus.SHIPPED)
    assert shipped.settlement == Settlement.EXCHANGE and shipped.transfer is not None
    assert shipped.transfer.amount == shipped.amount == 500
