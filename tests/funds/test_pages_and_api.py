"""The funds' pages and API: the core workflow, end to end over HTTP."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from django.utils import timezone

from minga.exchange.models import Account
from minga.funds import selectors, services
from minga.funds.models import Movement, Pledge
from tests import factories
from tests.funds.factories import FundsWorld, client_for, fund


def test_pledge_receipt_request_and_two_approvals_through_the_pages(w: FundsWorld) -> None:
    """A member pledges; a manager records its payment; a grant is asked for and approved
    by the other two managers; the public page shows the grant and the new balance."""
    made = fund(w, transparency="public")
    third = factories.person("tercera")
    made.custodians.add(third)
    services.budget_set(
        actor=w.first, fund=made, category="seeds", year=timezone.localdate().year, amount=10**6
    )
    contributor = client_for(w.member)
    response = contributor.post(
        reverse("funds:pledge", args=[made.uuid]),
        {
            "amount": "50.00",
            "recurrence": "monthly",
            "starts_on": timezone.localdate(),
            "named": "on",
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(fund=made)
    manager = client_for(w.first)
    form = manager.get(reverse("funds:receive", args=[made.uuid]) + f"?pledge={pledge.uuid}")
    assert 'value="50.00"' in form.content.decode()
    response = manager.post(
        reverse("funds:receive", args=[made.uuid]),
        {
            "pledge": pledge.pk,
            "amount": "50.00",
            "received_on": timezone.localdate(),
            "category": "contributions",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    response = manager.post(
        reverse("funds:spend", args=[made.uuid]),
        {
            "kind": "grant",
            "amount": "20",
            "category": "seeds",
            "description": "Semillas criollas",
            "recipient": w.neighbour.slug,
            "payee": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    request = Movement.objects.get(kind="grant")
    decide = reverse("funds:decide", args=[request.uuid])
    mine = manager.post(decide, {"decision": "approve"}, follow=True)
    assert "another manager must approve" in mine.content.decode()
    client_for(w.second).post(decide, {"decision": "approve"})
    client_for(third).post(decide, {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "done"
    public = client_for(w.stranger).get(made.get_absolute_url()).content.decode()
    assert "Semillas criollas" in public
    assert "30.00 MINGA" in public  # 50 received, 20 granted
    assert Account.objects.get(organization=w.neighbour, purpose="").balance == 2_000


def test_the_csv_export_is_formula_safe_and_equals_the_ledger(w: FundsWorld) -> None:
    made = fund(w, transparency="public")
    services.contribution_receive(
        actor=w.first, fund=made, amount=1_234, description='=HYPERLINK("x")'
    )
    body = client_for(w.member).get(reverse("funds:export", args=[made.uuid])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "date"
    assert rows[1][3].startswith("'=")
    assert rows[1][4] == "12.34"
    made.account.refresh_from_db()
    total = sum(int(row[4].replace(".", "")) for row in rows[1:])
    assert total == made.account.balance


def test_the_api_pledges_receives_requests_and_decides(w: FundsWorld) -> None:
    made = fund(w, transparency="public", approval_rule="one_manager")
    services.budget_set(
        actor=w.first, fund=made, category="tools", year=timezone.localdate().year, amount=10**6
    )
    member = client_for(w.member)
    pledged = member.post(
        f"/api/v1/funds/funds/{made.uuid}/pledges",
        {"amount": 1_000, "recurrence": "once"},
        content_type="application/json",
    )
    assert pledged.status_code == 201, pledged.content
    manager = client_for(w.first)
    received = manager.post(
        f"/api/v1/funds/funds/{made.uuid}/contributions",
        {"amount": 1_000, "pledge": pledged.json()["uuid"]},
        content_type="application/json",
    )
    assert received.status_code == 201, received.content
    refused = member.post(
        f"/api/v1/funds/funds/{made.uuid}/contributions",
        {"amount": 1_000},
        content_type="application/json",
    )
    assert refused.status_code == 403
    asked = manager.post(
        f"/api/v1/funds/funds/{made.uuid}/spending",
        {
            "kind": "expense",
            "amount": 400,
            "category": "tools",
            "description": "Palas",
            "payee": "Ferretería",
        },
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    decided = manager.post(
        f"/api/v1/funds/movements/{asked.json()['uuid']}/decision",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "done"
    detail = member.get(f"/api/v1/funds/funds/{made.uuid}").json()
    assert detail["balance"] == 600
    assert detail["figures"]["spending_by_category"] == {"tools": 400}
    too_much = manager.post(
        f"/api/v1/funds/funds/{made.uuid}/spending",
        {"kind": "grant", "amount": 5, "category": "tools", "description": "d"},
        content_type="application/json",
    )
    assert too_much.status_code == 422
    assert too_much.json()["field"] == "recipient"
    assert too_much.json()["code"] == "recipient_required"


def test_the_managers_page_shows_waiting_requests_and_overdue_pledges(w: FundsWorld) -> None:
    made = fund(w, approval_rule="one_manager")
    services.budget_set(
        actor=w.first, fund=made, category="x", year=timezone.localdate().year, amount=100
    )
    services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=50,
        category="x",
        description="Pendiente de aprobar",
        payee="Alguien",
    )
    page = client_for(w.second).get(made.get_absolute_url()).content.decode()
    assert "Pendiente de aprobar" in page
    member_page = client_for(w.member).get(made.get_absolute_url()).content.decode()
    assert "Pendiente de aprobar" not in member_page
    from minga.common.registration import attention_for

    assert any(item.count == 1 for item in attention_for(w.second))


def test_the_creation_page_offers_a_body_vote(w: FundsWorld) -> None:
    """A fund whose spending a body's vote decides is created on the page; without a body
    the page says which is missing."""
    from minga.funds.models import Fund
    from minga.registry.models import Body

    body = Body.objects.create(organization=w.commune, kind="assembly", slug="a", name="Asamblea")
    client = client_for(w.first)
    page = client.get(reverse("funds:create")).content.decode()
    assert "Asamblea" in page and 'value="body_vote"' in page
    data = {
        "organization": w.commune.pk,
        "name": "Fondo votado",
        "purpose": "Lo que la asamblea decida",
        "unit": w.unit.pk,
        "transparency": "public",
        "approval_rule": "body_vote",
    }
    refused = client.post(reverse("funds:create"), data)
    assert "Choose the body that votes on spending." in refused.content.decode()
    created = client.post(reverse("funds:create"), {**data, "body": body.pk}, follow=True)
    assert "The fund Fondo votado was created." in created.content.decode()
    fund = Fund.objects.get(name="Fondo votado")
    assert fund.approval_rule == "body_vote" and fund.body == body


def test_the_fund_page_shows_25_movements_a_page_newest_first(w: FundsWorld) -> None:
    """The page reads its figures from the kept totals and pages the movements: the 25
    newest, then the older ones on page 2; a page number that is not one is page 1."""
    made = fund(w, transparency="public")
    for number in range(27):
        services.contribution_receive(
            actor=w.first,
            fund=made,
            amount=100 + number,
            category="gifts",
            description=f"Don-{number:02d}",
        )
    reader = client_for(w.stranger)
    first = reader.get(reverse("funds:fund", args=[made.uuid])).content.decode()
    assert "Don-26" in first and "Don-02" in first and "Don-01" not in first
    assert "?page=2#movements" in first and "?page=0" not in first
    second = reader.get(reverse("funds:fund", args=[made.uuid]) + "?page=2").content.decode()
    assert "Don-01" in second and "Don-00" in second and "Don-02" not in second
    assert "?page=1#movements" in second and "?page=3" not in second
    odd = reader.get(reverse("funds:fund", args=[made.uuid]) + "?page=x").content.decode()
    assert "Don-26" in odd
    # The balance the page states is the ledger account's, from the kept totals.
    balance = Account.objects.get(pk=made.account_id).balance
    assert balance == sum(100 + n for n in range(27)) == selectors.figures_of(made).balance
