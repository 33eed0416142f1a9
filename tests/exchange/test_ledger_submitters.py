"""Who submitted each transfer and batch: recorded, hashed, shown to readers, exported."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from minga.exchange import journal, services
from minga.exchange.models import ChainBlock, Transfer
from minga.exchange.services import LineInput
from minga.people.models import PersonalAccessToken
from minga.people.services import access_token_create
from tests import factories
from tests.exchange.web_helpers import World, build_world, page_client, send, transfer


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def test_a_batch_through_the_api_records_the_person_and_the_token(world: World) -> None:
    """Each entry and the batch's block name the person and the token used."""
    person = world.people["spokesperson"]
    token, secret = access_token_create(user=person, name="contabilidad", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = {
        "transfers": [transfer(world.a, world.b, 10, "t-1"), transfer(world.a, world.b, 5, "t-2")]
    }
    response = send(client, "/transfers", body)
    assert response.status_code == 200
    entries = Transfer.objects.order_by("sequence")
    assert [(e.submitted_by_id, e.access_token_id) for e in entries] == [(person.pk, token.pk)] * 2
    block = ChainBlock.objects.get()
    assert (block.submitted_by_id, block.access_token_id) == (person.pk, token.pk)
    result = response.json()["results"][0]["transfer"]
    assert result["submitted_by"] == str(person.uuid)
    assert result["submitted_by_name"] == person.display_name
    assert (result["access_token"], result["access_token_name"]) == (token.pk, "contabilidad")


def test_a_payment_from_the_page_records_the_person_and_no_token(world: World) -> None:
    person = world.people["spokesperson"]
    page = page_client(person)
    url = reverse("exchange:account", kwargs={"uuid": world.a.uuid})
    response = page.post(url, {"client_id": "web-1", "recipient": "semillas", "amount": "1"})
    assert response.status_code == 302
    entry = Transfer.objects.get()
    assert (entry.submitted_by_id, entry.access_token_id) == (person.pk, None)


def test_the_session_api_records_no_token(world: World) -> None:
    person = world.people["spokesperson"]
    client = Client(enforce_csrf_checks=False)
    client.force_login(person)
    response = send(client, "/transfers", {"transfers": [transfer(world.a, world.b, 1, "s-1")]})
    assert response.status_code == 200
    entry = Transfer.objects.get()
    assert (entry.submitted_by_id, entry.access_token_id) == (person.pk, None)


def test_agreement_transfers_name_the_person_who_acted(world: World) -> None:
    """The reservation is submitted by whoever accepted last, the payment by the receiver
    who confirmed delivery."""
    buyer, seller = world.people["spokesperson"], world.people["payee"]
    agreement = services.agreement_propose(
        actor=seller,
        proposer=world.semillas,
        title="Semillas",
        lines=[
            LineInput(supplier=world.semillas, receiver=world.maizal, description="x", amount=9)
        ],
        payment="ledger",
        unit=world.unit,
    )
    services.agreement_accept(actor=buyer, agreement=agreement, organization=world.maizal)
    services.agreement_confirm_delivery(actor=buyer, agreement=agreement, receiver=world.maizal)
    assert list(Transfer.objects.order_by("sequence").values_list("kind", "submitted_by_id")) == [
        ("pending", buyer.pk),
        ("post_pending", buyer.pk),
    ]


def _journal_page(client: Client, world: World) -> Any:
    return client.get(reverse("exchange:account", kwargs={"uuid": world.a.uuid}))


def test_readers_of_the_account_see_who_submitted_others_do_not(world: World) -> None:
    """The journal names the submitter (page and API) to those who may see the account;
    anyone else gets 404 for both."""
    person = world.people["spokesperson"]
    person.display_name = "Ana Quispe"
    person.save()
    token, secret = access_token_create(user=person, name="script de caja", scope="write")
    send(
        Client(HTTP_AUTHORIZATION=f"Bearer {secret}"),
        "/transfers",
        {"transfers": [transfer(world.a, world.b, 10, "t-1")]},
    )
    member = page_client(world.people["member"])
    page = _journal_page(member, world).content.decode()
    assert "Ana Quispe" in page and "script de caja" in page
    entry = member.get(f"/api/v1/exchange/accounts/{world.a.uuid}/journal").json()["items"][0]
    assert (entry["submitted_by_name"], entry["access_token"]) == ("Ana Quispe", token.pk)
    outsider = page_client(world.people["outsider"])
    assert _journal_page(outsider, world).status_code == 404
    assert outsider.get(f"/api/v1/exchange/accounts/{world.a.uuid}/journal").status_code == 404


def test_the_export_carries_the_submitter_and_verify_checks_it(
    world: World, tmp_path: Path
) -> None:
    """The submitter is part of the entry's hash: changing who submitted an entry is
    detected, in the database and in an export."""
    person = world.people["spokesperson"]
    token, _secret = access_token_create(user=person, name="t", scope="write")
    services.transfers_submit(
        actor=person, access_token=token, inputs=[_input(world, "uno"), _input(world, "dos")]
    )
    path = tmp_path / "journal.jsonl"
    call_command("ledger", "export", str(path), stderr=StringIO())
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    entries = [record["entry"] for record in records if "entry" in record]
    assert [(e["submitted_by"], e["access_token"]) for e in entries] == [
        (str(person.uuid), token.pk)
    ] * 2
    assert journal.verify_file(path).ok
    assert journal.verify_database().ok
    other = factories.person("otra")
    Transfer.objects.filter(client_id="dos").update(submitted_by=other)
    report = journal.verify_database()
    assert not report.ok and "#2" in (report.first_discrepancy or "")
    records[2]["entry"]["access_token"] = token.pk + 1
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    report = journal.verify_file(path)
    assert not report.ok and "#2" in (report.first_discrepancy or "")


def test_a_token_must_belong_to_the_person_submitting(world: World) -> None:
    """Recording someone else's token is a programming error, refused before writing."""
    token, _secret = access_token_create(user=world.people["payee"], name="t", scope="write")
    with pytest.raises(ValueError, match="token"):
        services.transfers_submit(
            actor=world.people["spokesperson"], access_token=token, inputs=[_input(world, "x")]
        )
    assert not Transfer.objects.exists()
    assert PersonalAccessToken.objects.filter(pk=token.pk).exists()


def _input(world: World, client_id: str) -> services.TransferInput:
    return services.TransferInput(
        client_id=client_id,
        debit=str(world.a.uuid),
        credit=str(world.b.uuid),
        unit="MINGA",
        amount=3,
    )
