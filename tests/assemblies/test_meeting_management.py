"""Managers run meetings and open votes from plain pages and the API; minutes are sanitized."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.assemblies.models import Attendance, Meeting, MeetingDecision, Vote
from tests import factories

from .conftest import Congress, proposal_to_vote

API = "/api/v1/assemblies"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(user: Any) -> Client:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Client, path: str, payload: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(payload), content_type="application/json"
    )


def _form_time(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_manager_creates_meeting_with_agenda_minutes_and_decision(congress: Congress) -> None:
    """From the pages: a meeting with its agenda, an added item, minutes and a decision,
    whose Markdown is rendered without scripts."""
    chair = factories.verified_client(congress.chair)
    start = timezone.now() + timedelta(days=1)
    response = chair.post(
        reverse("assemblies:meeting_new", args=["congreso"]),
        {
            "title": "Sesión",
            "starts_at": _form_time(start),
            "ends_at": _form_time(start + timedelta(hours=2)),
            "online_url": "https://meet.example.org/sesion",
            "agenda": "Apertura\nInforme\n",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Apertura", "Informe"]
    manage = reverse("assemblies:meeting_manage", args=[meeting.uuid])
    chair.post(manage, {"part": "agenda", "title": "Varios"})
    chair.post(
        manage,
        {"part": "minutes", "minutes": "Acta <script>alert(1)</script> **ok**", "language": "es"},
    )
    item = meeting.agenda_items.get(position=1)
    chair.post(manage, {"part": "decision", "agenda_item": item.pk, "text": "Se *aprueba*."})
    assert meeting.agenda_items.count() == 3 and MeetingDecision.objects.count() == 1
    page = Client().get(meeting.get_absolute_url()).content.decode()
    assert "<strong>ok</strong>" in page and "<script>alert" not in page
    assert "<em>aprueba</em>" in page


def test_delegate_cannot_manage_meetings(congress: Congress) -> None:
    """A delegate gets 403 from the management forms and nothing changes."""
    start = timezone.now()
    delegate = _client(congress.delegates[0])
    response = delegate.post(
        reverse("assemblies:meeting_new", args=["congreso"]),
        {
            "title": "X",
            "starts_at": _form_time(start),
            "ends_at": _form_time(start + timedelta(hours=1)),
            "place": "Aquí",
        },
    )
    assert response.status_code == 403 and not Meeting.objects.exists()


def test_registration_then_check_in(congress: Congress) -> None:
    """A delegate registers (201, then 200) and later checks in on the same attendance."""
    start = timezone.now()
    created = _post(
        _token(congress.chair),
        "/meetings",
        {
            "body": "congreso",
            "title": "S",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "place": "Barquisimeto",
            "agenda": ["Apertura"],
        },
    )
    uuid = created.json()["uuid"]
    client = _token(congress.delegates[1])
    assert _post(client, f"/meetings/{uuid}/register", {}).status_code == 201
    assert _post(client, f"/meetings/{uuid}/register", {}).status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at is None
    assert _post(client, f"/meetings/{uuid}/check-in", {}).status_code == 201
    attendance.refresh_from_db()
    assert attendance.checked_in_at is not None and Attendance.objects.count() == 1


def test_api_minutes_and_decisions(congress: Congress) -> None:
    """Managers write minutes and record decisions under agenda items through the API."""
    start = timezone.now()
    chair = _token(congress.chair)
    uuid = _post(
        chair,
        "/meetings",
        {
            "body": "congreso",
            "title": "S",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "place": "Mérida",
            "agenda": ["Apertura"],
        },
    ).json()["uuid"]
    assert _post(chair, f"/meetings/{uuid}/agenda", {"title": "Fondo"}).status_code == 201
    minutes = _post(chair, f"/meetings/{uuid}/minutes", {"minutes": "<b>x</b> *y*"}, method="put")
    assert "<em>y</em>" in minutes.json()["minutes_html"]
    assert (
        _post(chair, f"/meetings/{uuid}/decisions", {"position": 2, "text": "**Sí**"}).status_code
        == 201
    )
    agenda = Client().get(f"{API}/meetings/{uuid}").json()["agenda"]
    assert agenda[1]["decisions_html"] == ["<p><strong>Sí</strong></p>"]
    refused = _post(
        _token(congress.delegates[0]), f"/meetings/{uuid}/decisions", {"position": 1, "text": "x"}
    )
    assert refused.status_code == 403


def test_manager_opens_vote_on_proposal_from_page(congress: Congress) -> None:
    """The vote form opens a vote on a proposal sent to vote, with the rules in force."""
    proposal = proposal_to_vote(congress)
    now = timezone.now()
    response = factories.verified_client(congress.chair).post(
        reverse("assemblies:vote_new", args=["congreso"]) + f"?proposal={proposal.uuid}",
        {
            "title": "Fondo",
            "method": "majority",
            "opens_at": _form_time(now - timedelta(minutes=5)),
            "closes_at": _form_time(now + timedelta(hours=1)),
            "secret": "on",
            "seats": 1,
        },
    )
    vote = Vote.objects.get()
    assert response.status_code == 302
    assert vote.proposal == proposal and vote.secret and vote.rules.version == 1
    assert vote.choices == ["yes", "no", "abstain"]
