"""The seed bank's API: the pages' visibility, sensitive fields, and requests with tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from minga.common.models import Visibility
from minga.seeds.models import Lot, RequestStatus, SeedRequest
from tests import factories
from tests.seeds import factories as seeds

API = "/api/v1/seeds"


def _token_client(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}")


def test_lists_follow_visibility_and_hide_sensitive_fields(bank: Any, keeper: Any) -> None:
    """Anonymous readers get public accessions without custodian or coordinates; the keeper
    gets both accessions with them."""
    seeds.accession(bank, DECLATITUDE="10.5", DECLONGITUDE="-66.9")
    seeds.accession(bank, visibility=Visibility.ORGANIZATIONS)
    public = Client().get(f"{API}/accessions").json()
    assert public["count"] == 1
    item = public["items"][0]
    assert item["custodian"] is None and item["declatitude"] is None
    assert item["genus"] == "Triticum"
    own = _token_client(keeper).get(f"{API}/accessions").json()
    assert own["count"] == 2
    assert {row["custodian"] for row in own["items"]} == {"Familia Pérez"}
    assert -66.9 in {row["declongitude"] for row in own["items"]}


def test_lot_detail_carries_the_prediction(bank: Any) -> None:
    """A wheat lot tested today at 95 % reads back its viability and the table's citation."""
    lot = seeds.lot(seeds.accession(bank))
    seeds.germination(lot, germinated=95)
    data = Client().get(f"{API}/lots/{lot.uuid}").json()
    assert data["viability"]["predicted_percent"] == pytest.approx(95.0)
    assert data["viability"]["regenerate_on"] is not None
    assert "Ellis" in data["viability"]["citation"]


def test_hidden_lot_is_404_with_a_coded_error(bank: Any) -> None:
    lot = seeds.lot(seeds.accession(bank, visibility=Visibility.ORGANIZATIONS))
    response = Client().get(f"{API}/lots/{lot.uuid}")
    assert response.status_code == 404


def test_request_approve_and_ship_through_the_api(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    lot = seeds.lot(seeds.accession(bank), seeds=300)
    neighbour_api = _token_client(neighbour_keeper)
    response = neighbour_api.post(
        f"{API}/lots/{lot.uuid}/requests",
        data=json.dumps(
            {"requester": str(neighbour.uuid), "seeds": 50, "conditions_accepted": True}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    keeper_api = _token_client(keeper)
    approved = keeper_api.post(
        f"{API}/requests/{uuid}/approve", data='{"answer": "Sí"}', content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["answer"] == "Sí"
    assert keeper_api.post(f"{API}/requests/{uuid}/ship").json()["status"] == "shipped"
    assert Lot.objects.get(pk=lot.pk).seeds == 250
    again = keeper_api.post(
        f"{API}/requests/{uuid}/refuse", data="{}", content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "request_already_answered"


def test_unaccepted_conditions_are_a_coded_422(
    bank: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    lot = seeds.lot(seeds.accession(bank))
    response = _token_client(neighbour_keeper).post(
        f"{API}/lots/{lot.uuid}/requests",
        data=json.dumps(
            {"requester": str(neighbour.uuid), "seeds": 50, "conditions_accepted": False}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "conditions_not_accepted"
    assert response.json()["field"] == "conditions_accepted"
    assert not SeedRequest.objects.exists()


def test_requests_are_private_to_the_two_communes(
    bank: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    lot = seeds.lot(seeds.accession(bank))
    SeedRequest.objects.create(lot=lot, requester=neighbour, seeds=5, conditions_accepted=True)
    stranger = _token_client(factories.person("otra"))
    assert stranger.get(f"{API}/requests").json()["count"] == 0
    assert _token_client(neighbour_keeper).get(f"{API}/requests").json()["count"] == 1
    assert SeedRequest.objects.get().status == RequestStatus.REQUESTED


def test_inventory_and_at_risk_through_the_api(
    bank: Any, keeper: Any, neighbour_keeper: Any
) -> None:
    """The inventory follows visibility for anyone; the at-risk list answers the keeper with
    its reasons, 403 to another commune and 401 without a token."""
    seeds.lot(seeds.accession(bank, genus="Zea", species="mays"), seeds=40)
    seeds.lot(seeds.accession(bank, visibility=Visibility.ORGANIZATIONS), seeds=40)
    public = Client().get(f"{API}/banks/{bank.uuid}/inventory").json()
    assert [(row["genus"], row["seeds"], row["lots_with_few_seeds"]) for row in public] == [
        ("Zea", 40, 1)
    ]
    url = f"{API}/banks/{bank.uuid}/at-risk?reason=quantity"
    assert Client().get(url).status_code == 401
    assert _token_client(neighbour_keeper).get(url).status_code == 403
    own = _token_client(keeper).get(url).json()
    assert own["count"] == 2
    assert {tuple(row["reasons"]) for row in own["items"]} == {("quantity", "duplicate")}
