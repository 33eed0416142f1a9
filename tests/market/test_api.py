"""The marketplace's API: reading and filtering, writing with tokens, errors and permissions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from minga.common.models import AuditEntry
from minga.market.models import Listing
from minga.market.search import rebuild_listing_index
from tests import factories
from tests.market import factories as market

API = "/api/v1/market"


def _token_client(user: Any) -> Client:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _send(client: Client, path: str, payload: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json"
    )


@pytest.fixture
def commune(db: None) -> Any:
    return factories.organization(name="Comuna El Maizal")


@pytest.fixture
def spokesperson(commune: Any) -> Any:
    person = factories.person()
    factories.role(person, commune, "spokesperson")
    return person


def _payload(commune: Any, **changes: Any) -> dict[str, Any]:
    return {
        "organization": str(commune.uuid),
        "kind": "offer",
        "category": "seeds",
        "title": "Semillas de maíz",
        **changes,
    }


def test_create_requires_authentication_and_permission(commune: Any, spokesperson: Any) -> None:
    """Anonymous: 401. A member without a managing role: 403. The spokesperson: 201."""
    assert _send(Client(), "/listings", _payload(commune)).status_code == 401
    member = factories.person()
    factories.role(member, commune, "member")
    response = _send(_token_client(member), "/listings", _payload(commune))
    assert response.status_code == 403 and response.json()["detail"]
    response = _send(
        _token_client(spokesperson), "/listings", _payload(commune, quantity=5, unit="kg")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["url"].endswith(f"/market/{body['uuid']}/")
    assert body["organization"] == str(commune.uuid) and body["status"] == "open"
    assert body["quantity"] == 5 and body["unit"] == "kg" and body["photos"] == []
    assert AuditEntry.objects.filter(action="market.listing.create").exists()


def test_create_for_an_invisible_organization_is_404(spokesperson: Any) -> None:
    """An organization the caller may not see answers 404, as if it did not exist."""
    hidden = factories.organization(visibility="custodians")
    response = _send(_token_client(spokesperson), "/listings", _payload(hidden))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "gift"}, "kind"),
        ({"category": "spaceships"}, "category"),
        ({"barter_only": True, "price_amount": 10, "price_unit": "MINGA"}, "price_amount"),
        ({"price_amount": 10, "price_unit": "minga"}, "price_unit"),
        ({"price_amount": 10}, "price_unit"),
        ({"price_amount": -1, "price_unit": "MINGA"}, "price_amount"),
        ({"quantity": 4}, "unit"),
        ({"available_from": "2030-02-01", "available_until": "2030-01-01"}, "available_until"),
        ({"delivery_area": "mars"}, "delivery_area"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(
    commune: Any, spokesperson: Any, changes: dict[str, Any], field: str
) -> None:
    """Errors are 422 JSON naming the field; nothing is created."""
    response = _send(_token_client(spokesperson), "/listings", _payload(commune, **changes))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert not Listing.objects.exists()


def test_list_filters_and_pages(client: Client, commune: Any) -> None:
    """Filters apply (open only by default), and page_size splits the list."""
    other = factories.organization()
    for number in range(7):
        market.listing(commune, kind="need", title=f"Necesidad {number}", country="VE")
    market.listing(other, title="Oferta", barter_only=True, country="BR")
    market.listing(other, title="Cerrada", status="closed")
    body = client.get(f"{API}/listings", {"kind": "need", "page_size": 5, "page": 2}).json()
    assert body["count"] == 7 and len(body["items"]) == 2
    assert all(item["kind"] == "need" for item in body["items"])
    titles = [
        i["title"] for i in client.get(f"{API}/listings", {"barter_only": True}).json()["items"]
    ]
    assert titles == ["Oferta"]
    assert client.get(f"{API}/listings", {"country": "BR"}).json()["count"] == 1
    assert client.get(f"{API}/listings").json()["count"] == 8
    assert client.get(f"{API}/listings", {"status": "any"}).json()["count"] == 9
    assert client.get(f"{API}/listings", {"organization": other.slug}).json()["count"] == 1


def test_list_searches_with_q(client: Client, commune: Any) -> None:
    """``q`` searches by stem and keeps the other filters."""
    market.listing(commune, title="Semillas de maíz")
    market.listing(commune, kind="need", title="Semillas de frijol")
    rebuild_listing_index()
    body = client.get(f"{API}/listings", {"q": "semilla", "kind": "offer"}).json()
    assert [item["title"] for item in body["items"]] == ["Semillas de maíz"]


def test_patch_changes_only_given_fields(commune: Any, spokesperson: Any) -> None:
    """PATCH changes the fields sent and keeps the others; strangers get 403."""
    listing = market.listing(
        commune, title="Maíz", place="Sanare", price_amount=5, price_unit="MINGA"
    )
    client = _token_client(spokesperson)
    response = _send(client, f"/listings/{listing.uuid}", {"title": "Maíz morado"}, "patch")
    assert response.status_code == 200, response.content
    listing.refresh_from_db()
    assert (
        listing.title == "Maíz morado" and listing.place == "Sanare" and listing.price_amount == 5
    )
    response = _send(client, f"/listings/{listing.uuid}", {"barter_only": True}, "patch")
    assert response.status_code == 200 and response.json()["price_amount"] is None
    response = _send(client, f"/listings/{listing.uuid}", {"status": "closed"}, "patch")
    assert response.status_code == 422 and response.json()["field"] == "status"
    stranger = _token_client(factories.person())
    response = _send(stranger, f"/listings/{listing.uuid}", {"title": "X"}, "patch")
    assert response.status_code == 403
    assert _send(Client(), f"/listings/{listing.uuid}", {"title": "X"}, "patch").status_code == 401


def test_close_and_reopen(commune: Any, spokesperson: Any) -> None:
    """Close answers the closed listing; closing twice is 422 on status; reopen opens it."""
    listing = market.listing(commune)
    client = _token_client(spokesperson)
    response = _send(client, f"/listings/{listing.uuid}/close", {"reason": "Vendido"})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    response = _send(client, f"/listings/{listing.uuid}/close", {})
    assert response.status_code == 422 and response.json()["field"] == "status"
    response = _send(client, f"/listings/{listing.uuid}/reopen", {})
    assert response.status_code == 200 and response.json()["status"] == "open"
    other = _token_client(factories.person())
    assert _send(other, f"/listings/{listing.uuid}/close", {}).status_code == 403


def test_detail_categories_and_suggestions(client: Client, commune: Any) -> None:
    """A listing reads with its photos; categories list the seeded ones; a need has suggestions."""
    need = market.listing(commune, kind="need", title="Semillas")
    offer = market.listing(factories.organization(), title="Semillas nativas")
    rebuild_listing_index()
    assert client.get(f"{API}/listings/{offer.uuid}").json()["title"] == "Semillas nativas"
    codes = [c["code"] for c in client.get(f"{API}/categories").json()]
    assert codes[:2] == ["seeds", "food"] and len(codes) == 10
    suggestions = client.get(f"{API}/listings/{need.uuid}/suggestions").json()
    assert [s["title"] for s in suggestions] == ["Semillas nativas"]
    assert suggestions[0]["score"] > 0
    response = client.get(f"{API}/listings/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json() == {
        "detail": "Not found.",
        "field": None,
        "code": "not_found",
    }
