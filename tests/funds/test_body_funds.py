"""Funds owned by a body of the assemblies (a network's Congress, assembly, commission):
made on the pages and the API by the network's coordinators, shown as the body's fund
wherever the owner is shown, listed per body, read exactly as any fund of the network,
and every refusal leaves nothing behind."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.audit import AuditEntry
from minga.common.errors import DomainError
from minga.exchange.models import Account
from minga.funds import selectors, services
from minga.funds.models import Fund
from minga.people.models import PersonalAccessToken
from minga.people.services import access_token_revoke
from minga.registry.models import Body
from tests import factories
from tests.funds.factories import FundsWorld, client_for


@dataclass
class Bodies:
    congress: Any  # the network's Congress
    commission: Any  # a commission of the network
    foreign: Any  # a body of another network, which the coordinator may see
    hidden: Any  # a body of a network only its custodians see
    coordinator: Any  # coordinator of the network (administers its funds)
    network_member: Any  # holds a role in the network, manages nothing


@pytest.fixture
def b(w: FundsWorld) -> Bodies:
    congress = Body.objects.create(
        organization=w.network, kind="congress", slug="congreso-red", name="Congreso de la red"
    )
    commission = Body.objects.create(
        organization=w.network, kind="commission", slug="comision-red", name="Comisión de semillas"
    )
    elsewhere = factories.organization(kind="network", name="Otra red")
    foreign = Body.objects.create(
        organization=elsewhere, kind="congress", slug="congreso-otra", name="Congreso ajeno"
    )
    secret = factories.organization(kind="network", name="Red reservada", visibility="custodians")
    hidden = Body.objects.create(
        organization=secret, kind="congress", slug="congreso-oculto", name="Congreso oculto"
    )
    coordinator = factories.person("coordinadora")
    factories.role(coordinator, w.network, "coordinator")
    factories.role(coordinator, elsewhere, "coordinator")
    network_member = factories.person("de-la-red")
    factories.role(network_member, w.network, "member")
    return Bodies(congress, commission, foreign, hidden, coordinator, network_member)


def body_fund(w: FundsWorld, b: Bodies, body: Any = None, **fields: Any) -> Fund:
    data = services.FundData(
        name=fields.pop("name", "Fondo del Congreso"),
        purpose=fields.pop("purpose", "Viajes de las delegadas"),
        unit=w.unit,
        managers=fields.pop("managers", [w.first, w.second]),
        visible_to=fields.pop("visible_to", [w.network]),
        owner_body=body or b.congress,
        **fields,
    )
    return services.fund_create(actor=b.coordinator, organization=w.network, data=data)


def _counts() -> tuple[int, int, int]:
    return Fund.objects.count(), Account.objects.count(), AuditEntry.objects.count()


def test_a_network_coordinator_makes_a_body_fund_on_the_page(w: FundsWorld, b: Bodies) -> None:
    """Made on the page with the default approval, the fund is the Congress's: its
    organization is the network, the Congress's vote approves its spending, and its page,
    the list and the managers' page say so."""
    client = client_for(b.coordinator)
    form = client.get(reverse("funds:create")).content.decode()
    assert "Congreso de la red" in form and "Congreso oculto" not in form
    created = client.post(
        reverse("funds:create"),
        {
            "organization": w.network.pk,
            "owner_body": b.congress.pk,
            "name": "Fondo de viajes",
            "purpose": "Viajes a las asambleas",
            "unit": w.unit.pk,
            "transparency": "public",
            "approval_rule": "",
        },
        follow=True,
    )
    assert "The fund Fondo de viajes was created." in created.content.decode()
    made = Fund.objects.get(name="Fondo de viajes")
    assert (made.organization, made.owner_body, made.body) == (w.network, b.congress, b.congress)
    assert made.approval_rule == "body_vote"
    page = created.content.decode()
    assert "Fund of Congreso de la red (Red de prueba)" in page
    assert "A vote of the body decides: Congreso de la red" in page
    listing = Client().get(reverse("funds:index")).content.decode()
    assert "Fund of Congreso de la red (Red de prueba)" in listing
    managers = client.get(reverse("funds:managers", args=[made.uuid])).content.decode()
    assert "Body that votes on spending: Congreso de la red" in managers


def test_a_fund_without_a_body_keeps_two_managers_by_default(w: FundsWorld, b: Bodies) -> None:
    made = services.fund_create(
        actor=w.first,
        organization=w.commune,
        data=services.FundData(name="Fondo", purpose="Apoyo", unit=w.unit),
    )
    assert (made.approval_rule, made.owner_body, made.body) == ("two_managers", None, None)


def test_the_api_makes_a_body_fund_and_names_its_owner(w: FundsWorld, b: Bodies) -> None:
    """The API's ``owner`` is the body (kind, key, name) for a body's fund, the
    organization for the others; ``?body=`` lists a body's funds only."""
    api = client_for(b.coordinator)
    created = api.post(
        "/api/v1/funds/funds",
        {
            "organization": str(w.network.uuid),
            "owner_body": str(b.commission.uuid),
            "name": "Fondo de semillas",
            "purpose": "Semillas",
            "unit": "MINGA",
            "approval_rule": "one_manager",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    owner = created.json()["owner"]
    assert owner == {"kind": "body", "uuid": str(b.commission.uuid), "name": "Comisión de semillas"}
    made = Fund.objects.get(uuid=created.json()["uuid"])
    assert made.approval_rule == "one_manager" and made.body == b.commission
    commune_fund = services.fund_create(
        actor=w.first,
        organization=w.commune,
        data=services.FundData(name="Fondo comunal", purpose="Apoyo", unit=w.unit),
    )
    other = body_fund(w, b, name="Fondo del Congreso")
    detail = Client().get(f"/api/v1/funds/funds/{commune_fund.uuid}").json()
    assert detail["owner"] == {
        "kind": "organization",
        "uuid": str(w.commune.uuid),
        "name": "Comuna Fondo",
    }
    listed = Client().get(f"/api/v1/funds/funds?body={b.commission.uuid}").json()
    assert [item["uuid"] for item in listed["items"]] == [str(made.uuid)]
    listed = Client().get(f"/api/v1/funds/funds?body={b.congress.uuid}").json()
    assert [item["uuid"] for item in listed["items"]] == [str(other.uuid)]
    for unknown in (str(b.hidden.uuid), "not-a-key"):
        refused = Client().get(f"/api/v1/funds/funds?body={unknown}")
        assert refused.status_code == 422 and refused.json()["code"] == "body_unknown"
    settings = api.get(f"/api/v1/funds/funds/{made.uuid}/settings").json()
    assert settings["owner_body"] == str(b.commission.uuid)


def test_the_list_of_a_bodys_funds_on_the_page(w: FundsWorld, b: Bodies) -> None:
    """``/funds/?body=`` lists the funds a body owns that the reader may see (the body's
    page in the assemblies links to it); a body the reader may not see, or no body at
    all, is a 404."""
    ours = body_fund(w, b, name="Fondo abierto")
    reserved = body_fund(w, b, name="Fondo reservado", transparency="managers")
    body_fund(w, b, b.commission, name="Fondo de la comisión")
    url = reverse("funds:index")
    anonymous = Client().get(url, {"body": str(b.congress.uuid)}).content.decode()
    assert ours.name in anonymous and "Funds of Congreso de la red (Red de prueba)" in anonymous
    assert reserved.name not in anonymous and "Fondo de la comisión" not in anonymous
    manager = client_for(w.second).get(url, {"body": str(b.congress.uuid)}).content.decode()
    assert ours.name in manager and reserved.name in manager
    for unknown in (str(b.hidden.uuid), "nada", str(b.congress.organization.uuid)):
        assert Client().get(url, {"body": unknown}).status_code == 404
    body_page = Client().get(reverse("assemblies:body", args=[b.congress.slug]))
    assert f"{url}?body={b.congress.uuid}" in body_page.content.decode()


READERS = ["anonymous", "stranger", "network_member", "commune_member", "manager"]
# A body's fund is read exactly as a fund of its network: "organizations" means the
# members of the network (the default chosen organization), not of its communes.
EXPECTED = {
    "public": set(READERS),
    "organizations": {"network_member", "manager"},
    "managers": {"manager"},
}


@pytest.mark.parametrize("transparency", list(EXPECTED))
def test_a_body_fund_is_read_by_its_transparency_as_any_fund(
    w: FundsWorld, b: Bodies, transparency: str
) -> None:
    made = body_fund(w, b, name=f"Fondo {transparency}", transparency=transparency)
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    readers = {
        "anonymous": AnonymousUser(),
        "stranger": w.stranger,
        "network_member": b.network_member,
        "commune_member": w.member,
        "manager": w.second,
    }
    for name, user in readers.items():
        sees = name in EXPECTED[transparency]
        assert selectors.visible_funds(user).filter(pk=made.pk).exists() is sees, name
        client = Client() if name == "anonymous" else client_for(user)
        assert client.get(made.get_absolute_url()).status_code == (200 if sees else 404), name
        by_body = client.get(reverse("funds:index"), {"body": str(b.congress.uuid)})
        assert (made.name in by_body.content.decode()) is sees, name
        listed = client.get(f"/api/v1/funds/funds?body={b.congress.uuid}").json()
        assert (str(made.uuid) in str(listed)) is sees, name
        api = client.get(f"/api/v1/funds/funds/{made.uuid}")
        assert api.status_code == (200 if sees else 404), name


def test_the_owner_is_shown_in_the_report_and_the_csv(w: FundsWorld, b: Bodies) -> None:
    made = body_fund(w, b)
    services.contribution_receive(actor=w.first, fund=made, amount=2_500)
    year = timezone.localdate().year
    report = Client().get(reverse("funds:report", args=[made.uuid, year, "html"]))
    assert "Congreso de la red (Red de prueba)" in report.content.decode()
    exported = Client().get(reverse("funds:export", args=[made.uuid]))
    rows = list(csv.DictReader(io.StringIO(exported.content.decode().lstrip("\ufeff"))))
    assert [row["fund_owner"] for row in rows] == ["Congreso de la red (Red de prueba)"]


def test_refused_bodies_write_nothing(w: FundsWorld, b: Bodies) -> None:
    """A body of another network (service, API, page) and a body the caller may not see
    (API) are refused with a code; no fund, account or audit entry is written."""
    before = _counts()
    with pytest.raises(DomainError) as refused:
        services.fund_create(
            actor=b.coordinator,
            organization=w.network,
            data=services.FundData(
                name="Fondo", purpose="Apoyo", unit=w.unit, owner_body=b.foreign
            ),
        )
    assert (refused.value.code, refused.value.field) == ("body_of_other_network", "owner_body")
    assert _counts() == before
    api = client_for(b.coordinator)
    payload = {
        "organization": str(w.network.uuid),
        "name": "Fondo por API",
        "purpose": "Apoyo",
        "unit": "MINGA",
    }
    for body, code in ((b.foreign, "body_of_other_network"), (b.hidden, "body_unknown")):
        answer = api.post(
            "/api/v1/funds/funds",
            {**payload, "owner_body": str(body.uuid)},
            content_type="application/json",
        )
        assert answer.status_code == 422 and answer.json()["code"] == code, answer.content
        assert answer.json()["field"] == "owner_body"
    assert _counts() == before
    # The coordinator manages the commune too: a commune's fund cannot be the Congress's.
    factories.role(b.coordinator, w.commune, "coordinator")
    page = client_for(b.coordinator).post(
        reverse("funds:create"),
        {
            "organization": w.commune.pk,
            "owner_body": b.congress.pk,
            "name": "Fondo de la comuna",
            "purpose": "Apoyo",
            "unit": w.unit.pk,
            "transparency": "public",
        },
    )
    assert page.status_code == 200
    assert "The fund belongs to Comuna Fondo: choose one of its bodies" in page.content.decode()
    foreign = client_for(b.coordinator).post(
        reverse("funds:create"),
        {
            **payload,
            "organization": w.network.pk,
            "owner_body": b.foreign.pk,
            "unit": w.unit.pk,
            "transparency": "public",
        },
    )
    assert "The fund belongs to Red de prueba: choose one of its bodies" in (
        foreign.content.decode()
    )
    assert _counts() == before


def test_the_owner_changes_within_the_network_only(w: FundsWorld, b: Bodies) -> None:
    """The network's coordinators move a fund with movements between the network's bodies
    and back to the network itself (page and API, audited once per change); moving it to
    a body of another network is refused and changes nothing; managers, strangers and a
    revoked token may not change it."""
    made = body_fund(w, b)
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    token = factories.api_token(b.coordinator)  # before the clients: one authenticator
    page = client_for(b.coordinator)
    managers_url = reverse("funds:managers", args=[made.uuid])
    moved = page.post(managers_url, {"action": "owner", "owner_body": b.commission.pk}, follow=True)
    assert "Who owns the fund is saved." in moved.content.decode()
    made.refresh_from_db()
    assert made.owner_body == b.commission and made.organization == w.network
    assert made.body == b.congress  # the body that votes is its own setting
    changes = AuditEntry.objects.filter(action="funds.fund.owner", object_uuid=made.uuid)
    assert [entry.changes for entry in changes] == [
        {"owner_body": ["congreso-red", "comision-red"]}
    ]
    api = client_for(b.coordinator)
    owner_url = f"/api/v1/funds/funds/{made.uuid}/owner"
    again = api.put(owner_url, {"body": str(b.commission.uuid)}, content_type="application/json")
    assert again.status_code == 200 and changes.count() == 1  # the same owner: no change
    access_token_revoke(
        user=b.coordinator, token_id=PersonalAccessToken.objects.get(user=b.coordinator).pk
    )
    before = (_counts(), made.owner_body_id)
    far = api.put(owner_url, {"body": str(b.foreign.uuid)}, content_type="application/json")
    assert far.status_code == 422 and far.json()["code"] == "body_of_other_network"
    hidden = api.put(owner_url, {"body": str(b.hidden.uuid)}, content_type="application/json")
    assert hidden.status_code == 422 and hidden.json()["code"] == "body_unknown"
    with pytest.raises(DomainError):
        services.fund_owner_set(actor=b.coordinator, fund=made, owner_body=b.foreign)
    for person in (w.second, w.stranger):
        answer = client_for(person).put(owner_url, {"body": None}, content_type="application/json")
        assert answer.status_code in (403, 404), person
    revoked = Client().put(
        owner_url,
        {"body": None},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert revoked.status_code == 401
    made.refresh_from_db()
    assert (_counts(), made.owner_body_id) == before
    back = api.put(owner_url, {"body": None}, content_type="application/json")
    assert back.status_code == 200 and back.json()["owner_body"] is None
    made.refresh_from_db()
    assert made.owner_body is None and made.owner_name() == "Red de prueba"
