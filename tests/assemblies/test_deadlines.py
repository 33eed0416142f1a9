"""Deadlines hold everywhere: an amendment window closes by itself, a past meeting takes no
check-ins and its quorum never changes afterwards."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.assemblies import selectors, services, tasks
from minga.assemblies.models import Attendance, Meeting, Proposal
from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from tests import factories

from .conftest import Congress

API = "/api/v1/assemblies"


def _open_proposal(congress: Congress) -> Proposal:
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="Fondo común",
        text="Creamos un fondo común.",
    )
    services.proposal_transition(actor=congress.chair, proposal=proposal, to_status="open")
    return Proposal.objects.get(pk=proposal.pk)


def _past_window(proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(
        amendments_close_at=timezone.now() - timedelta(minutes=1)
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_past_amendment_window_reads_as_debate_everywhere(congress: Congress) -> None:
    """Past its window a proposal shows no "open for amendments" and no amendment button, on
    its page, in the list (and its filters) and in the API, before any task has run."""
    proposal = _open_proposal(congress)
    author = _client(congress.delegates[1])
    page = author.get(proposal.get_absolute_url()).content.decode()
    assert (
        "Open for amendments" in page
        and reverse("assemblies:amendment_new", args=[proposal.uuid]) in page
    )
    _past_window(proposal)
    page = author.get(proposal.get_absolute_url()).content.decode()
    assert "In debate" in page and "Open for amendments</span>" not in page
    assert reverse("assemblies:amendment_new", args=[proposal.uuid]) not in page
    listing = Client().get(reverse("assemblies:proposals", args=["congreso"]))
    assert "In debate" in listing.content.decode()
    still_open = Client().get(
        reverse("assemblies:proposals", args=["congreso"]), {"status": "open"}
    )
    assert proposal.title not in still_open.content.decode()
    api = Client().get(f"{API}/proposals/{proposal.uuid}").json()
    assert api["status"] == "debate"
    assert Client().get(f"{API}/proposals", {"status": "open"}).json()["count"] == 0
    assert author.get(reverse("assemblies:amendment_new", args=[proposal.uuid])).status_code == 403


def test_background_step_moves_proposals_on_at_the_deadline_once(congress: Congress) -> None:
    """The task persists the move to debate for every proposal past its window, audited once;
    running it twice changes nothing more; proposals still in their window stay open."""
    late = _open_proposal(congress)
    early = _open_proposal(congress)
    _past_window(late)
    assert tasks.close_amendment_windows.call() == 1
    assert tasks.close_amendment_windows.call() == 0
    late.refresh_from_db()
    early.refresh_from_db()
    assert late.status == "debate" and early.status == "open"
    moves = AuditEntry.objects.filter(
        action="assemblies.proposal.transition", object_id=str(late.pk), reason="deadline"
    )
    assert moves.count() == 1 and moves.get().changes == {"status": ["open", "debate"]}
    call_command("assemblies_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_moves_made_after_the_deadline_start_from_debate(congress: Congress) -> None:
    """A person acting after the deadline acts on the proposal in debate: amending is refused,
    sending to vote works, and reopening gives a new window."""
    proposal = _open_proposal(congress)
    _past_window(proposal)
    with pytest.raises(DomainError):
        services.amendment_propose(
            actor=congress.delegates[1],
            proposal=proposal,
            base_version=selectors.current_version(proposal),
            new_text="Otro texto.",
            on_behalf_of=congress.orgs[1],
        )
    services.proposal_transition(actor=congress.chair, proposal=proposal, to_status="open")
    proposal.refresh_from_db()
    assert proposal.status == "open" and proposal.amendments_close_at > timezone.now()


def _meeting(congress: Congress, *, ago: timedelta) -> Meeting:
    ends = timezone.now() - ago
    return services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="Sesión",
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
        place="Caracas",
    )


def test_check_in_after_the_meeting_ended_is_refused_everywhere(congress: Congress) -> None:
    """Checking in (or registering) for a meeting that has ended is refused by the service,
    the page and the API; no attendance is recorded."""
    meeting = _meeting(congress, ago=timedelta(minutes=5))
    with pytest.raises(DomainError) as refused:
        services.attendance_check_in(actor=congress.delegates[0], meeting=meeting)
    assert refused.value.field == "meeting"
    with pytest.raises(DomainError):
        services.attendance_register(actor=congress.delegates[0], meeting=meeting)
    _client(congress.delegates[1]).post(reverse("assemblies:meeting_check_in", args=[meeting.uuid]))
    secret = factories.api_token(congress.delegates[2])
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"{API}/meetings/{meeting.uuid}/check-in",
        data=json.dumps({}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["field"] == "meeting"
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_quorum_of_a_past_meeting_never_changes(congress: Congress) -> None:
    """After a meeting, new seats, heavier seats and new rules leave its quorum as it was."""
    meeting = _meeting(congress, ago=timedelta(days=-1))
    meeting = Meeting.objects.get(pk=meeting.pk)
    moment = meeting.starts_at + timedelta(minutes=5)
    services.attendance_check_in(actor=congress.delegates[2], meeting=meeting, now=moment)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    meeting.refresh_from_db()
    before = selectors.meeting_quorum(meeting)
    newcomer = factories.organization(name="Comuna 4")
    factories.membership(newcomer, congress.network)
    services.body_membership_add(
        actor=congress.chair, body=congress.body, organization=newcomer, weight=5
    )
    services.body_membership_add(
        actor=congress.chair, body=congress.body, organization=congress.orgs[0], weight=4
    )
    meeting.refresh_from_db()
    after = selectors.meeting_quorum(meeting)
    assert after == before
    assert before.total_members == 3 and before.present_members == 1
