"""Interoperability with an independent ActivityPub implementation: a Fedify server (the
TypeScript framework from the npm registry, on Node.js 22) running on this machine.

Minga runs under gunicorn with TLS (Fedify looks handles up over https; it trusts the
test's certificate authority), the Fedify peer on plain http (a test host Minga's settings
allow). The peer finds an organization by WebFinger, follows it and is accepted, receives a
signed bulletin and event, replies, and receives the Update and the Delete; the
organization follows the peer's account and shows its posts. Fedify verifies the HTTP
Signatures of everything Minga sends (its inbox listeners see only verified activities),
and Minga verifies Fedify's.
"""

from __future__ import annotations

import ssl
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from minga.common.stator import run_once
from minga.comms import services as comms_services
from minga.comms.models import Bulletin, Reaction
from minga.federation import services
from minga.federation.models import Follow, InboxItem
from tests.comms import factories as comms
from tests.federation import servers


@dataclass
class World:
    minga: str
    peer_port: int
    peer: str
    authority: Path
    logs: Path

    def get(self, path: str) -> str:
        """A page of the Minga server, over https."""
        context = ssl.create_default_context(cafile=str(self.authority))
        with urllib.request.urlopen(self.minga + path, timeout=30, context=context) as answer:  # noqa: S310
            return str(answer.read().decode())


def _ready() -> None:
    if not servers.NODE.exists():
        pytest.fail(
            "The Fedify peer is not installed: run `npm ci` in tests/federation/peer "
            "(`make test` and .ci/run do)."
        )


@pytest.fixture
def world(
    seeded_transactional_db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    _ready()
    minga_port, peer_port = servers.free_port(), servers.free_port()
    certificates = servers.make_certificates(tmp_path)
    site = f"https://127.0.0.1:{minga_port}"
    test_host = f"127.0.0.1:{peer_port}"
    monkeypatch.setattr(settings, "SITE_URL", site)
    monkeypatch.setattr(settings, "FEDERATION_TEST_HOSTS", [test_host])
    env = servers.base_environment()
    env.update(
        DJANGO_SETTINGS_MODULE="minga.settings.test",
        MINGA_TEST_DATABASE_NAME=str(connection.settings_dict["NAME"]),
        MINGA_DATA_DIR=str(settings.DATA_DIR),
        MINGA_SITE_URL=site,
        MINGA_FEDERATION_TEST_HOSTS=test_host,
        MINGA_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    peer_env = servers.base_environment()
    peer_env["NODE_EXTRA_CA_CERTS"] = str(certificates.authority)
    with (
        servers.process(
            servers.minga_command(minga_port, certificates), env=env, log=tmp_path / "minga.log"
        ),
        servers.process(
            servers.peer_command(peer_port),
            env=peer_env,
            log=tmp_path / "peer.log",
            cwd=servers.PEER,
        ),
    ):
        context = ssl.create_default_context(cafile=str(certificates.authority))
        servers.wait_until_answering(f"{site}/.well-known/nodeinfo", context=context)
        servers.wait_until_answering(f"http://{test_host}/.well-known/nodeinfo")
        yield World(site, peer_port, f"http://{test_host}", certificates.authority, tmp_path)


def _until(world: World, condition: Callable[[], Any], what: str, seconds: float = 60) -> Any:
    """Run Minga's worker and wait until ``condition`` holds (it returns a truthy value)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run_once()
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    from minga.federation.models import Delivery

    deliveries = [
        (d.inbox, d.state, d.last_status, d.detail, d.last_error[-300:])
        for d in Delivery.objects.all()
    ]
    logs = "\n".join(
        f"--- {name}\n" + (world.logs / name).read_text(errors="replace")[-4000:]
        for name in ("peer.log", "minga.log")
    )
    pytest.fail(f"timed out waiting for {what}; deliveries: {deliveries}\n{logs}")


def _received(world: World, kind: str, object_id: str | None = None) -> list[dict[str, Any]]:
    return [
        item
        for item in servers.peer_call(world.peer_port, "received")
        if item["type"] == kind and (object_id is None or item["objectId"] == object_id)
    ]


def test_fedify_and_minga_federate_both_ways(world: World) -> None:
    organization, editor, _writer = comms.newsroom()

    # The peer finds the organization by WebFinger (over https) and follows it.
    found = servers.peer_call(
        world.peer_port,
        "follow",
        {"handle": f"@radio-sur@127.0.0.1:{world.minga.rsplit(':', 1)[1]}"},
    )
    assert found["type"] == "Organization" and found["actor"].startswith(world.minga)
    follow = _until(
        world,
        lambda: Follow.objects.filter(state="accepted", follower_actor__isnull=False).first(),
        "the peer's follow",
    )
    assert follow.follower_actor.uri == f"{world.peer}/users/bob"
    assert InboxItem.objects.get(activity_type="Follow").signature_scheme in ("rfc9421", "cavage")
    _until(world, lambda: _received(world, "Accept"), "the Accept at the peer")

    # A bulletin and an event reach it, signed (Fedify verified them to record them).
    bulletin = comms.bulletin(organization, title="Cosecha comunal", body="La comuna cosechó maíz.")
    event = comms.event(organization, title="Jornada de siembra", time_zone="America/Caracas")
    bulletin_id = f"{world.minga}{bulletin.get_absolute_url()}"
    event_id = f"{world.minga}{event.get_absolute_url()}"
    [article] = _until(
        world, lambda: _received(world, "Create", bulletin_id), "the bulletin at the peer"
    )
    assert article["objectType"] == "Article" and article["name"] == "Cosecha comunal"
    [announced] = _until(
        world, lambda: _received(world, "Create", event_id), "the event at the peer"
    )
    assert announced["objectType"] == "Event" and announced["startTime"]

    # The peer replies; the editors see the reply.
    servers.peer_call(
        world.peer_port,
        "reply",
        {"inReplyTo": bulletin_id, "content": "<p>¡Saludos desde Fedify!</p>"},
    )
    reply = _until(
        world, lambda: Reaction.objects.filter(kind="reply").first(), "the reply in Minga"
    )
    assert "Saludos desde Fedify" in reply.content_html and reply.bulletin_id == bulletin.pk

    # Edits and deletions reach it.
    comms_services.bulletin_update(
        actor=editor,
        bulletin=bulletin,
        data=comms_services.BulletinData(
            title="Cosecha comunal (corregido)", body="Maíz y frijol.", language="es"
        ),
    )
    [updated] = _until(
        world, lambda: _received(world, "Update", bulletin_id), "the Update at the peer"
    )
    assert updated["name"] == "Cosecha comunal (corregido)"
    comms_services.bulletin_withdraw(actor=editor, bulletin=bulletin)
    _until(world, lambda: _received(world, "Delete", bulletin_id), "the Delete at the peer")

    # The organization follows the peer's account (WebFinger on the peer), is accepted,
    # and shows what it posts.
    bob = services.webfinger(f"@bob@127.0.0.1:{world.peer_port}")
    ours = services.follow_create(actor=editor, organization=organization, target=bob)
    _until(
        world,
        lambda: Follow.objects.filter(pk=ours.pk, state="accepted").exists(),
        "the peer's Accept",
    )
    servers.peer_call(world.peer_port, "post", {"content": "<p>Noticias del nodo Fedify</p>"})
    remote = _until(
        world, lambda: Bulletin.objects.filter(remote_actor=bob).first(), "the peer's post in Minga"
    )
    assert "Noticias del nodo Fedify" in remote.body_html
    page = world.get(f"/comms/o/{organization.slug}/network/")
    assert "Noticias del nodo Fedify" in page and f"127.0.0.1:{world.peer_port}" in page
