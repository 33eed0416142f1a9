"""Email digests (double opt-in, in the subscriber's language, one-click unsubscribe, sent
by the worker) and the RSS, Atom and podcast feeds — public content only, always."""

from __future__ import annotations

import io
import wave
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.stator import run_once
from minga.comms import services
from minga.comms.models import Subscription
from tests import factories
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db


def _link(body: str, marker: str) -> str:
    return next(word for word in body.split() if marker in word).replace(
        "http://127.0.0.1:8000", ""
    )


def test_double_opt_in_then_a_digest_in_the_subscribers_language_then_one_click_out() -> None:
    organization, editor, _writer = comms.newsroom()
    client = Client()
    response = client.post(
        reverse("comms:subscribe", args=[organization.slug]),
        {"email": "ana@example.org", "frequency": "weekly", "language": "pt"},
    )
    assert response.status_code == 302 and not mail.outbox
    run_once()
    [confirmation] = mail.outbox
    assert confirmation.to == ["ana@example.org"] and "Radio del Sur" in confirmation.subject
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm = _link(confirmation.body, "/confirm/")
    # Opening the link (a mail scanner) subscribes nobody; the button does.
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get().state == "awaiting"
    client.post(confirm)
    subscription = Subscription.objects.get()
    assert subscription.state == "active"
    # Something is published: a public bulletin with a Portuguese translation, and a
    # restricted one that no email may carry.
    bulletin = comms.bulletin(organization, title="Cosecha", body="Texto")
    [translation] = services.translation_request(actor=editor, bulletin=bulletin, languages=["pt"])
    translator = factories.person("tr")
    services.volunteer_register(actor=translator, languages=["pt"])
    translation = services.translation_claim(actor=translator, translation=translation)
    translation = services.translation_save(
        actor=translator, translation=translation, title="Colheita", text="Texto pt"
    )
    translation = services.translation_submit(actor=translator, translation=translation)
    services.translation_approve(actor=editor, translation=translation)
    comms.bulletin(organization, title="Solo miembros", visibility=Visibility.SERVER)
    mail.outbox.clear()
    run_once(now=subscription.next_attempt_at + timedelta(seconds=1))
    [digest] = mail.outbox
    assert "Colheita" in digest.body and "Solo miembros" not in digest.body
    assert "Solo miembros" not in digest.alternatives[0][0]
    assert digest.extra_headers["List-Unsubscribe"].startswith("<http")
    # Nothing new: no email, but the next look is scheduled.
    mail.outbox.clear()
    subscription.refresh_from_db()
    run_once(now=subscription.next_attempt_at + timedelta(seconds=1))
    assert not mail.outbox
    # One click (RFC 8058), without a session or a CSRF token.
    unsubscribe = (
        digest.extra_headers["List-Unsubscribe"].strip("<>").replace("http://127.0.0.1:8000", "")
    )
    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe, {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    assert Subscription.objects.get().state == "unsubscribed"


def test_asking_twice_reveals_nothing_and_sends_one_confirmation() -> None:
    organization, _editor, _writer = comms.newsroom()
    first = services.subscription_request(
        organization=organization, email="b@example.org", language="es", frequency="daily"
    )
    second = services.subscription_request(
        organization=organization, email="B@example.org", language="es", frequency="daily"
    )
    assert first.pk == second.pk
    run_once()
    assert len(mail.outbox) == 1
    with pytest.raises(DomainError) as refusal:
        services.subscription_request(
            organization=organization, email="not-an-address", language="es", frequency="daily"
        )
    assert refusal.value.code == "bad_email"


def _xml(response: Any) -> ElementTree.Element:
    return ElementTree.fromstring(response.content)  # noqa: S314 — our own feed, in a test


def test_rss_and_atom_feeds_carry_public_bulletins_only() -> None:
    organization, _editor, _writer = comms.newsroom()
    comms.bulletin(organization, title="Pública", tags=["agua"])
    comms.bulletin(organization, title="Interna", visibility=Visibility.SERVER, tags=["agua"])
    comms.bulletin(organization, title="Borrador", publish=False, tags=["agua"])
    hidden = factories.organization(slug="escondida", visibility=Visibility.SERVER)
    comms.bulletin(hidden, title="Escondida", tags=["agua"])
    client = Client()
    for url in (
        reverse("comms:rss"),
        reverse("comms:organization_rss", args=[organization.slug]),
        reverse("comms:tag_rss", args=["agua"]),
        reverse("comms:language_rss", args=["es"]),
    ):
        titles = [item.findtext("title") for item in _xml(client.get(url)).iter("item")]
        assert titles == ["Pública"], url
    atom = _xml(client.get(reverse("comms:atom")))
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["Pública"]
    assert client.get(reverse("comms:organization_rss", args=["escondida"])).status_code == 404


def test_the_podcast_feed_has_itunes_tags_and_enclosures() -> None:
    organization, editor, _writer = comms.newsroom()
    programme = services.programme_save(
        actor=editor,
        organization=organization,
        data=services.ProgrammeData(title="La voz del barrio", category="News"),
    )
    episode = comms.bulletin(organization, title="Episodio 1", publish=False, programme=programme)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000 * 65)
    services.media_add(
        actor=editor,
        bulletin=episode,
        upload=SimpleUploadedFile("e.wav", buffer.getvalue()),
        title="Episodio 1",
    )
    services.bulletin_publish(actor=editor, bulletin=episode)
    comms.bulletin(organization, title="Sin audio")
    response = Client().get(reverse("comms:programme_podcast", args=[programme.uuid]))
    root = _xml(response)
    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
    channel = root.find("channel")
    assert channel is not None and channel.findtext("title") == "La voz del barrio"
    assert channel.find(f"{itunes}category").get("text") == "News"
    [item] = channel.findall("item")
    enclosure = item.find("enclosure")
    assert enclosure is not None and enclosure.get("type") == "audio/wav"
    assert int(enclosure.get("length")) > 100_000 and enclosure.get("url").startswith("http")
    assert item.findtext(f"{itunes}duration") == "00:01:05"
    organization_feed = _xml(
        Client().get(reverse("comms:organization_podcast", args=[organization.slug]))
    )
    assert [i.findtext("title") for i in organization_feed.iter("item")] == ["Episodio 1"]


def test_scheduled_bulletins_stay_out_of_feeds_until_published() -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization, title="Mañana", publish=False)
    services.bulletin_publish(
        actor=editor, bulletin=bulletin, at=timezone.now() + timedelta(days=1)
    )
    titles = [
        item.findtext("title") for item in _xml(Client().get(reverse("comms:rss"))).iter("item")
    ]
    assert "Mañana" not in titles
