"""The API of working tables, early closing, translations, documents and debates."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from minga.assemblies import services
from minga.assemblies.models import Vote
from tests import factories

from .conftest import Congress, open_window, proposal_to_vote

API = "/api/v1/assemblies"


def _token(user: Any) -> Client:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


def test_working_table_report_through_the_api(congress: Congress) -> None:
    """Anyone reads a public meeting's tables; only the rapporteur writes the report."""
    now = timezone.now()
    meeting = services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="Sesión",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        place="Caracas",
        agenda=["Uno"],
    )
    table = services.working_table_create(
        actor=congress.chair,
        meeting=meeting,
        name="Mesa",
        agenda_items=list(meeting.agenda_items.all()),
        rapporteur=congress.delegates[0],
    )
    assert _post(_token(congress.delegates[1]), f"/tables/{table.uuid}/report", {"report": "x"}).status_code == 403  # fmt: skip
    written = _post(
        _token(congress.delegates[0]), f"/tables/{table.uuid}/report", {"report": "*ok*"}
    )
    assert written.status_code == 200 and "<em>ok</em>" in written.json()["report_html"]
    listed = Client().get(f"{API}/meetings/{meeting.uuid}/tables").json()
    assert listed[0]["name"] == "Mesa" and listed[0]["agenda_items"] == [1]


def test_close_now_through_the_api(congress: Congress) -> None:
    """A delegate may not close a vote early (403); the chair's token closes and counts it."""
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Fondo",
        method="majority",
        proposal=proposal,
        **open_window(),
    )
    assert _post(_token(congress.delegates[0]), f"/votes/{vote.uuid}/close-now", {}).status_code == 403  # fmt: skip
    response = _post(_token(congress.chair), f"/votes/{vote.uuid}/close-now", {})
    assert response.status_code == 200 and Vote.objects.get().closed_at is not None


def test_translations_documents_and_debates_through_the_api(congress: Congress) -> None:
    """Translations are saved and listed; documents listed; debates opened and discussed;
    a refusal names its field."""
    proposal = proposal_to_vote(congress)
    client = _token(congress.delegates[0])
    path = f"/proposals/{proposal.uuid}/translations"
    saved = _post(client, path, {"language": "pt", "text": "Criamos um fundo."})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    refused = _post(client, path, {"language": "es", "text": "x"})
    assert refused.status_code == 422 and refused.json()["field"] == "language"
    assert Client().get(f"{API}{path}").json()[0]["language"] == "pt"
    assert Client().get(f"{API}/proposals/{proposal.uuid}/documents").json() == []
    opened = _post(client, "/bodies/congreso/debates", {"title": "Agua"})
    assert opened.status_code == 201
    uuid = opened.json()["uuid"]
    assert _post(client, f"/debates/{uuid}/comments", {"text": "Hola"}).status_code == 201
    assert _post(_token(congress.outsider), f"/debates/{uuid}/comments", {"text": "x"}).status_code == 403  # fmt: skip
    listed = Client().get(f"{API}/bodies/congreso/debates").json()
    assert listed["count"] == 1 and listed["items"][0]["comment_count"] == 1
    assert Client().get(f"{API}/debates/{uuid}/comments").json()["count"] == 1
