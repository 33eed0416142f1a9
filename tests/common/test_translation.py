"""The translation workflow every module shares: stages, statuses, and the machine backend."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minga.common.errors import DomainError
from minga.common.translation import (
    TRANSITIONS,
    TranslationStage,
    TranslationStatus,
    best_translation,
    language_tag,
    machine_translator,
    move,
)


class Draft:
    """The fields of a translation the workflow reads and writes, without a table."""

    def __init__(self, stage: str = TranslationStage.REQUESTED, text: str = "") -> None:
        self.stage = stage
        self.text = text
        self.language = "pt"
        self.machine = False
        self.translator: Any = None
        self.reviewer: Any = None
        self.submitted_at: Any = None
        self.reviewed_at: Any = None

    @property
    def reviewer_id(self) -> Any:
        return self.reviewer

    @property
    def is_published(self) -> bool:
        return self.stage == TranslationStage.PUBLISHED

    status = property(lambda self: _status(self))


def _status(draft: Draft) -> TranslationStatus:
    from minga.common.translation import Translation

    return Translation.status.fget(draft)  # type: ignore[attr-defined, no-any-return]


def test_a_translation_goes_from_request_to_reviewed() -> None:
    draft = Draft()
    move(draft, "claim", actor="tradutora")  # type: ignore[arg-type]
    assert draft.translator == "tradutora" and draft.stage == TranslationStage.IN_PROGRESS
    draft.text = "Sementes nativas"
    move(draft, "submit", actor="tradutora")  # type: ignore[arg-type]
    assert draft.status == TranslationStatus.HUMAN and draft.submitted_at is not None
    move(draft, "approve", actor="revisor")  # type: ignore[arg-type]
    assert draft.stage == TranslationStage.PUBLISHED
    assert draft.status == TranslationStatus.REVIEWED


def test_an_empty_translation_cannot_be_submitted() -> None:
    draft = Draft(stage=TranslationStage.IN_PROGRESS, text="   ")
    with pytest.raises(DomainError) as error:
        move(draft, "submit", actor="x")  # type: ignore[arg-type]
    assert error.value.field == "text"
    assert draft.stage == TranslationStage.IN_PROGRESS


@given(
    stage=st.sampled_from(list(TranslationStage)),
    action=st.sampled_from(["claim", "release", "submit", "approve", "send_back", "revise"]),
)
def test_only_the_documented_steps_happen(stage: str, action: str) -> None:
    """A step the workflow does not allow is refused and changes nothing."""
    draft = Draft(stage=stage, text="texto")
    allowed = (stage, action) in TRANSITIONS
    if allowed:
        move(draft, action, actor="x")  # type: ignore[arg-type]
        assert draft.stage == TRANSITIONS[(stage, action)]
    else:
        with pytest.raises(DomainError):
            move(draft, action, actor="x")  # type: ignore[arg-type]
        assert draft.stage == stage


def test_readers_see_only_published_translations_in_their_language() -> None:
    submitted = Draft(stage=TranslationStage.SUBMITTED)
    published = Draft(stage=TranslationStage.PUBLISHED)
    assert best_translation([submitted], "pt-BR") is None
    assert best_translation([submitted, published], "pt-BR") is published
    assert best_translation([published], "fr") is None


def test_without_a_configured_server_there_is_no_machine_translation(settings: Any) -> None:
    settings.LIBRETRANSLATE_URL = ""
    assert machine_translator() is None


class _LibreTranslate(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = {"translatedText": f"[{body['target']}] {body['q']}"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_configured_libretranslate_server_prefills_drafts(settings: Any) -> None:
    """Talks LibreTranslate's /translate protocol to a server on loopback."""
    server = HTTPServer(("127.0.0.1", 0), _LibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.LIBRETRANSLATE_URL = f"http://127.0.0.1:{server.server_port}"
        translate = machine_translator()
        assert translate is not None
        assert translate("semillas", "es", "pt") == "[pt] semillas"
        settings.LIBRETRANSLATE_URL = "http://127.0.0.1:9"  # nothing listens there
        with pytest.raises(DomainError) as error:
            machine_translator()("x", "es", "pt")  # type: ignore[misc]
        assert error.value.code == "machine_translation_unavailable"
    finally:
        server.shutdown()


@pytest.mark.parametrize("tag", ["es", "pt-BR", "ht", "quc", "zh-Hant-TW"])
def test_a_language_tag_is_kept_stripped(tag: str) -> None:
    """A well-formed BCP 47 tag comes back without the spaces around it."""
    assert language_tag(f" {tag} ") == tag


@pytest.mark.parametrize("tag", ["", "Spanish", "e", "es_ES", "es-", "<b>"])
def test_a_malformed_language_tag_is_refused_naming_the_field(tag: str) -> None:
    """Anything that is not a tag is refused, naming the field the caller gave."""
    with pytest.raises(DomainError) as refusal:
        language_tag(tag, "translations.language")
    assert refusal.value.code == "unknown_language"
    assert refusal.value.field == "translations.language"
