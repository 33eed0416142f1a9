"""The REST API: reading, filtering, writing with tokens, errors and permissions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from minga.common.models import Visibility
from minga.people.services import access_token_create, access_token_revoke
from minga.registry.models import Organization, OrganizationRelation, Role
from tests import factories

API = "/api/v1"


def _token_client(user: Any) -> tuple[Client, str]:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), secret


def _post(client: Client, path: str, payload: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json"
    )


def test_anonymous_list_shows_only_public(client: Client, confederation: Any) -> None:
    """Anonymous callers get public organizations, paginated, and never restricted ones."""
    factories.organization(name="Pública")
    factories.organization(name="Privada", visibility=Visibility.SERVER)
    body = client.get(f"{API}/organizations").json()
    names = {item["name"] for item in body["items"]}
    assert "Pública" in names and "Privada" not in names
    assert body["count"] == len(body["items"])


def test_list_filters_and_pages(client: Client, db: None) -> None:
    """Filters apply and page_size splits the list."""
    for number in range(7):
        factories.organization(name=f"Sindicato {number}", kind="union", country="AR")
    factories.organization(name="Otra", kind="school")
    body = client.get(f"{API}/organizations", {"kind": "union", "page_size": 5, "page": 2}).json()
    assert body["count"] == 7
    assert len(body["items"]) == 2
    assert all(item["kind"] == "union" and item["country"] == "AR" for item in body["items"])


def test_detail_of_restricted_is_404_for_others(client: Client, db: None) -> None:
    """A restricted organization answers 404 with a JSON error to a caller who may not see it."""
    hidden = factories.organization(visibility=Visibility.CUSTODIANS)
    response = client.get(f"{API}/organizations/{hidden.uuid}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_create_requires_authentication_and_permission(client: Client, coordinator: Any) -> None:
    """Anonymous: 401. A plain user: 403. A coordinator with a token: 201."""
    payload = {
        "name": "Comuna Nueva",
        "kind": "commune",
        "country": "VE",
        "region": "south-america",
    }
    assert _post(client, "/organizations", payload).status_code == 401
    plain, _ = _token_client(factories.person())
    assert _post(plain, "/organizations", payload).status_code == 403
    coordinator_api, _ = _token_client(coordinator)
    response = _post(coordinator_api, "/organizations", payload)
    assert response.status_code == 201, response.content
    assert response.json()["url"].endswith(f"/organizations/{response.json()['uuid']}/")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "commune", "country": "VE", "region": "south-america"}, "name"),
        ({"name": "X", "kind": "club", "country": "VE", "region": "south-america"}, "kind"),
        ({"name": "X", "kind": "commune", "country": "VE", "region": "mars"}, "region"),
        (
            {
                "name": "X",
                "kind": "commune",
                "country": "VE",
                "region": "south-america",
                "latitude": 123,
            },
            "latitude",
        ),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(
    coordinator: Any, payload: dict[str, Any], field: str
) -> None:
    """Errors come back as JSON naming the field; nothing is created."""
    api, _ = _token_client(coordinator)
    count = Organization.objects.count()
    response = _post(api, "/organizations", payload)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert Organization.objects.count() == count


def test_patch_changes_only_given_fields(confederation: Any) -> None:
    """PATCH changes the fields sent and keeps the others."""
    commune = factories.organization(name="Comuna Vieja", area="Lara")
    spokesperson = factories.person()
    factories.role(spokesperson, commune, "spokesperson")
    api, _ = _token_client(spokesperson)
    response = _post(
        api, f"/organizations/{commune.uuid}", {"name": "Comuna Renovada"}, method="patch"
    )
    assert response.status_code == 200, response.content
    commune.refresh_from_db()
    assert commune.name == "Comuna Renovada" and commune.area == "Lara"
    stranger, _ = _token_client(factories.person())
    assert (
        _post(
            stranger, f"/organizations/{commune.uuid}", {"name": "Hack"}, method="patch"
        ).status_code
        == 403
    )


def test_membership_application_is_idempotent_and_decided(
    confederation: Any, coordinator: Any
) -> None:
    """Applying twice gives 201 then 200 with the same membership; the coordinator approves."""
    commune = factories.organization()
    spokesperson = factories.person()
    factories.role(spokesperson, commune, "spokesperson")
    api, _ = _token_client(spokesperson)
    payload = {
        "member": str(commune.uuid),
        "parent": str(confederation.uuid),
        "motivation": "Sumarnos",
    }
    first = _post(api, "/memberships", payload)
    second = _post(api, "/memberships", payload)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["uuid"] == second.json()["uuid"]
    assert (
        _post(
            api, f"/memberships/{first.json()['uuid']}/decision", {"action": "approve"}
        ).status_code
        == 403
    )
    coordinator_api, _ = _token_client(coordinator)
    decided = _post(
        coordinator_api, f"/memberships/{first.json()['uuid']}/decision", {"action": "approve"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "active"
    again = _post(
        coordinator_api, f"/memberships/{first.json()['uuid']}/decision", {"action": "approve"}
    )
    # Approving twice conflicts with the membership's state: 409, with a code for programs.
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert OrganizationRelation.objects.get(uuid=first.json()["uuid"]).events.count() == 2


def test_roles_are_assigned_and_ended_by_coordinators(confederation: Any, coordinator: Any) -> None:
    """A coordinator assigns and ends a role; the list shows only current roles."""
    commune = factories.organization()
    factories.membership(commune, confederation)
    person = factories.person("vocera")
    api, _ = _token_client(coordinator)
    created = _post(
        api,
        "/roles",
        {
            "person": "vocera",
            "organization": str(commune.uuid),
            "kind": "spokesperson",
            "started_on": "2026-01-01",
        },
    )
    assert created.status_code == 201, created.content
    listed = api.get(f"{API}/organizations/{commune.uuid}/roles").json()
    assert [item["person"] for item in listed["items"]] == ["vocera"]
    ended = _post(
        api, f"/roles/{created.json()['uuid']}", {"ended_on": "2026-02-01"}, method="patch"
    )
    assert ended.status_code == 200
    assert not Role.objects.current().filter(person=person).exists()
    bad = _post(
        api,
        "/roles",
        {
            "person": "nobody",
            "organization": str(commune.uuid),
            "kind": "member",
            "started_on": "2026-01-01",
        },
    )
    assert bad.status_code == 422 and bad.json()["field"] == "person"


def test_revoked_or_unknown_tokens_are_refused(db: None) -> None:
    """A revoked token and a made-up token both get 401, even for public reads."""
    person = factories.person()
    token, secret = access_token_create(user=person, name="x", scope="write")
    access_token_revoke(user=person, token_id=token.pk)
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/organizations").status_code == 401
    )
    assert (
        Client(HTTP_AUTHORIZATION="Bearer minga_madeup").get(f"{API}/organizations").status_code
        == 401
    )


def test_tokens_are_stored_hashed(db: None) -> None:
    """The token's secret is nowhere in the database, only its digest."""
    from minga.people.models import PersonalAccessToken

    secret = factories.api_token(factories.person())
    stored = PersonalAccessToken.objects.get()
    assert secret not in (stored.digest, stored.prefix)
    assert len(stored.digest) == 64


def test_session_writes_need_csrf(coordinator: Any) -> None:
    """A browser session without its CSRF token cannot write through the API."""
    client = factories.verified_client(coordinator)
    client.handler.enforce_csrf_checks = True
    payload = {"name": "Sin CSRF", "kind": "commune", "country": "VE", "region": "south-america"}
    assert _post(client, "/organizations", payload).status_code == 403
    assert not Organization.objects.filter(name="Sin CSRF").exists()


def test_openapi_schema_is_served(client: Client, db: None) -> None:
    """The OpenAPI document lists the organization endpoints."""
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/organizations" in schema["paths"]
    assert client.get(f"{API}/docs").status_code == 200


def test_api_docs_load_nothing_from_other_servers(client: Client, db: None) -> None:
    """The interactive API docs are served from this server (no CDN)."""
    html = client.get(f"{API}/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html


def test_list_search_ranks_and_hides_restricted(client: Client, db: None) -> None:
    """`q` searches through the index; restricted organizations never appear in results."""
    from minga.registry.search import rebuild_organization_index

    factories.organization(name="Comuna Semillera del Sur", description="semillas nativas")
    factories.organization(name="Comuna Semillera Oculta", visibility=Visibility.SERVER)
    rebuild_organization_index()
    body = client.get(f"{API}/organizations", {"q": "semillera"}).json()
    assert [item["name"] for item in body["items"]] == ["Comuna Semillera del Sur"]
    assert body["count"] == 1
