"""Federation with Mastodon, replayed with payloads and signatures shaped as Mastodon sends
them: discovery, Follow → Accept, bulletins and events delivered, edits and deletions,
replies and boosts received, and an organization following a Mastodon account."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.common.stator import run_once
from minga.comms import services as comms_services
from minga.comms.models import Bulletin, Reaction
from minga.federation import services, signatures
from minga.federation.models import Delivery, Follow, InboxItem, OutboxActivity, RemoteActor
from minga.federation.signatures import IncomingRequest
from tests import factories
from tests.comms import factories as comms
from tests.federation.conftest import drain, post_activity
from tests.federation.fediverse import Fediverse

pytestmark = pytest.mark.django_db


def _actor_uri(organization: Any) -> str:
    return "https://minga.test" + reverse("federation:actor", args=[organization.uuid])


def _inbox(organization: Any) -> str:
    return reverse("federation:inbox", args=[organization.uuid])


def _follow(client: Client, fediverse: Fediverse, organization: Any, name: str = "alice") -> Any:
    account = fediverse.account(name)
    response = post_activity(
        client, account, _inbox(organization), account.follow(_actor_uri(organization))
    )
    assert response.status_code == 202, response.content
    drain()
    return account


def test_webfinger_nodeinfo_and_actor_describe_a_public_organization(fediverse: Fediverse) -> None:
    """Mastodon's search of @slug@host finds the actor; the actor has its key and inboxes."""
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    answer = client.get("/.well-known/webfinger", {"resource": "acct:radio-sur@minga.test"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/jrd+json"
    links = {link["rel"]: link for link in answer.json()["links"]}
    assert links["self"]["href"] == _actor_uri(organization)
    assert links["self"]["type"] == "application/activity+json"
    actor = client.get(
        reverse("federation:actor", args=[organization.uuid]),
        HTTP_ACCEPT="application/activity+json",
    )
    assert actor["Content-Type"].startswith("application/activity+json")
    document = actor.json()
    assert document["type"] == "Organization" and document["preferredUsername"] == "radio-sur"
    assert document["publicKey"]["owner"] == document["id"] == _actor_uri(organization)
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]
    assert document["endpoints"]["sharedInbox"] == "https://minga.test/ap/inbox"
    # A browser asking for the actor is sent to the organization's page.
    assert client.get(reverse("federation:actor", args=[organization.uuid])).status_code == 302
    info = client.get(
        client.get("/.well-known/nodeinfo")
        .json()["links"][0]["href"]
        .replace("https://minga.test", "")
    )
    assert info.json()["software"]["name"] == "minga" and info.json()["protocols"] == [
        "activitypub"
    ]


def test_a_hidden_organization_is_not_an_actor(fediverse: Fediverse) -> None:
    hidden = factories.organization(slug="oculta", visibility=Visibility.SERVER)
    client = Client()
    assert (
        client.get("/.well-known/webfinger", {"resource": "acct:oculta@minga.test"}).status_code
        == 404
    )
    assert (
        client.get(
            reverse("federation:actor", args=[hidden.uuid]), HTTP_ACCEPT="application/activity+json"
        ).status_code
        == 404
    )


def test_follow_is_stored_then_accepted_with_a_signed_accept(fediverse: Fediverse) -> None:
    """The Follow is stored before processing; the worker accepts it and delivers a signed
    Accept to the follower's inbox, which verifies with the organization's key."""
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    alice = fediverse.account("alice")
    follow = alice.follow(_actor_uri(organization))
    response = post_activity(client, alice, _inbox(organization), follow)
    assert response.status_code == 202
    item = InboxItem.objects.get()
    assert item.activity_type == "Follow" and item.state == "received"
    assert not Follow.objects.exists()
    drain()
    stored = Follow.objects.get()
    assert stored.state == "accepted" and stored.follower_actor.uri == alice.uri
    [(url, headers, body)] = fediverse.posted
    assert url == alice.inbox
    accept = json.loads(body)
    assert accept["type"] == "Accept" and accept["object"]["id"] == follow["id"]
    assert accept["actor"] == _actor_uri(organization)
    key = services.current_key(organization)
    incoming = IncomingRequest(method="POST", url=url, headers=headers, body=body)
    assert signatures.key_id_of(incoming) == _actor_uri(organization) + "#main-key"
    assert signatures.verify(incoming, key.public_pem) == "cavage"
    # The same Follow again is stored once and changes nothing.
    again = post_activity(client, alice, _inbox(organization), follow)
    assert again.status_code == 202 and InboxItem.objects.count() == 1


def test_unfollow_ends_the_follow(fediverse: Fediverse) -> None:
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    alice = fediverse.account("alice")
    follow = alice.follow(_actor_uri(organization))
    post_activity(client, alice, _inbox(organization), follow)
    drain()
    post_activity(client, alice, "/ap/inbox", alice.undo(follow))
    drain()
    assert Follow.objects.get().state == "undone"


def test_public_bulletins_and_events_reach_followers_with_edits_and_deletions(
    fediverse: Fediverse,
) -> None:
    """Create(Article) and Create(Event) go to the follower's shared inbox; an edit sends an
    Update, a withdrawal a Delete; restricted bulletins send nothing."""
    organization, editor, _writer = comms.newsroom()
    client = Client()
    alice = _follow(client, fediverse, organization)
    fediverse.posted.clear()
    bulletin = comms.bulletin(organization, title="Cosecha", body="Maíz *criollo*.", tags=["maiz"])
    event = comms.event(
        organization, title="Marcha", time_zone="America/Caracas", latitude=10.5, longitude=-66.9
    )
    comms.bulletin(organization, title="Interno", visibility=Visibility.SERVER)
    drain()
    sent = fediverse.activities_to(alice.shared_inbox)
    assert [(a["type"], a["object"]["type"]) for a in sent] == [
        ("Create", "Article"),
        ("Create", "Event"),
    ]
    article = sent[0]["object"]
    assert article["id"] == "https://minga.test" + bulletin.get_absolute_url()
    assert article["name"] == "Cosecha" and "<em>criollo</em>" in article["content"]
    assert article["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert article["attributedTo"] == _actor_uri(organization)
    assert {
        "type": "Hashtag",
        "name": "#maiz",
        "href": "https://minga.test/comms/tags/maiz/",
    } in article["tag"]
    assert sent[1]["object"]["id"] == "https://minga.test" + event.get_absolute_url()
    assert sent[1]["object"]["timezone"] == "America/Caracas"
    assert sent[1]["object"]["location"]["latitude"] == 10.5
    fediverse.posted.clear()
    data = comms_services.BulletinData(title="Cosecha grande", body="Maíz.", language="es")
    comms_services.bulletin_update(actor=editor, bulletin=bulletin, data=data)
    comms_services.bulletin_withdraw(actor=editor, bulletin=bulletin)
    drain()
    sent = fediverse.activities_to(alice.shared_inbox)
    assert [a["type"] for a in sent] == ["Update", "Delete"]
    assert sent[0]["object"]["name"] == "Cosecha grande"
    assert sent[1]["object"] == {**sent[1]["object"], "type": "Tombstone", "id": article["id"]}
    # The page answers servers with a Tombstone (410) now.
    gone = client.get(bulletin.get_absolute_url(), HTTP_ACCEPT="application/activity+json")
    assert gone.status_code == 410 and gone.json()["type"] == "Tombstone"


def test_replies_boosts_and_likes_are_shown_to_editors_only(fediverse: Fediverse) -> None:
    organization, editor, _writer = comms.newsroom()
    client = Client()
    bulletin = comms.bulletin(organization)
    target = "https://minga.test" + bulletin.get_absolute_url()
    bob = fediverse.account("bob")
    reply = bob.note(
        1,
        "<p>¡Qué bien! <script>x</script></p>",
        in_reply_to=target,
        mention=_actor_uri(organization),
    )
    assert post_activity(client, bob, "/ap/inbox", bob.create(reply)).status_code == 202
    assert post_activity(client, bob, "/ap/inbox", bob.announce(2, target)).status_code == 202
    assert post_activity(client, bob, "/ap/inbox", bob.like(3, target)).status_code == 202
    drain()
    kinds = sorted(Reaction.objects.values_list("kind", flat=True))
    assert kinds == ["boost", "like", "reply"]
    assert "<script>" not in Reaction.objects.get(kind="reply").content_html
    editor_client = Client()
    editor_client.force_login(editor)
    assert "¡Qué bien!" in editor_client.get(bulletin.get_absolute_url()).content.decode()
    assert "¡Qué bien!" not in Client().get(bulletin.get_absolute_url()).content.decode()
    post_activity(client, bob, "/ap/inbox", bob.delete(reply["id"]))
    drain()
    assert not Reaction.objects.filter(kind="reply").exists()


def test_an_organization_follows_a_mastodon_account_and_shows_its_posts(
    fediverse: Fediverse,
) -> None:
    """Follow by @handle (WebFinger), Accept, then the account's public posts appear,
    attributed; followers-only posts and posts of accounts nobody follows do not."""
    organization, editor, _writer = comms.newsroom()
    client = Client()
    carol = fediverse.account("carol")
    target = services.webfinger("@carol@mastodon.example")
    follow = services.follow_create(actor=editor, organization=organization, target=target)
    drain()
    [sent] = fediverse.activities_to(carol.inbox)
    assert (
        sent["type"] == "Follow"
        and sent["object"] == carol.uri
        and sent["id"] == follow.activity_uri
    )
    accept = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{carol.uri}#accepts/follows/1",
        "type": "Accept",
        "actor": carol.uri,
        "object": sent,
    }
    post_activity(client, carol, "/ap/inbox", accept)
    drain()
    assert Follow.objects.get(pk=follow.pk).state == "accepted"
    post_activity(
        client, carol, "/ap/inbox", carol.create(carol.note(10, "<p>Semillas libres</p>"))
    )
    post_activity(
        client,
        carol,
        "/ap/inbox",
        carol.create(carol.note(11, "<p>Solo seguidores</p>", public=False)),
    )
    dave = fediverse.account("dave")
    post_activity(client, dave, "/ap/inbox", dave.create(dave.note(12, "<p>Nadie me sigue</p>")))
    drain()
    remote = Bulletin.objects.get(remote_actor__uri=carol.uri)
    assert "Semillas libres" in remote.body_html and remote.visibility == "public"
    network = (
        Client()
        .get(reverse("comms:organization_network", args=[organization.slug]))
        .content.decode()
    )
    assert "Semillas libres" in network and "mastodon.example" in network
    news = Client().get(reverse("comms:news") + "?origin=elsewhere").content.decode()
    assert "mastodon.example" in news
    page = Client().get(remote.get_absolute_url()).content.decode()
    assert "Semillas libres" in page and "mastodon.example" in page
    assert not Bulletin.objects.filter(body_html__contains="Solo seguidores").exists()
    assert not Bulletin.objects.filter(body_html__contains="Nadie me sigue").exists()
    post_activity(client, carol, "/ap/inbox", carol.delete(f"{carol.uri}/statuses/10"))
    drain()
    assert not Bulletin.objects.filter(remote_actor__uri=carol.uri).exists()


def test_a_deleted_account_disappears_with_its_follows(fediverse: Fediverse) -> None:
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    alice = _follow(client, fediverse, organization)
    post_activity(client, alice, "/ap/inbox", alice.delete_self())
    drain()
    assert RemoteActor.objects.get(uri=alice.uri).gone
    assert Follow.objects.get().state == "undone"


@pytest.mark.parametrize(
    "case",
    ["unsigned", "bad_signature", "other_signer", "malformed", "no_actor", "oversized", "blocked"],
)
def test_bad_requests_are_refused_with_their_status_and_nothing_stored(
    fediverse: Fediverse, settings: Any, case: str
) -> None:
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    alice = fediverse.account("alice")
    mallory = fediverse.account("mallory", server="evil.example")
    activity = alice.follow(_actor_uri(organization))
    body = json.dumps(activity).encode()
    path = _inbox(organization)
    headers = alice.sign("POST", f"http://testserver{path}", body)
    expected = 401
    if case == "unsigned":
        headers.pop("Signature")
    elif case == "bad_signature":
        headers["Signature"] = headers["Signature"].replace('signature="', 'signature="AAAA')
    elif case == "other_signer":
        headers = mallory.sign("POST", f"http://testserver{path}", body)
    elif case == "malformed":
        body = b'{"type": "Follow", '
        headers = alice.sign("POST", f"http://testserver{path}", body)
        expected = 400
    elif case == "no_actor":
        body = json.dumps(
            {"id": activity["id"], "type": "Follow", "object": activity["object"]}
        ).encode()
        headers = alice.sign("POST", f"http://testserver{path}", body)
        expected = 400
    elif case == "oversized":
        settings.FEDERATION_MAX_PAYLOAD_BYTES = 1000
        body = json.dumps({**activity, "padding": "x" * 2000}).encode()
        headers = alice.sign("POST", f"http://testserver{path}", body)
        expected = 413
    elif case == "blocked":
        services.domain_block(actor=SYSTEM, domain="mastodon.example", reason="spam")
        expected = 403
    meta = {
        f"HTTP_{k.upper().replace('-', '_')}": v
        for k, v in headers.items()
        if k.lower() != "content-type"
    }
    response = client.post(path, data=body, content_type="application/activity+json", **meta)
    assert response.status_code == expected, response.content
    assert not InboxItem.objects.exists()
    drain()
    assert not Follow.objects.exists() and not OutboxActivity.objects.exists()


def test_senders_above_the_rate_limit_are_told_to_wait(fediverse: Fediverse, settings: Any) -> None:
    settings.FEDERATION_INBOX_RATE_PER_MINUTE = 2
    from django.core.cache import cache

    cache.clear()
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    alice = fediverse.account("alice")
    statuses = [
        post_activity(
            client, alice, "/ap/inbox", alice.like(number, _actor_uri(organization))
        ).status_code
        for number in range(3)
    ]
    assert statuses == [202, 202, 429]
    cache.clear()


def test_failed_deliveries_are_retried_with_backoff_then_given_up(fediverse: Fediverse) -> None:
    """A 503 is retried later (the delay doubles); a 410 is given up at once; an
    administrator can try a given-up delivery again."""
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    alice = _follow(client, fediverse, organization)
    _follow(client, fediverse, organization, name="alicia")
    fediverse.posted.clear()
    fediverse.failing[alice.shared_inbox] = 503
    # Both accounts share the server's inbox: one delivery serves both.
    comms.bulletin(organization)
    drain()
    delivery = Delivery.objects.get(activity__activity_type="Create")
    assert delivery.state == "queued" and delivery.attempts == 1 and delivery.last_status == 503
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=30) < first_wait <= timedelta(seconds=61)
    run_once(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - timezone.now() > first_wait
    fediverse.failing[alice.shared_inbox] = 202
    run_once(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.delivered_at is not None
    fediverse.failing[alice.shared_inbox] = 410
    comms.bulletin(organization, title="Otra")
    drain()
    failed = Delivery.objects.get(state="failed")
    assert failed.detail.startswith("410")
    admin = factories.person("admin", is_staff=True, is_superuser=True)
    staff = factories.verified_client(admin)
    page = staff.get(reverse("federation:admin_server", args=["mastodon.example"]))
    assert page.status_code == 200 and "410" in page.content.decode()
    staff.post(reverse("federation:admin_retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.state == "queued"


def test_restricted_content_never_leaves(fediverse: Fediverse) -> None:
    """Nothing restricted reaches followers: bulletins, events and campaigns for members
    only, anything of a non-public organization, and drafts."""
    organization, _editor, _writer = comms.newsroom()
    client = Client()
    _follow(client, fediverse, organization)
    fediverse.posted.clear()
    comms.bulletin(organization, visibility=Visibility.SERVER)
    comms.bulletin(organization, publish=False)
    comms.event(organization, visibility=Visibility.SERVER)
    comms.campaign(organization, visibility=Visibility.SERVER)
    hidden = factories.organization(slug="privada", visibility=Visibility.SERVER)
    comms.bulletin(hidden)
    comms.event(hidden)
    drain()
    assert fediverse.posted == []
    assert not OutboxActivity.objects.filter(activity_type__in=["Create", "Update"]).exists()
    outbox = client.get(
        reverse("federation:outbox", args=[organization.uuid]) + "?page=1",
        HTTP_ACCEPT="application/activity+json",
    )
    assert outbox.json()["orderedItems"] == []


def test_key_rotation_tells_followers_and_signs_with_the_new_key(fediverse: Fediverse) -> None:
    organization, editor, _writer = comms.newsroom()
    client = Client()
    alice = _follow(client, fediverse, organization)
    fediverse.posted.clear()
    old = services.current_key(organization)
    new = services.key_rotate(actor=editor, organization=organization)
    drain()
    [update] = fediverse.activities_to(alice.shared_inbox)
    assert update["type"] == "Update" and update["object"]["publicKey"]["id"].endswith("#key-2")
    assert update["object"]["publicKey"]["publicKeyPem"] == new.public_pem != old.public_pem
    url, headers, body = fediverse.posted[0]
    incoming = IncomingRequest(method="POST", url=url, headers=headers, body=body)
    assert signatures.verify(incoming, new.public_pem) == "cavage"
    with pytest.raises(signatures.SignatureError):
        signatures.verify(incoming, old.public_pem)
