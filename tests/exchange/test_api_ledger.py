"""The ledger's API: the batch of transfers, accounts and their journals, units."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from minga.exchange import journal
from minga.exchange.models import Account, Transfer, Unit
from tests.exchange.web_helpers import (
    World,
    balances,
    build_world,
    send,
    token_client,
    transfer,
)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def payer(world: World) -> Client:
    """The spokesperson of El Maizal, through a personal access token."""
    return token_client(world.people["spokesperson"])


def test_anonymous_writes_are_refused(world: World) -> None:
    """Without a session or a token every write answers 401 and writes nothing."""
    anonymous = Client()
    body = {"transfers": [transfer(world.a, world.b, 100, "anon")]}
    assert send(anonymous, "/transfers", body).status_code == 401
    assert (
        send(
            anonymous, "/units", {"network": str(world.network.uuid), "code": "X", "name": "X"}
        ).status_code
        == 401
    )
    assert (
        send(
            anonymous, "/accounts", {"organization": str(world.newcomer_org.uuid), "unit": "MINGA"}
        ).status_code
        == 401
    )
    assert (
        send(anonymous, f"/accounts/{world.a.uuid}", {"frozen": True}, "patch").status_code == 401
    )
    assert not Transfer.objects.exists()


def test_a_batch_answers_each_transfer(world: World, payer: Client) -> None:
    """Created and refused transfers are results of one 200 answer, with codes and amounts."""
    body = {
        "transfers": [
            transfer(world.a, world.b, 1_250, "p-1", memo="maíz"),
            transfer(world.a, world.b, 99_999, "p-2"),
        ]
    }
    response = send(payer, "/transfers", body)
    assert response.status_code == 200
    data = response.json()
    assert data["block"] == 1
    first, second = data["results"]
    assert (first["status"], first["code"]) == ("created", "")
    assert first["transfer"]["amount"] == 1_250
    assert first["transfer"]["amount_formatted"] == "12.50 MINGA"
    assert first["transfer"]["debit"] == str(world.a.uuid)
    assert first["transfer"]["memo"] == "maíz"
    assert (second["status"], second["code"], second["transfer"]) == (
        "refused",
        "exceeds_credit_limit",
        None,
    )
    assert second["message"]
    assert balances(world.a, world.b) == [-1_250, 1_250]


def test_debiting_someone_elses_account_is_forbidden_and_writes_nothing(
    world: World, payer: Client
) -> None:
    """One transfer from an account the caller may not debit refuses the whole request."""
    body = {
        "transfers": [
            transfer(world.a, world.b, 100, "mine"),
            transfer(world.b, world.a, 100, "theirs"),
        ]
    }
    response = send(payer, "/transfers", body)
    assert response.status_code == 403
    assert response.json()["field"] == "transfers.1.debit"
    assert "Transfer 2" in response.json()["detail"]
    assert not Transfer.objects.exists()
    assert balances(world.a, world.b) == [0, 0]


@pytest.mark.parametrize("who", ["member", "network_coordinator", "outsider", "payee"])
def test_people_who_may_not_debit_get_403(world: World, who: str) -> None:
    """Members, the network's coordinators and strangers cannot take El Maizal's money."""
    client = token_client(world.people[who])
    response = send(client, "/transfers", {"transfers": [transfer(world.a, world.b, 1, "x")]})
    assert response.status_code == 403
    assert not Transfer.objects.exists()


def test_an_unknown_paying_account_is_refused_like_a_foreign_one(
    world: World, payer: Client
) -> None:
    """Asking to debit an account that does not exist tells nothing about which exist."""
    body = {"transfers": [transfer(world.a, world.b, 1, "x")]}
    body["transfers"][0]["debit"] = "00000000-0000-0000-0000-000000000000"
    assert send(payer, "/transfers", body).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": 12.5}, "transfers.0.amount"),
        ({"amount": "100"}, "transfers.0.amount"),
        ({"debit": "not-a-uuid"}, "transfers.0.debit"),
        ({"kind": "expire_pending"}, "transfers.0.kind"),
        ({"client_id": ""}, "transfers.0.client_id"),
        ({"client_id": "x" * 65}, "transfers.0.client_id"),
        ({"memo": "m" * 501}, "transfers.0.memo"),
        ({"timeout_seconds": 10**12, "kind": "pending"}, "transfers.0.timeout_seconds"),
        ({"credit": None}, "transfers.0.credit"),
        ({"kind": "post_pending"}, "transfers.0.pending"),
    ],
)
def test_malformed_requests_are_422_with_the_field(
    world: World, payer: Client, change: dict[str, Any], field: str
) -> None:
    """A request the API cannot read is refused whole, naming the field; nothing is written."""
    item = {**transfer(world.a, world.b, 100, "bad"), **change}
    response = send(payer, "/transfers", {"transfers": [item]})
    assert response.status_code == 422, response.json()
    assert response.json()["field"] == field
    assert not Transfer.objects.exists()


def test_batch_shape_errors_are_422(world: World, payer: Client) -> None:
    """No transfers, or the same client id twice, is a malformed batch."""
    assert send(payer, "/transfers", {"transfers": []}).json()["field"] == "transfers"
    twice = [transfer(world.a, world.b, 1, "same"), transfer(world.a, world.b, 2, "same")]
    response = send(payer, "/transfers", {"transfers": twice})
    assert (response.status_code, response.json()["field"]) == (422, "client_id")
    assert not Transfer.objects.exists()


def test_linked_batch_is_all_or_nothing_over_http(world: World) -> None:
    """In a linked batch one refusal refuses all: nothing is written, the culprit is named."""
    client = token_client(world.people["superuser"])
    body = {
        "linked": True,
        "transfers": [
            transfer(world.a, world.b, 100, "l-1"),
            transfer(world.b, world.a, 50_000, "l-2"),
        ],
    }
    data = send(client, "/transfers", body).json()
    assert data["block"] is None
    assert [(r["status"], r["code"]) for r in data["results"]] == [
        ("refused", "linked_batch_failed"),
        ("refused", "exceeds_credit_limit"),
    ]
    assert not Transfer.objects.exists()
    body["transfers"][1]["amount"] = 50
    data = send(client, "/transfers", body).json()
    assert [r["status"] for r in data["results"]] == ["created", "created"]
    assert balances(world.a, world.b) == [-50, 50]


def test_retrying_the_same_request_never_posts_twice(world: World, payer: Client) -> None:
    """The same body sent twice answers the same entries, and the money moves once."""
    body = {
        "transfers": [
            transfer(world.a, world.b, 300, "retry-1"),
            transfer(world.a, world.b, 200, "retry-2"),
        ]
    }
    first = send(payer, "/transfers", body).json()
    again = send(payer, "/transfers", body).json()
    assert [r["status"] for r in first["results"]] == ["created", "created"]
    assert [r["status"] for r in again["results"]] == ["exists", "exists"]
    assert again["block"] is None
    assert [r["transfer"]["uuid"] for r in again["results"]] == [
        r["transfer"]["uuid"] for r in first["results"]
    ]
    assert again["results"][0]["transfer"]["hash"] == first["results"][0]["transfer"]["hash"]
    assert Transfer.objects.count() == 2
    assert balances(world.a, world.b) == [-500, 500]
    changed = {"transfers": [transfer(world.a, world.b, 301, "retry-1")]}
    result = send(payer, "/transfers", changed).json()["results"][0]
    assert (result["status"], result["code"]) == ("refused", "idempotency_conflict")
    assert journal.verify_database().ok


def test_two_phases_through_the_api(world: World, payer: Client) -> None:
    """The payer reserves, then posts part of it; the payee may not post the payer's money."""
    reserve = transfer(world.a, world.b, 1_000, "res", kind="pending", timeout_seconds=3600)
    data = send(payer, "/transfers", {"transfers": [reserve]}).json()
    assert data["results"][0]["transfer"]["expires_at"]
    account = Account.objects.get(pk=world.a.pk)
    assert (account.balance, account.pending_debits) == (0, 1_000)
    post = {"client_id": "post", "kind": "post_pending", "pending": "res", "amount": 600}
    payee = token_client(world.people["payee"])
    assert send(payee, "/transfers", {"transfers": [post]}).status_code == 403
    result = send(payer, "/transfers", {"transfers": [post]}).json()["results"][0]
    assert result["status"] == "created"
    assert result["transfer"]["pending"] == data["results"][0]["transfer"]["uuid"]
    assert balances(world.a, world.b) == [-600, 600]


def test_a_reservation_and_its_resolution_in_one_batch(world: World, payer: Client) -> None:
    """A second phase may name a reservation made earlier in the same request, and resolves it."""
    body = {
        "transfers": [
            transfer(world.a, world.b, 100, "r-1", kind="pending"),
            {"client_id": "v-1", "kind": "void_pending", "pending": "r-1"},
        ]
    }
    response = send(payer, "/transfers", body)
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["created", "created"]


def test_accounts_list_shows_only_visible_accounts(world: World) -> None:
    """A member sees the organization's account; the network's coordinator sees the unit's."""
    member = token_client(world.people["member"])
    items = member.get("/api/v1/exchange/accounts").json()["items"]
    assert [i["organization_slug"] for i in items] == ["maizal"]
    assert items[0]["formatted"]["lowest_balance"] == "-100.00 MINGA"
    assert items[0]["available"] == 10_000
    coordinator = token_client(world.people["network_coordinator"])
    data = coordinator.get("/api/v1/exchange/accounts", {"unit": "minga"}).json()
    assert data["count"] == 2
    data = coordinator.get("/api/v1/exchange/accounts", {"organization": "semillas"}).json()
    assert [i["uuid"] for i in data["items"]] == [str(world.b.uuid)]
    assert Client().get("/api/v1/exchange/accounts").json()["count"] == 0
    outsider = token_client(world.people["outsider"])
    assert outsider.get(f"/api/v1/exchange/accounts/{world.a.uuid}").status_code == 404
    assert member.get(f"/api/v1/exchange/accounts/{world.a.uuid}").json()["unit"] == "MINGA"


def test_journal_is_paginated_newest_first(world: World, payer: Client) -> None:
    """The journal answers pages of entries that touch the account, newest first."""
    send(
        payer,
        "/transfers",
        {"transfers": [transfer(world.a, world.b, n + 1, f"j-{n}") for n in range(7)]},
    )
    url = f"/api/v1/exchange/accounts/{world.a.uuid}/journal"
    first = payer.get(url, {"page_size": 3}).json()
    assert first["count"] == 7
    assert [i["amount"] for i in first["items"]] == [7, 6, 5]
    last = payer.get(url, {"page_size": 3, "page": 3}).json()
    assert [i["amount"] for i in last["items"]] == [1]
    assert token_client(world.people["outsider"]).get(url).status_code == 404


def test_journal_queries_do_not_grow_with_entries(
    world: World, payer: Client, django_assert_max_num_queries: Any
) -> None:
    """A page of fifty entries costs a fixed handful of queries, not one per entry."""
    send(
        payer,
        "/transfers",
        {"transfers": [transfer(world.a, world.b, 1, f"q-{n}") for n in range(60)]},
    )
    with django_assert_max_num_queries(7):
        response = payer.get(f"/api/v1/exchange/accounts/{world.a.uuid}/journal")
    assert len(response.json()["items"]) == 50


def test_coordinators_create_units_and_open_accounts(world: World) -> None:
    """The network's coordinator creates a unit and opens accounts for its members only."""
    coordinator = token_client(world.people["network_coordinator"])
    body = {
        "network": str(world.network.uuid),
        "code": "hora",
        "name": "Horas",
        "kind": "hours",
        "scale": 0,
    }
    response = send(coordinator, "/units", body)
    assert response.status_code == 201
    assert response.json()["code"] == "HORA"
    assert send(coordinator, "/units", body).json()["field"] == "code"
    opened = send(
        coordinator, "/accounts", {"organization": str(world.newcomer_org.uuid), "unit": "HORA"}
    )
    assert opened.status_code == 201
    assert opened.json()["formatted"]["balance"] == "0 HORA"
    again = send(
        coordinator, "/accounts", {"organization": str(world.newcomer_org.uuid), "unit": "HORA"}
    )
    assert again.status_code == 200
    stranger = send(
        coordinator, "/accounts", {"organization": str(world.outsider_org.uuid), "unit": "HORA"}
    )
    assert (stranger.status_code, stranger.json()["field"]) == (422, "organization")
    assert Unit.objects.get(code="HORA").accounts.count() == 1


@pytest.mark.parametrize("who", ["spokesperson", "maizal_coordinator", "other_coordinator"])
def test_others_may_not_manage_units(world: World, who: str) -> None:
    """Only coordinators of the issuing network create units, open accounts, set limits."""
    client = token_client(world.people[who])
    body = {"network": str(world.network.uuid), "code": "NO", "name": "No"}
    assert send(client, "/units", body).status_code in (403, 404)
    opened = send(
        client, "/accounts", {"organization": str(world.newcomer_org.uuid), "unit": "MINGA"}
    )
    assert opened.status_code == 403
    patched = send(client, f"/accounts/{world.a.uuid}", {"lowest_balance": -1}, "patch")
    assert patched.status_code in (403, 404)
    assert not Unit.objects.filter(code="NO").exists()
    assert Account.objects.get(pk=world.a.pk).lowest_balance == -10_000


def test_coordinators_set_limits_and_freeze(world: World, payer: Client) -> None:
    """Limits change within what the balance allows; freezing needs a reason and stops payments."""
    coordinator = token_client(world.people["network_coordinator"])
    url = f"/accounts/{world.a.uuid}"
    data = send(
        coordinator, url, {"lowest_balance": -50_000, "highest_balance": 90_000}, "patch"
    ).json()
    assert (data["lowest_balance"], data["highest_balance"]) == (-50_000, 90_000)
    assert data["formatted"]["highest_balance"] == "900.00 MINGA"
    assert (
        send(coordinator, url, {"highest_balance": None}, "patch").json()["highest_balance"] is None
    )
    assert send(coordinator, url, {"lowest_balance": 5}, "patch").status_code == 422
    send(payer, "/transfers", {"transfers": [transfer(world.a, world.b, 20_000, "big")]})
    refused = send(coordinator, url, {"lowest_balance": -10_000}, "patch")
    assert (refused.status_code, refused.json()["field"]) == (422, "lowest_balance")
    no_reason = send(coordinator, url, {"frozen": True}, "patch")
    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "reason")
    frozen = send(coordinator, url, {"frozen": True, "reason": "revisión"}, "patch")
    assert frozen.json()["frozen"] is True
    result = send(payer, "/transfers", {"transfers": [transfer(world.a, world.b, 1, "after")]})
    assert result.json()["results"][0]["code"] == "account_frozen"


def test_units_list_follows_network_visibility(world: World) -> None:
    """Units of public networks are listed to anyone, with their issuing network."""
    items = Client().get("/api/v1/exchange/units").json()["items"]
    assert [(i["code"], i["network_name"]) for i in items] == [("MINGA", "Red de Comunas")]


def test_the_collector_pause_restores_the_previous_state() -> None:
    """Nested pauses and errors leave the cyclic collector as it was before the first one."""
    import gc

    from minga.exchange.api.ledger import cyclic_gc_paused

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with pytest.raises(ZeroDivisionError), cyclic_gc_paused():
            _ = 1 / 0
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("with_token", [True, False])
def test_the_batch_answer_is_exactly_what_its_schema_would_write(
    world: World, with_token: bool
) -> None:
    """The batch endpoint writes its JSON itself (no pydantic object per transfer): byte for
    byte what ``BatchOut`` rendered by ninja writes, for created, existing and refused
    transfers, reservations with a timeout, second phases, non-ASCII memos, with a token
    or the session."""
    from ninja.responses import NinjaJSONEncoder

    from minga.exchange.api.ledger import BatchOut, _transfer_data
    from minga.people.services import access_token_create

    person = world.people["spokesperson"]
    person.display_name = 'Ana «la de "caja"» Quispe'
    person.save()
    token, secret = access_token_create(user=person, name="caja «norte»", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    if not with_token:
        client = Client()
        client.force_login(person)
    send(client, "/transfers", {"transfers": [transfer(world.a, world.b, 7, "first")]})
    body = {
        "transfers": [
            transfer(world.a, world.b, 7, "first"),  # exists
            transfer(world.a, world.b, 1_250, "p-1", memo='maíz · 25 kg 💸 "x"\n'),
            transfer(world.a, world.b, 300, "r-1", kind="pending", timeout_seconds=3600),
            {"client_id": "r-1:post", "kind": "post_pending", "pending": "r-1", "amount": 100},
            transfer(world.a, world.b, 10**9, "too-much"),  # refused
        ]
    }
    response = send(client, "/transfers", body)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    answer = response.json()
    rows = {
        t.client_id: t
        for t in Transfer.objects.select_related(
            "debit", "credit", "unit", "pending", "reverses", "submitted_by", "access_token"
        )
    }
    expected = {
        "block": answer["block"],
        "results": [
            {
                "client_id": result["client_id"],
                "status": result["status"],
                "code": result["code"],
                "message": result["message"],
                "transfer": _transfer_data(rows[result["client_id"]])
                if result["status"] != "refused"
                else None,
            }
            for result in answer["results"]
        ],
    }
    rendered = json.dumps(BatchOut.model_validate(expected).model_dump(), cls=NinjaJSONEncoder)
    assert response.content.decode() == rendered
    assert [r["status"] for r in answer["results"]] == [
        "exists",
        "created",
        "created",
        "created",
        "refused",
    ]
    assert answer["results"][1]["transfer"]["access_token"] == (token.pk if with_token else None)
