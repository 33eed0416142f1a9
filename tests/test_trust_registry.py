"""Roles, networks and tokens cannot be abused (the trust issue's registry findings)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.common import audit
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.people.models import PersonalAccessToken
from minga.registry import services
from minga.registry.audit_events import RegistryEvent
from minga.registry.models import Organization
from tests import factories

API = "/api/v1"


def _api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _patch(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.patch(path, data=json.dumps(payload), content_type="application/json")


def test_a_commune_coordinator_cannot_turn_its_council_into_a_network(db: None) -> None:
    """The attack: reclassify a council that is part of one's commune as a network, make
    oneself its coordinator, read the network coordinators' audit log. Each step fails."""
    commune = factories.organization(kind="commune", name="Comuna")
    council = factories.organization(kind="communal_council", name="Consejo")
    services.relation_approve(
        actor=SYSTEM,
        relation=services.relation_apply(
            actor=SYSTEM, member=council, parent=commune, kind="part_of"
        ),
    )
    attacker = factories.person("atacante")
    factories.role(attacker, commune, "coordinator")
    secret = factories.api_token(attacker)

    to_network = _patch(_api(secret), f"{API}/organizations/{council.uuid}", {"kind": "network"})
    assert to_network.status_code == 403
    council.refresh_from_db()
    assert council.kind == "communal_council"

    make_coordinator = _api(secret).post(
        f"{API}/roles",
        data=json.dumps(
            {
                "person": "atacante",
                "organization": str(council.uuid),
                "kind": "coordinator",
                "started_on": "2026-01-01",
            }
        ),
        content_type="application/json",
    )
    assert make_coordinator.status_code == 403
    assert not council.roles.filter(person=attacker).exists()

    client = factories.verified_client(attacker)
    assert client.get(reverse("registry:audit")).status_code == 403


def test_only_platform_administrators_make_or_unmake_networks(confederation: Any) -> None:
    """Even a network's coordinator cannot make a member a network, nor the network a commune."""
    member = factories.organization(kind="cooperative")
    factories.membership(member, confederation)
    coordinator = factories.person()
    factories.role(coordinator, confederation, "coordinator")
    secret = factories.api_token(coordinator)
    for organization, kind in ((member, "network"), (confederation, "commune")):
        response = _patch(_api(secret), f"{API}/organizations/{organization.uuid}", {"kind": kind})
        assert response.status_code == 403, organization
        assert response.json()["code"] == "network_kind_reserved"
    admin = factories.person(is_superuser=True, is_staff=True)
    response = _patch(
        _api(factories.api_token(admin)), f"{API}/organizations/{member.uuid}", {"kind": "network"}
    )
    assert response.status_code == 200
    assert Organization.objects.get(pk=member.pk).kind == "network"


def test_a_pending_or_ended_membership_grants_no_network_powers(confederation: Any) -> None:
    """Network coordinators decide on current members only; a pending applicant is not one."""
    applicant = factories.organization(kind="commune")
    factories.membership(applicant, confederation, status="pending")
    coordinator = factories.person()
    factories.role(coordinator, confederation, "coordinator")
    secret = factories.api_token(coordinator)
    response = _patch(_api(secret), f"{API}/organizations/{applicant.uuid}", {"area": "Lara"})
    assert response.status_code == 403


def test_the_audit_log_shows_only_what_its_reader_may_see(
    confederation: Any, coordinator: Any
) -> None:
    hidden = factories.organization(name="Listado Oculto", visibility=Visibility.CUSTODIANS)
    audit.record(actor=SYSTEM, action=RegistryEvent.ORGANIZATION_UPDATE, target=hidden)
    audit.record(actor=SYSTEM, action=RegistryEvent.ORGANIZATION_UPDATE, target=confederation)
    page = factories.verified_client(coordinator).get(reverse("registry:audit")).content.decode()
    assert confederation.name in page
    assert "Listado Oculto" not in page


def test_an_old_token_waits_for_the_second_factor_after_a_promotion(confederation: Any) -> None:
    """A token made as a member stops working when its owner becomes a coordinator, until
    they confirm it with a code; it can then assign roles again."""
    person = factories.person("promovida")
    member = factories.organization()
    factories.membership(member, confederation)
    factories.role(person, member, "member")
    secret = factories.api_token(person)
    assert _api(secret).get(f"{API}/organizations").status_code == 200

    admin = factories.person(is_superuser=True)
    services.role_assign(
        actor=admin,
        person=person,
        organization=confederation,
        kind="coordinator",
        started_on=factories.today(),
    )
    assert _api(secret).get(f"{API}/organizations").status_code == 401

    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    suspended = _api(secret).get(f"{API}/organizations")
    assert suspended.status_code == 401
    assert "suspended" in suspended.json()["detail"]
    token = PersonalAccessToken.objects.get(user=person)
    client = factories.verified_client(person)
    wrong = client.post(
        reverse("people:token_confirm", args=[token.pk]), {"token": "000000"}, follow=True
    )
    assert wrong.status_code == 200
    token.refresh_from_db()
    assert token.suspended_at is not None
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    client.post(reverse("people:token_confirm", args=[token.pk]), {"token": f"{code:06d}"})
    token.refresh_from_db()
    assert token.suspended_at is None
    assert _api(secret).get(f"{API}/organizations").status_code == 200


def test_tokens_of_people_who_must_use_a_second_factor_need_it_set_up(confederation: Any) -> None:
    """A coordinator whose authenticator is removed can no longer use their tokens."""
    person = factories.person()
    factories.role(person, confederation, "coordinator")
    secret = factories.api_token(person)
    assert _api(secret).get(f"{API}/organizations").status_code == 200
    TOTPDevice.objects.filter(user=person).delete()
    assert _api(secret).get(f"{API}/organizations").status_code == 401


def test_a_read_token_cannot_write(confederation: Any) -> None:
    person = factories.person()
    member = factories.organization()
    factories.role(person, member, "spokesperson")
    secret = factories.api_token(person, scope="read")
    assert _api(secret).get(f"{API}/organizations/{member.uuid}").status_code == 200
    response = _patch(_api(secret), f"{API}/organizations/{member.uuid}", {"area": "Lara"})
    assert response.status_code == 403 and response.json()["code"] == "token_read_only"
    member.refresh_from_db()
    assert member.area != "Lara"


def test_the_scope_is_chosen_when_the_token_is_made(db: None) -> None:
    person = factories.person()
    client = Client()
    client.force_login(person)
    page = client.get(reverse("people:preferences")).content.decode()
    assert 'name="scope"' in page
    client.post(reverse("people:token_create"), {"name": "lector", "scope": "read"})
    client.post(reverse("people:token_create"), {"name": "escritor", "scope": "write"})
    scopes = dict(PersonalAccessToken.objects.filter(user=person).values_list("name", "scope"))
    assert scopes == {"lector": "read", "escritor": "write"}


def test_membership_decisions_on_hidden_memberships_look_like_unknown_ones(
    confederation: Any,
) -> None:
    """A stranger gets the same 404 for a hidden organization's request and for a made-up id."""
    hidden = factories.organization(visibility=Visibility.ORGANIZATIONS)
    relation = factories.membership(hidden, confederation, status="pending")
    secret = factories.api_token(factories.person())
    hidden_answer = _api(secret).post(
        f"{API}/memberships/{relation.uuid}/decision",
        data=json.dumps({"action": "approve"}),
        content_type="application/json",
    )
    unknown_answer = _api(secret).post(
        f"{API}/memberships/00000000-0000-0000-0000-000000000000/decision",
        data=json.dumps({"action": "approve"}),
        content_type="application/json",
    )
    assert hidden_answer.status_code == unknown_answer.status_code == 404
    assert hidden_answer.json() == unknown_answer.json()
