"""Findings of the security review, each kept fixed by a test."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from minga.common.models import Visibility
from minga.people.models import PersonalAccessToken
from minga.registry import services as registry_services
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts


def _json(client: Client, method: str, path: str, payload: dict[str, Any]) -> Any:
    return getattr(client, method)(path, data=json.dumps(payload), content_type="application/json")


def test_no_token_and_no_api_session_before_the_second_factor(confederation: Any) -> None:
    """A coordinator signed in with a password only gets no API token and no API writes."""
    person = factories.person("sin-2fa")
    factories.role(person, confederation, "coordinator")
    client = Client()
    client.force_login(person)
    response = client.post("/accounts/tokens/", {"name": "evil"})
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    assert not PersonalAccessToken.objects.exists()
    assert client.get("/accounts/preferences/").status_code == 302
    patch = _json(client, "patch", f"/api/v1/organizations/{confederation.uuid}", {"area": "x"})
    assert patch.status_code == 403


def test_an_organization_cannot_make_itself_a_network(confederation: Any) -> None:
    """Its own coordinator cannot change its type; its network's coordinator can."""
    commune = factories.organization(kind="commune")
    factories.membership(commune, confederation)
    own = factories.person("coord-comuna")
    factories.role(own, commune, "coordinator")
    secret = factories.api_token(own)
    response = _json(
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}"),
        "patch",
        f"/api/v1/organizations/{commune.uuid}",
        {"kind": "network"},
    )
    assert response.status_code == 403 and response.json()["field"] == "kind"
    commune.refresh_from_db()
    assert commune.kind == "commune"
    network_coordinator = factories.person("coord-red")
    factories.role(network_coordinator, confederation, "coordinator")
    secret = factories.api_token(network_coordinator)
    response = _json(
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}"),
        "patch",
        f"/api/v1/organizations/{commune.uuid}",
        {"kind": "cooperative"},
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_platform_reservations_cannot_be_touched_through_the_batch_api() -> None:
    """Client ids of agreements, clearing and expiry are refused in the public API."""
    _unit, (a, b) = unit_with_accounts(2)
    person = factories.person("paga")
    factories.role(person, a.organization, "spokesperson")
    secret = factories.api_token(person)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for transfer in (
        {"client_id": "sneaky", "kind": "void_pending", "pending": "agr:0123:1"},
        {
            "client_id": "clr:abc",
            "kind": "posted",
            "debit": str(a.uuid),
            "credit": str(b.uuid),
            "unit": "MINGA",
            "amount": 1,
        },
    ):
        response = _json(
            client, "post", "/api/v1/exchange/transfers", {"linked": False, "transfers": [transfer]}
        )
        assert response.status_code == 403, response.content


@pytest.mark.django_db
def test_agreements_cannot_name_hidden_organizations() -> None:
    _unit, (a, _b) = unit_with_accounts(2)
    person = factories.person("propone")
    factories.role(person, a.organization, "spokesperson")
    hidden = factories.organization(slug="secreta", visibility=Visibility.CUSTODIANS)
    secret = factories.api_token(person)
    payload = {
        "proposer": a.organization.slug,
        "title": "x",
        "payment": "barter",
        "lines": [{"supplier": a.organization.slug, "receiver": hidden.slug, "description": "x"}],
    }
    response = _json(
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}"),
        "post",
        "/api/v1/exchange/agreements",
        payload,
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "No organization 'secreta'."


def test_membership_reasons_are_not_public(confederation: Any, coordinator: Any) -> None:
    """Anonymous readers see statuses and dates; the reason is for those who decide."""
    member = factories.organization(slug="miembro")
    relation = factories.membership(member, confederation)
    registry_services.relation_suspend(
        actor=coordinator, relation=relation, reason="DEUDA CON EL TESORERO"
    )
    assert "DEUDA CON EL TESORERO" not in Client().get(member.get_absolute_url()).content.decode()
    page = factories.verified_client(coordinator).get(member.get_absolute_url()).content.decode()
    assert "DEUDA CON EL TESORERO" in page
