"""A fund's settings after creation: purposes, transparency, managers, approval rule and
budget, on the pages and the API, by its managers and its owner's coordinators only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from minga.common.audit import AuditEntry
from minga.common.errors import DomainError
from minga.funds import selectors, services
from minga.funds.models import Fund, Movement
from minga.registry.models import Body
from tests import factories
from tests.funds.factories import FundsWorld, client_for, fund


def _audit(fund: Fund, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_uuid=fund.uuid))


def test_a_fund_made_on_the_pages_takes_a_second_manager_and_four_eyes(w: FundsWorld) -> None:
    """Created on the page (two managers approve), the fund has its creator alone; the
    coordinator adds a second manager on the managers' page; an expense asked by the first
    is not approved by them, and is paid once the second approves."""
    first = client_for(w.first)
    created = first.post(
        reverse("funds:create"),
        {
            "organization": w.commune.pk,
            "name": "Fondo de herramientas",
            "purpose": "Herramientas comunes",
            "unit": w.unit.pk,
            "transparency": "public",
            "approval_rule": "two_managers",
        },
    )
    assert created.status_code == 302, created.content.decode()
    made = Fund.objects.get(name="Fondo de herramientas")
    assert list(selectors.fund_managers(made)) == [w.first]
    managers_url = reverse("funds:managers", args=[made.uuid])
    alone = first.get(managers_url).content.decode()
    assert "Two managers must approve spending, and the fund has one" in alone
    added = first.post(managers_url, {"action": "add", "username": w.second.username}, follow=True)
    assert f"{w.second.username} manages the fund." in added.content.decode()
    assert set(selectors.fund_managers(made)) == {w.first, w.second}
    year = timezone.localdate().year
    first.post(
        reverse("funds:budget", args=[made.uuid]),
        {"category": "tools", "year": year, "amount": "100"},
    )
    services.contribution_receive(actor=w.first, fund=made, amount=10_000)
    asked = first.post(
        reverse("funds:spend", args=[made.uuid]),
        {
            "kind": "expense",
            "amount": "40",
            "category": "tools",
            "description": "Palas",
            "payee": "Ferretería",
        },
    )
    assert asked.status_code == 302, asked.content.decode()
    request = Movement.objects.get(fund=made, kind="expense")
    assert request.rule == "two_managers"
    decide = reverse("funds:decide", args=[request.uuid])
    own = first.post(decide, {"decision": "approve"}, follow=True).content.decode()
    assert "You asked for this; another manager must approve it." in own
    request.refresh_from_db()
    assert request.status == "requested" and not request.approvals.exists()
    second = client_for(w.second).post(decide, {"decision": "approve"}, follow=True)
    assert "Approved: the money has moved in the ledger." in second.content.decode()
    request.refresh_from_db()
    assert request.status == "done"
    made.account.refresh_from_db()
    assert made.account.balance == 6_000


def test_who_may_open_the_settings_and_the_managers_page(w: FundsWorld) -> None:
    """A manager who is not a coordinator edits the settings but not the managers; the
    owner's coordinator who is not a manager does both, even of a fund only its managers
    read; a member is refused, a stranger does not find a managers-only fund."""
    made = fund(w, transparency="managers", managers=[w.second])
    coordinator = factories.person("coordina")
    factories.role(coordinator, w.commune, "coordinator")
    settings_url = reverse("funds:settings", args=[made.uuid])
    managers_url = reverse("funds:managers", args=[made.uuid])
    assert client_for(w.second).get(settings_url).status_code == 200
    assert client_for(w.second).get(managers_url).status_code == 403
    assert client_for(coordinator).get(settings_url).status_code == 200
    assert client_for(coordinator).get(managers_url).status_code == 200
    assert client_for(coordinator).get(made.get_absolute_url()).status_code == 404
    assert client_for(w.member).get(settings_url).status_code == 404
    public = fund(w, name="Fondo público", transparency="public")
    assert (
        client_for(w.member).get(reverse("funds:settings", args=[public.uuid])).status_code == 403
    )
    assert client_for(w.stranger).get(managers_url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.manager_add(actor=w.second, fund=made, user=w.member)
    with pytest.raises(PermissionDenied):
        services.approval_rule_set(actor=w.second, fund=made, rule="one_manager")


def test_the_settings_page_changes_purposes_and_transparency(w: FundsWorld) -> None:
    """The purposes in other languages are shown in the reader's language; members of a
    chosen organization read the fund once it is shown to them, strangers do not."""
    made = fund(w, transparency="public")
    client = client_for(w.second)
    url = reverse("funds:settings", args=[made.uuid])
    page = client.get(url).content.decode()
    assert 'name="purpose_fr"' in page and 'name="purpose_ht"' in page
    saved = client.post(
        url,
        {
            "name": "Fondo de semillas",
            "purpose": "Semillas para todas",
            "purpose_fr": "Des semences pour toutes",
            "purpose_ht": "Semans pou tout moun",
            "transparency": "organizations",
            "add": w.neighbour.slug,
        },
        follow=True,
    )
    assert "The fund&#x27;s settings are saved." in saved.content.decode()
    made.refresh_from_db()
    assert made.name == "Fondo de semillas"
    assert made.purposes == {"fr": "Des semences pour toutes", "ht": "Semans pou tout moun"}
    assert made.transparency == "organizations"
    assert list(made.visible_to_organizations.all()) == [w.neighbour]
    with override("fr"):
        assert made.purpose_text() == "Des semences pour toutes"
    neighbour_member = factories.person("vecina")
    factories.role(neighbour_member, w.neighbour, "member")
    assert client_for(neighbour_member).get(made.get_absolute_url()).status_code == 200
    assert client_for(w.stranger).get(made.get_absolute_url()).status_code == 404
    assert client_for(w.member).get(made.get_absolute_url()).status_code == 404
    missing = client.post(
        url, {"name": "F", "purpose": "P", "transparency": "organizations"}
    ).content.decode()
    assert "Choose the organizations whose members may see the fund." in missing
    assert [e.changes["transparency"] for e in _audit(made, "funds.fund.update")] == [
        ["public", "organizations"]
    ]


def test_managers_are_added_once_and_the_last_one_stays(w: FundsWorld) -> None:
    """Adding a manager twice writes one change; a fund never loses its last manager; each
    change is in the audit log with who was added or removed."""
    made = fund(w, managers=[w.first])
    assert services.manager_add(actor=w.first, fund=made, user=w.member) is True
    assert services.manager_add(actor=w.first, fund=made, user=w.member) is False
    assert services.manager_remove(actor=w.first, fund=made, user=w.member) is True
    assert services.manager_remove(actor=w.first, fund=made, user=w.member) is False
    with pytest.raises(DomainError) as refused:
        services.manager_remove(actor=w.first, fund=made, user=w.first)
    assert refused.value.code == "last_manager"
    assert list(selectors.fund_managers(made)) == [w.first]
    assert [e.changes for e in _audit(made, "funds.fund.manager_add")] == [
        {"managers": [None, w.member.username]}
    ]
    assert [e.changes for e in _audit(made, "funds.fund.manager_remove")] == [
        {"managers": [w.member.username, None]}
    ]
    page = client_for(w.first).post(
        reverse("funds:managers", args=[made.uuid]),
        {"action": "remove", "user": w.first.pk},
        follow=True,
    )
    assert "A fund keeps at least one manager" in page.content.decode()


def test_the_approval_rule_is_changed_audited_and_applies_to_new_requests(
    w: FundsWorld,
) -> None:
    """A request keeps the rule it was made under; the body must be of the owner or of one
    of its networks; the change is audited with the old and the new rule."""
    made = fund(w, approval_rule="two_managers")
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=made, category="x", year=year, amount=10_000)
    services.contribution_receive(actor=w.first, fund=made, amount=10_000)
    before = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=10,
        category="x",
        description="a",
        payee="b",
    )
    network_body = Body.objects.create(
        organization=w.network, kind="assembly", slug="asamblea-red", name="Asamblea de la red"
    )
    elsewhere = factories.organization(kind="network", name="Otra red")
    foreign = Body.objects.create(organization=elsewhere, kind="assembly", slug="o", name="Otra")
    with pytest.raises(DomainError) as refused:
        services.approval_rule_set(actor=w.first, fund=made, rule="body_vote", body=foreign)
    assert refused.value.code == "body_elsewhere"
    services.approval_rule_set(actor=w.first, fund=made, rule="one_manager", body=network_body)
    after = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=10,
        category="x",
        description="c",
        payee="d",
    )
    assert (before.rule, after.rule) == ("two_managers", "one_manager")
    assert [e.changes for e in _audit(made, "funds.fund.rule")] == [
        {"approval_rule": ["two_managers", "one_manager"], "body": [None, "asamblea-red"]}
    ]
    page = client_for(w.first).post(
        reverse("funds:managers", args=[made.uuid]),
        {"action": "rule", "approval_rule": "body_vote", "body": ""},
    )
    assert "Choose the body that votes on spending." in page.content.decode()


def test_the_budget_page_lists_and_removes_lines(w: FundsWorld) -> None:
    made = fund(w)
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=made, category="seeds", year=year, amount=5_000)
    url = reverse("funds:budget", args=[made.uuid])
    client = client_for(w.second)
    assert "50.00 MINGA" in client.get(url).content.decode()
    removed = client.post(url, {"remove": f"seeds/{year}"}, follow=True).content.decode()
    assert "The budget line is removed." in removed
    assert not made.budget_lines.exists()
    again = client.post(url, {"remove": f"seeds/{year}"}, follow=True).content.decode()
    assert "There is no such budget line." in again


def test_the_api_changes_settings_managers_and_rule_with_the_pages_rules(w: FundsWorld) -> None:
    made = fund(w, managers=[w.second])  # and w.first, who made it
    api = f"/api/v1/funds/funds/{made.uuid}"
    manager, coordinator = client_for(w.second), client_for(w.first)
    patched = manager.patch(
        f"{api}/settings",
        {"purposes": {"pt": "Sementes"}, "receipts_public": True},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["purposes"] == {"pt": "Sementes"}
    assert patched.json()["receipts_public"] is True
    assert patched.json()["name"] == made.name
    bad = manager.patch(
        f"{api}/settings", {"purposes": {"xx": "?"}}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["code"] == "language"
    assert (
        manager.post(
            f"{api}/managers", {"username": w.member.username}, content_type="application/json"
        ).status_code
        == 403
    )
    for _attempt in range(2):  # a retried request changes nothing more
        added = coordinator.post(
            f"{api}/managers", {"username": w.member.username}, content_type="application/json"
        )
        assert added.status_code == 200, added.content
    assert added.json()["managers"] == sorted(
        [w.first.username, w.second.username, w.member.username]
    )
    assert len(_audit(made, "funds.fund.manager_add")) == 1
    unknown = coordinator.post(
        f"{api}/managers", {"username": "nadie"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "username"
    coordinator.delete(f"{api}/managers/{w.second.username}")
    removed = coordinator.delete(f"{api}/managers/{w.first.username}")
    assert removed.json()["managers"] == [w.member.username]
    last = coordinator.delete(f"{api}/managers/{w.member.username}")
    assert last.status_code == 409 and last.json()["code"] == "last_manager"
    rule = coordinator.put(
        f"{api}/approval", {"approval_rule": "one_manager"}, content_type="application/json"
    )
    assert rule.status_code == 200 and rule.json()["approval_rule"] == "one_manager"
    assert client_for(w.stranger).get(f"{api}/settings").status_code == 403  # a public fund
    hidden = fund(w, name="Fondo interno", transparency="managers")
    assert (
        client_for(w.stranger).get(f"/api/v1/funds/funds/{hidden.uuid}/settings").status_code == 404
    )
    services.budget_set(actor=w.member, fund=made, category="x", year=2030, amount=1)
    assert client_for(w.member).delete(f"{api}/budget/2030/x").status_code == 204
    assert client_for(w.member).delete(f"{api}/budget/2030/x").status_code == 404


def test_the_api_creates_a_fund_as_the_creation_page_does(w: FundsWorld) -> None:
    """A spokesperson creates a fund of their commune; a member may not; an unknown unit or
    a body of another network is named as the field at fault."""
    payload = {
        "organization": str(w.commune.uuid),
        "name": "Fondo por API",
        "purpose": "Apoyo",
        "purposes": {"fr": "Soutien"},
        "unit": "MINGA",
        "transparency": "organizations",
    }
    created = client_for(w.first).post(
        "/api/v1/funds/funds", payload, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    made = Fund.objects.get(uuid=created.json()["uuid"])
    assert list(made.visible_to_organizations.all()) == [w.commune]
    assert list(selectors.fund_managers(made)) == [w.first]
    assert made.purposes == {"fr": "Soutien"}
    refused = client_for(w.member).post(
        "/api/v1/funds/funds", payload, content_type="application/json"
    )
    assert refused.status_code == 403
    unknown = client_for(w.first).post(
        "/api/v1/funds/funds", {**payload, "unit": "NADA"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "unit"
    elsewhere = factories.organization(kind="network", name="Otra red")
    foreign = Body.objects.create(organization=elsewhere, kind="assembly", slug="o", name="Otra")
    far = client_for(w.first).post(
        "/api/v1/funds/funds",
        {**payload, "approval_rule": "body_vote", "body": str(foreign.uuid)},
        content_type="application/json",
    )
    assert far.status_code == 422 and far.json()["code"] == "body_elsewhere"
    assert Fund.objects.filter(name="Fondo por API").count() == 1
