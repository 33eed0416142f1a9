"""Pages for agreements, clearing rounds and barter rounds."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minga.common.permissions import SYSTEM
from minga.exchange.models import Account, Agreement, ClearingRound, Obligation
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts


@pytest.fixture
def pair(db: None) -> dict[str, Any]:
    unit, (seller_account, buyer_account) = unit_with_accounts(2)
    network = unit.network
    coordinator = factories.person("coordina")
    factories.role(coordinator, network, "coordinator")
    result: dict[str, Any] = {
        "unit": unit,
        "network": network,
        "coordinator": factories.verified_client(coordinator),
    }
    for name, account in (("seller", seller_account), ("buyer", buyer_account)):
        factories.membership(account.organization, network)
        person = factories.person(f"{name}-vocera")
        factories.role(person, account.organization, "spokesperson")
        client = Client()
        client.force_login(person)
        result[name] = account.organization
        result[f"{name}_client"] = client
        result[f"{name}_account"] = account
    return result


def test_propose_accept_deliver_through_the_pages(pair: dict[str, Any]) -> None:
    """The buyer proposes 12.50, the seller accepts, the buyer confirms: balances move."""
    response = pair["buyer_client"].post(
        reverse("trade:agreement_new"),
        {
            "organization": pair["buyer"].slug,
            "role": "receive",
            "counterpart": pair["seller"].slug,
            "title": "Queso",
            "description": "10 kg de queso",
            "payment": "ledger",
            "unit": pair["unit"].code,
            "amount": "12.50",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    agreement = Agreement.objects.get()
    detail = pair["seller_client"].get(agreement.get_absolute_url()).content.decode()
    assert "12.50 MINGA" in detail and 'value="accept"' in detail
    pair["seller_client"].post(
        reverse("trade:agreement_act", args=[agreement.uuid]),
        {"action": "accept", "organization": pair["seller"].slug},
    )
    pair["buyer_client"].post(
        reverse("trade:agreement_act", args=[agreement.uuid]),
        {"action": "deliver", "organization": pair["buyer"].slug},
    )
    agreement.refresh_from_db()
    assert agreement.status == "settled"
    assert Account.objects.get(pk=pair["buyer_account"].pk).balance == -1250
    assert Account.objects.get(pk=pair["seller_account"].pk).balance == 1250


@pytest.mark.parametrize(
    ("amount", "message"), [("12.505", "2 decimal places"), ("abc", "12.50"), ("-3", "above zero")]
)
def test_bad_amounts_are_explained(pair: dict[str, Any], amount: str, message: str) -> None:
    response = pair["buyer_client"].post(
        reverse("trade:agreement_new"),
        {
            "organization": pair["buyer"].slug,
            "role": "receive",
            "counterpart": pair["seller"].slug,
            "title": "Queso",
            "description": "queso",
            "payment": "ledger",
            "unit": pair["unit"].code,
            "amount": amount,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_agreements_are_hidden_from_outsiders(pair: dict[str, Any]) -> None:
    from minga.exchange import services

    agreement = services.agreement_propose(
        actor=SYSTEM,
        proposer=pair["buyer"],
        title="Privado",
        lines=[
            services.LineInput(
                supplier=pair["seller"], receiver=pair["buyer"], description="x", amount=1
            )
        ],
        payment="ledger",
        unit=pair["unit"],
    )
    outsider = Client()
    outsider.force_login(factories.person("fuera"))
    assert outsider.get(agreement.get_absolute_url()).status_code == 404
    assert pair["seller_client"].get(agreement.get_absolute_url()).status_code == 200


def test_coordinator_uploads_obligations_and_runs_a_round(pair: dict[str, Any]) -> None:
    """A CSV of obligations is recorded whole; a bad slug is named by line and nothing is kept;
    the round page shows the before/after report and a CSV of it."""
    third = factories.organization(name="Tercera", slug="tercera")
    factories.membership(third, pair["network"])
    s, b = pair["seller"].slug, pair["buyer"].slug
    client = pair["coordinator"]
    bad = f"debtor,creditor,amount\n{s},{b},100\n{b},nadie,50\n".encode()
    response = client.post(
        reverse("trade:obligations_upload"),
        {"unit": pair["unit"].code, "file": SimpleUploadedFile("o.csv", bad)},
        follow=True,
    )
    assert "line 3, field creditor" in response.content.decode()
    assert not Obligation.objects.exists()
    good = f"debtor,creditor,amount\n{s},{b},300\n{b},tercera,200\ntercera,{s},100\n".encode()
    client.post(
        reverse("trade:obligations_upload"),
        {"unit": pair["unit"].code, "file": SimpleUploadedFile("o.csv", good)},
    )
    assert Obligation.objects.count() == 3
    response = client.post(reverse("trade:clearing_open"), {"unit": pair["unit"].code})
    round_ = ClearingRound.objects.get()
    assert response["Location"] == round_.get_absolute_url()
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "6.00 MINGA" in page and "3.00 MINGA" in page and "50.00 %" in page
    csv_text = client.get(round_.get_absolute_url() + "?format=csv").content.decode()
    assert csv_text.splitlines()[0].startswith("organization,payable_before")
    outsider = Client()
    outsider.force_login(factories.person("ajena"))
    assert outsider.get(round_.get_absolute_url()).status_code == 404


def test_strangers_cannot_open_rounds(pair: dict[str, Any]) -> None:
    response = pair["buyer_client"].post(
        reverse("trade:clearing_open"), {"unit": pair["unit"].code}
    )
    assert response.status_code == 404
    assert not ClearingRound.objects.exists()


def test_proposing_a_trade_sends_no_list_of_organizations(pair: dict[str, Any]) -> None:
    """With hundreds of organizations the page stays small: the other party is typed (with
    suggestions), not chosen from a list; a typed name is resolved by the server."""
    from minga.registry.models import Organization, Region

    region = Region.objects.order_by("position").first()
    Organization.objects.bulk_create(
        Organization(
            name=f"Comuna Lejana {n:03d}",
            slug=f"lejana-{n:03d}",
            kind="commune",
            country="VE",
            region=region,
        )
        for n in range(500)
    )
    page = pair["buyer_client"].get(reverse("trade:agreement_new")).content.decode()
    assert "Comuna Lejana" not in page
    assert len(page.encode()) < 20_000
    response = pair["buyer_client"].post(
        reverse("trade:agreement_new"),
        {
            "organization": pair["buyer"].slug,
            "role": "receive",
            "counterpart": pair["seller"].name,
            "title": "Queso",
            "description": "queso",
            "payment": "barter",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert Agreement.objects.get().parties.filter(organization=pair["seller"]).exists()
