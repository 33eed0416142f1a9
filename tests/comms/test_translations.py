"""The translation workflow on bulletins: request, claim, write, submit, review; readers
see their language with the original one click away; the machine server is optional."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from minga.common.errors import DomainError
from minga.comms import selectors, services
from tests import factories
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db


def _translator(username: str = "traductora", languages: tuple[str, ...] = ("pt",)) -> Any:
    person = factories.person(username)
    services.volunteer_register(actor=person, languages=list(languages))
    return person


def test_the_whole_workflow_and_what_readers_see() -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization, title="Semillas", body="Texto en español.")
    translator = _translator()
    [translation] = services.translation_request(actor=editor, bulletin=bulletin, languages=["pt"])
    assert [t.pk for t in selectors.translations_open_to(translator)] == [translation.pk]
    translation = services.translation_claim(actor=translator, translation=translation)
    translation = services.translation_save(
        actor=translator, translation=translation, title="Sementes", text="Texto em português."
    )
    translation = services.translation_submit(actor=translator, translation=translation)
    # Four eyes: the translator cannot approve their own work.
    with pytest.raises(PermissionDenied):
        services.translation_approve(actor=translator, translation=translation)
    approved = services.translation_approve(actor=editor, translation=translation)
    assert approved.status == "reviewed" and approved.reviewer == editor
    reader = Client(HTTP_ACCEPT_LANGUAGE="pt")
    page = reader.get(bulletin.get_absolute_url()).content.decode()
    assert "Texto em português." in page and "Sementes" in page
    assert "Reviewed translation" in page or "Tradução" in page or "reviewed" in page
    original = reader.get(bulletin.get_absolute_url() + "?lang=original").content.decode()
    assert "Texto en español." in original
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(bulletin.get_absolute_url()).content.decode()
    assert "Texto en español." in spanish


def test_only_volunteers_of_the_language_claim_and_only_the_claimer_writes() -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization)
    [translation] = services.translation_request(actor=editor, bulletin=bulletin, languages=["fr"])
    with pytest.raises(PermissionDenied):
        services.translation_claim(actor=_translator("solo-pt"), translation=translation)
    french = _translator("fr-1", ("fr",))
    translation = services.translation_claim(actor=french, translation=translation)
    with pytest.raises(PermissionDenied):
        services.translation_save(
            actor=_translator("fr-2", ("fr",)), translation=translation, title="", text="x"
        )
    with pytest.raises(DomainError) as refusal:
        services.translation_claim(actor=_translator("fr-3", ("fr",)), translation=translation)
    assert refusal.value.code == "invalid_translation_step"


def test_a_reviewer_of_the_language_may_approve_and_sends_back() -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization)
    [translation] = services.translation_request(actor=editor, bulletin=bulletin, languages=["ht"])
    translator = _translator("tradiktè", ("ht",))
    reviewer = _translator("revizè", ("ht",))
    network = factories.organization(kind="network", slug="red")
    coordinator = factories.person("coord")
    factories.role(coordinator, network, "coordinator")
    volunteer = selectors.volunteer_of(reviewer)
    assert volunteer is not None
    services.volunteer_name_reviewer(actor=coordinator, volunteer=volunteer, languages=["ht"])
    translation = services.translation_claim(actor=translator, translation=translation)
    translation = services.translation_save(
        actor=translator, translation=translation, title="Tit", text="Tèks"
    )
    translation = services.translation_submit(actor=translator, translation=translation)
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # a fresh request
    assert [t.pk for t in selectors.translations_to_review(reviewer)] == [translation.pk]
    back = services.translation_send_back(actor=reviewer, translation=translation, note="Gramè")
    assert back.stage == "in_progress"
    with pytest.raises(DomainError):
        services.volunteer_name_reviewer(actor=coordinator, volunteer=volunteer, languages=["fr"])


def test_requests_into_the_original_language_or_unknown_codes_are_refused() -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization, language="es")
    for languages, code in (
        (["es"], "same_language"),
        (["xx yy"], "bad_language"),
        ([], "no_language"),
    ):
        with pytest.raises(DomainError) as refusal:
            services.translation_request(actor=editor, bulletin=bulletin, languages=languages)
        assert refusal.value.code == code


def test_machine_translation_prefills_only_when_a_server_is_configured(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without LibreTranslate the workflow is human; with it, the draft is pre-filled and
    marked as a machine translation until a person edits it."""
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization, title="Agua", body="El agua es vida.")
    [translation] = services.translation_request(actor=editor, bulletin=bulletin, languages=["pt"])
    translator = _translator()
    translation = services.translation_claim(actor=translator, translation=translation)
    settings.LIBRETRANSLATE_URL = ""
    with pytest.raises(DomainError) as refusal:
        services.translation_prefill(actor=translator, translation=translation)
    assert refusal.value.code == "machine_translation_unavailable"
    settings.LIBRETRANSLATE_URL = "http://127.0.0.1:5000"
    asked: list[dict[str, Any]] = []

    class Answer:
        def __init__(self, body: bytes) -> None:
            self.body = body

        def read(self, _size: int) -> bytes:
            return self.body

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *args: Any) -> None:
            return None

    def fake_urlopen(request: Any, timeout: float) -> Answer:
        payload = json.loads(request.data)
        asked.append(payload)
        return Answer(json.dumps({"translatedText": f"[pt] {payload['q']}"}).encode())

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    filled = services.translation_prefill(actor=translator, translation=translation)
    assert filled.machine and filled.text == "[pt] El agua es vida." and filled.status == "machine"
    assert {(p["source"], p["target"]) for p in asked} == {("es", "pt")}
    edited = services.translation_save(
        actor=translator, translation=filled, title="Água", text="A água é vida."
    )
    assert not edited.machine and edited.status == "human"


def test_the_translation_pages_work_without_javascript() -> None:
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization)
    [translation] = services.translation_request(actor=editor, bulletin=bulletin, languages=["pt"])
    translator = _translator()
    client = Client()
    client.force_login(translator)
    assert "pt" in client.get(reverse("comms:translations")).content.decode()
    client.post(reverse("comms:translation_act", args=[translation.pk]), {"action": "claim"})
    response = client.post(
        reverse("comms:translation", args=[translation.pk]),
        {"title": "Título", "text": "Texto", "summary": "", "then": "submit"},
    )
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.stage == "submitted" and translation.text == "Texto"
