"""Every page of the demo Congress answers for anonymous readers, delegates and managers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.assemblies.demo import load_assemblies_demo
from minga.assemblies.models import (
    Amendment,
    DebateSpace,
    Declaration,
    FollowUpResult,
    Meeting,
    Proposal,
    Vote,
    WorkingTable,
)
from minga.registry.models import Body, DelegateAccreditation
from tests import factories

from .conftest import accredit


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    network = factories.organization(kind="network", slug="confederacion-minga", name="Minga")
    chair = factories.person("demo-chair")
    factories.role(chair, network, "coordinator")
    body = Body.objects.create(organization=network, kind="congress", slug="congreso", name="C")
    for number in range(8):
        org = factories.organization(name=f"Comuna demo {number}")
        person = factories.person(f"demo-delegate-{number}")
        factories.role(person, org, "spokesperson")
        accredit(person, org, body)
    load_assemblies_demo(2026)
    return {"chair": chair, "delegate": DelegateAccreditation.objects.first().person}


def _pages() -> list[str]:
    proposal = Proposal.objects.get(title="Fondo común de semillas")
    meeting = Meeting.objects.get()
    return [
        reverse("assemblies:index"),
        reverse("assemblies:body", args=["congreso"]),
        reverse("assemblies:proposals", args=["congreso"]),
        proposal.get_absolute_url(),
        reverse("assemblies:proposal_diff", args=[proposal.uuid]) + "?from=1&to=2",
        reverse("assemblies:amendment_diff", args=[Amendment.objects.first().uuid]),
        meeting.get_absolute_url(),
        reverse("assemblies:meeting_ics", args=[meeting.uuid]),
        *[vote.get_absolute_url() for vote in Vote.objects.all()],
        reverse("assemblies:vote_receipts", args=[Vote.objects.get(secret=True).uuid]),
        Declaration.objects.get().get_absolute_url(),
        reverse("assemblies:results"),
        FollowUpResult.objects.filter(parent__isnull=True).get().get_absolute_url(),
        proposal.get_absolute_url() + "?lang=ht",
        WorkingTable.objects.get().get_absolute_url(),
        reverse("assemblies:meeting_minutes_export", args=[meeting.uuid, "html"]),
        reverse("assemblies:meeting_minutes_export", args=[meeting.uuid, "pdf"]),
        reverse("assemblies:declaration_export", args=[Declaration.objects.get().uuid, "html"]),
        reverse("assemblies:declaration_export", args=[Declaration.objects.get().uuid, "pdf"]),
        reverse("assemblies:debates", args=["congreso"]),
        DebateSpace.objects.get().get_absolute_url(),
    ]


@pytest.mark.parametrize("who", ["anonymous", "delegate", "chair"])
def test_every_page_answers(demo: dict[str, Any], who: str) -> None:
    """No page fails, whoever reads it."""
    if who == "anonymous":
        client = Client()
    elif who == "chair":
        client = factories.verified_client(demo["chair"])
    else:
        client = Client()
        client.force_login(demo["delegate"])
    for url in _pages():
        assert client.get(url).status_code == 200, url
    if who == "chair":
        meeting = Meeting.objects.get()
        new_table = reverse("assemblies:working_table_new", args=[meeting.uuid])
        assert client.get(new_table).status_code == 200
        for name in ("meeting_new", "vote_new", "result_new", "debate_new"):
            assert client.get(reverse(f"assemblies:{name}", args=["congreso"])).status_code == 200
    if who == "delegate":
        assert client.get(reverse("assemblies:proposal_new", args=["congreso"])).status_code == 200
        proposal = Proposal.objects.get(title="Fondo común de semillas")
        translate = reverse("assemblies:proposal_translate", args=[proposal.uuid])
        assert client.get(translate).status_code == 200
