"""Seed requests settled through the exchange: the requester's account pays the bank's when
the seeds are shipped, in the same transaction; a refusal of the ledger ships nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.exchange import selectors as exchange_selectors
from minga.exchange import services as exchange
from minga.seeds import services
from minga.seeds.models import Lot, RequestStatus, SeedRequest, Settlement
from tests import factories
from tests.seeds import factories as seeds


@pytest.fixture
def unit(commune: Any, neighbour: Any) -> Any:
    """A network's unit with a credit line of 100.00 for each of the two communes."""
    network = factories.organization(kind="network", name="Red de semillas")
    for organization in (commune, neighbour):
        factories.membership(organization, network)
    made = exchange.unit_create(
        actor=SYSTEM, code="SEM", name="Semilla", kind="community", network=network,
        scale=2, default_lowest_balance=-10_000,
    )  # fmt: skip
    for organization in (commune, neighbour):
        exchange.account_open(actor=SYSTEM, organization=organization, unit=made)
    return made


def _balances(unit: Any, *organizations: Any) -> list[int]:
    return [
        exchange_selectors.own_account(organization, unit).balance  # type: ignore[union-attr]
        for organization in organizations
    ]


def _request(lot: Lot, neighbour: Any, asker: Any, unit: Any, amount: int) -> SeedRequest:
    return services.request_create(
        actor=asker, lot=lot, requester=neighbour,
        data=services.RequestData(
            seeds=200, conditions_accepted=True, settlement=Settlement.EXCHANGE,
            unit=unit, amount=amount,
        ),
    )  # fmt: skip


def test_shipping_pays_the_bank_through_the_ledger(
    bank: Any, keeper: Any, commune: Any, neighbour: Any, neighbour_keeper: Any, unit: Any
) -> None:
    """12.50 SEM move from the neighbour's account to the commune's when the seeds ship."""
    lot = seeds.lot(seeds.accession(bank), seeds=1000)
    seed_request = _request(lot, neighbour, neighbour_keeper, unit, 1250)
    services.request_approve(actor=keeper, seed_request=seed_request)
    assert _balances(unit, commune, neighbour) == [0, 0]
    services.request_ship(actor=keeper, seed_request=seed_request)
    seed_request.refresh_from_db()
    assert seed_request.status == RequestStatus.SHIPPED and seed_request.transfer_id
    assert _balances(unit, commune, neighbour) == [1250, -1250]
    assert seed_request.transfer.client_id.startswith("seeds:")  # type: ignore[union-attr]


def test_a_refused_payment_ships_nothing(
    bank: Any, keeper: Any, commune: Any, neighbour: Any, neighbour_keeper: Any, unit: Any
) -> None:
    """Beyond the neighbour's credit line the ledger refuses: the request stays approved, the
    balances and the lot's seeds do not move."""
    lot = seeds.lot(seeds.accession(bank), seeds=1000)
    seed_request = _request(lot, neighbour, neighbour_keeper, unit, 20_000)
    services.request_approve(actor=keeper, seed_request=seed_request)
    with pytest.raises(DomainError) as error:
        services.request_ship(actor=keeper, seed_request=seed_request)
    assert error.value.code == "exceeds_credit_limit"
    assert SeedRequest.objects.get().status == RequestStatus.APPROVED
    assert _balances(unit, commune, neighbour) == [0, 0]
    assert Lot.objects.get(pk=lot.pk).seeds == 800


def test_a_payment_needs_a_unit_both_communes_hold(
    bank: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """Without accounts in the unit, or without a unit, the request is refused naming it."""
    network = factories.organization(kind="network", name="Otra red")
    other = exchange.unit_create(
        actor=SYSTEM, code="OTRA", name="Otra", kind="community", network=network, scale=2
    )
    lot = seeds.lot(seeds.accession(bank), seeds=1000)
    for unit, code in ((other, "no_account"), (None, "unit_required")):
        with pytest.raises(DomainError) as error:
            _request(lot, neighbour, neighbour_keeper, unit, 500)
        assert (error.value.code, error.value.field) == (code, "unit")
    assert not SeedRequest.objects.exists()


def test_the_request_page_offers_the_unit_and_reads_a_decimal_amount(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any, unit: Any
) -> None:
    """The only unit is preselected; 7,50 is read as 750 minor units and shown back."""
    lot = seeds.lot(seeds.accession(bank), seeds=1000)
    client = Client()
    client.force_login(neighbour_keeper)
    form = client.get(f"/seeds/lots/{lot.uuid}/request/").content.decode()
    assert 'value="SEM" selected' in form
    response = client.post(
        f"/seeds/lots/{lot.uuid}/request/",
        {
            "requester": neighbour.slug, "seeds": "100", "settlement": "exchange",
            "unit": "SEM", "amount": "7,50", "conditions_accepted": "on",
        },
        follow=True,
    )  # fmt: skip
    seed_request = SeedRequest.objects.get()
    assert (seed_request.unit, seed_request.amount) == (unit, 750)
    assert "7.50 SEM" in response.content.decode()


def test_the_api_takes_the_unit_by_code_and_the_amount_in_minor_units(
    bank: Any, neighbour: Any, neighbour_keeper: Any, unit: Any
) -> None:
    """A request through the API names the unit by its code; an unknown code is a 422 naming
    the field, and nothing is written."""
    lot = seeds.lot(seeds.accession(bank), seeds=1000)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(neighbour_keeper)}")
    body = {
        "requester": str(neighbour.uuid), "seeds": 10, "conditions_accepted": True,
        "settlement": "exchange", "unit": "XYZ", "amount": 300,
    }  # fmt: skip
    url = f"/api/v1/seeds/lots/{lot.uuid}/requests"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "unit"
    assert not SeedRequest.objects.exists()
    created = client.post(url, {**body, "unit": "SEM"}, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["unit"], created.json()["amount"], created.json()["paid"]) == (
        "SEM", 300, False,
    )  # fmt: skip
