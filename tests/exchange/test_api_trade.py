"""The API for agreements and clearing rounds."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from minga.exchange.models import Account, Agreement, Transfer
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts

API = "/api/v1/exchange"


def _client(user: Any) -> Client:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
def test_agreement_lifecycle_through_the_api_pays_once() -> None:
    """Propose, accept, deliver twice: paid once; errors name their field."""
    _unit, (seller_account, buyer_account) = unit_with_accounts(2)
    seller, buyer = seller_account.organization, buyer_account.organization
    seller_person, buyer_person = factories.person("api-vende"), factories.person("api-compra")
    factories.role(seller_person, seller, "spokesperson")
    factories.role(buyer_person, buyer, "spokesperson")
    seller_api, buyer_api = _client(seller_person), _client(buyer_person)
    payload = {
        "proposer": seller.slug,
        "title": "Maíz",
        "payment": "ledger",
        "unit": "MINGA",
        "lines": [
            {"supplier": seller.slug, "receiver": buyer.slug, "description": "maíz", "amount": 900}
        ],
    }
    bad = _post(
        seller_api,
        "/agreements",
        {**payload, "lines": [{**payload["lines"][0], "receiver": "nadie"}]},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "lines.receiver"
    assert _post(Client(), "/agreements", payload).status_code == 401
    created = _post(seller_api, "/agreements", payload)
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert (
        _post(
            buyer_api, f"/agreements/{uuid}/act", {"organization": buyer.slug, "action": "accept"}
        ).json()["status"]
        == "accepted"
    )
    assert (
        _post(
            buyer_api, f"/agreements/{uuid}/act", {"organization": buyer.slug, "action": "deliver"}
        ).json()["status"]
        == "settled"
    )
    again = _post(
        buyer_api, f"/agreements/{uuid}/act", {"organization": buyer.slug, "action": "deliver"}
    )
    assert again.status_code == 422
    assert Account.objects.get(pk=buyer_account.pk).balance == -900
    assert Transfer.objects.filter(kind="post_pending").count() == 1
    stranger_api = _client(factories.person("api-ajena"))
    assert stranger_api.get(f"{API}/agreements/{uuid}").status_code == 404
    assert Agreement.objects.count() == 1
