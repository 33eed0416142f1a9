"""Amounts, limits and identifiers from outside are checked: a clear 4xx, never a 500.

The ledger takes amounts, limits and balances up to ``MAX_AMOUNT`` (2⁶² − 1): then every
sum the database computes (a balance with its reservations, a limit with them) fits in a
signed 64-bit column, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.core.ledger import MAX_AMOUNT
from minga.exchange import services
from minga.exchange.models import Account, Agreement, Transfer, Unit
from tests import factories
from tests.exchange.web_helpers import World, build_world, page_client, send, token_client


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def test_units_and_accounts_refuse_limits_beyond_the_bound(world: World) -> None:
    """A credit limit near −2⁶³ is refused by the API, the pages and the services."""
    coordinator = world.people["network_coordinator"]
    api = token_client(coordinator)
    body = {"network": str(world.network.uuid), "code": "HUGE", "name": "Huge"}
    for limits in (
        {"default_lowest_balance": -(2**63) + 1},
        {"default_lowest_balance": -MAX_AMOUNT - 1},
        {"default_highest_balance": MAX_AMOUNT + 1},
    ):
        response = send(api, "/units", {**body, **limits})
        assert response.status_code == 422, response.content
    assert send(api, "/units", {**body, "default_lowest_balance": -MAX_AMOUNT}).status_code == 201
    patch = send(api, f"/accounts/{world.a.uuid}", {"lowest_balance": -MAX_AMOUNT - 1}, "patch")
    assert patch.status_code == 422
    with pytest.raises(DomainError):
        services.account_set_limits(
            actor=SYSTEM, account=world.a, lowest_balance=-(2**63), highest_balance=None
        )
    with pytest.raises(DomainError):
        services.unit_create(
            actor=SYSTEM,
            code="OTRA",
            name="x",
            kind="community",
            network=world.network,
            default_lowest_balance=-(2**62),
        )
    page = page_client(coordinator)
    response = page.post(
        reverse("exchange:account_limits", kwargs={"uuid": world.a.uuid}),
        {"credit_limit": str(2**63), "upper_limit": ""},
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=world.a.pk).lowest_balance == -10_000
    response = page.post(
        reverse("exchange:unit_create"),
        {
            "network": world.network.slug,
            "code": "PAGE",
            "name": "x",
            "kind": "community",
            "scale": "0",
            "default_credit_limit": str(2**63),
        },
    )
    assert response.status_code == 302
    assert not Unit.objects.filter(code="PAGE").exists()


def test_an_account_without_upper_limit_cannot_overflow(world: World) -> None:
    """Many accounts at the largest credit limit paying one account: each payment is
    answered (created or refused), the receiving balance never passes the bound."""
    payers = []
    for number in range(3):
        organization = factories.organization(name=f"Pagadora {number}")
        factories.membership(organization, world.network)
        factories.role(world.people["spokesperson"], organization, "spokesperson")
        account = services.account_open(actor=SYSTEM, organization=organization, unit=world.unit)
        services.account_set_limits(
            actor=SYSTEM, account=account, lowest_balance=-MAX_AMOUNT, highest_balance=None
        )
        payers.append(account)
    api = token_client(world.people["spokesperson"])
    statuses = []
    for number, payer in enumerate(payers):
        item = {
            "client_id": f"big-{number}",
            "debit": str(payer.uuid),
            "credit": str(world.b.uuid),
            "unit": "MINGA",
            "amount": MAX_AMOUNT,
        }
        response = send(api, "/transfers", {"transfers": [item]})
        assert response.status_code == 200, response.content
        result = response.json()["results"][0]
        statuses.append((result["status"], result["code"]))
    assert statuses == [
        ("created", ""),
        ("refused", "exceeds_upper_limit"),
        ("refused", "exceeds_upper_limit"),
    ]
    assert Account.objects.get(pk=world.b.pk).balance == MAX_AMOUNT
    too_big = {
        "client_id": "x",
        "debit": str(payers[1].uuid),
        "credit": str(world.b.uuid),
        "unit": "MINGA",
        "amount": MAX_AMOUNT + 1,
    }
    response = send(api, "/transfers", {"transfers": [too_big]})
    assert (response.status_code, response.json()["field"]) == (422, "transfers.0.amount")


def _agreement_form(world: World, **values: str) -> dict[str, str]:
    return {
        "organization": world.maizal.slug,
        "role": "receive",
        "counterpart": world.semillas.slug,
        "title": "Queso",
        "description": "queso",
        "payment": "ledger",
        "unit": "MINGA",
        "amount": "1",
        **values,
    }


def test_the_new_agreement_page_answers_404_for_a_bad_listing(world: World) -> None:
    client = page_client(world.people["spokesperson"])
    for value, status in (("bad", 404), ("1" * 40, 404), ("\x00", 400)):
        # A NUL is refused before any view reads it (common/middleware): 400, not 404.
        response = client.get(reverse("trade:agreement_new"), {"listing": value})
        assert response.status_code == status
        response = client.post(
            reverse("trade:agreement_new"), _agreement_form(world, listing=value)
        )
        assert response.status_code == status


@pytest.mark.parametrize("amount", [2**70, MAX_AMOUNT + 1])
def test_agreement_amounts_beyond_the_bound_are_refused(world: World, amount: int) -> None:
    """Through the API (422 naming the field) and the page (the form again, explained)."""
    api = token_client(world.people["spokesperson"])
    payload = {
        "proposer": world.maizal.slug,
        "title": "Caro",
        "payment": "ledger",
        "unit": "MINGA",
        "lines": [
            {
                "supplier": world.semillas.slug,
                "receiver": world.maizal.slug,
                "description": "x",
                "amount": amount,
            }
        ],
    }
    response = send(api, "/agreements", payload)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "lines.0.amount"
    page = page_client(world.people["spokesperson"])
    response = page.post(
        reverse("trade:agreement_new"),
        _agreement_form(world, amount=f"{amount // 100}.{amount % 100:02d}"),
    )
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_service_refuses_transfer_amounts_beyond_the_bound(world: World) -> None:
    item = services.TransferInput(
        client_id="x",
        debit=str(world.a.uuid),
        credit=str(world.b.uuid),
        unit="MINGA",
        amount=MAX_AMOUNT + 1,
    )
    with pytest.raises(DomainError) as refused:
        services.transfers_submit(actor=SYSTEM, inputs=[item])
    assert refused.value.field == "amount"
    assert not Transfer.objects.exists()


def test_dashboards_sum_amounts_beyond_64_bits(world: World) -> None:
    """Trade volume and money in circulation can exceed what one 64-bit integer holds
    (each transfer is within the bound, their sum is not): the dashboards still add up."""
    payers = []
    for number in range(3):
        organization = factories.organization(name=f"Grande {number}")
        account = services.account_open(actor=SYSTEM, organization=organization, unit=world.unit)
        services.account_set_limits(
            actor=SYSTEM, account=account, lowest_balance=-MAX_AMOUNT, highest_balance=None
        )
        payers.append(account)
    receivers = [
        services.account_open(
            actor=SYSTEM, organization=factories.organization(name=f"Recibe {n}"), unit=world.unit
        )
        for n in range(3)
    ]
    inputs = [
        services.TransferInput(
            client_id=f"grande-{n}",
            debit=str(payer.uuid),
            credit=str(receiver.uuid),
            unit="MINGA",
            amount=MAX_AMOUNT,
        )
        for n, (payer, receiver) in enumerate(zip(payers, receivers, strict=True))
    ]
    assert services.transfers_submit(actor=SYSTEM, inputs=inputs).all_applied
    coordinator = page_client(world.people["network_coordinator"])
    total = 3 * MAX_AMOUNT
    expected = f"{total // 100}.{total % 100:02d} MINGA"
    page = coordinator.get(reverse("dashboard:index"), {"unit": "MINGA"})
    assert page.status_code == 200
    assert page.content.decode().count(expected) >= 2  # in circulation, and the volume
    for name in ("volume", "network", "balances"):
        response = coordinator.get(reverse("dashboard:unit_csv", args=[name]), {"unit": "MINGA"})
        assert response.status_code == 200
    volume = coordinator.get(reverse("dashboard:unit_csv", args=["volume"]), {"unit": "MINGA"})
    assert f"{total // 100}.{total % 100:02d}" in volume.content.decode()
