"""Adopted proposals become resolutions or declarations; organizations endorse and withdraw."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from minga.assemblies import services
from minga.assemblies.models import Declaration, Endorsement
from minga.common.errors import DomainError
from tests import factories

from .conftest import Congress, after_close, open_window, proposal_to_vote

API = "/api/v1/assemblies"


def _adopted(congress: Congress) -> Any:
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        **open_window(),
    )
    for delegate in congress.delegates:
        services.ballot_cast(actor=delegate, vote=vote, contents={"option": "yes"})
    services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    proposal.refresh_from_db()
    return proposal


def test_only_adopted_proposals_are_published_once(congress: Congress) -> None:
    """A proposal still in debate is refused; an adopted one is published once."""
    pending = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="P",
        text="x",
    )
    with pytest.raises(DomainError):
        services.declaration_publish(actor=congress.chair, proposal=pending)
    proposal = _adopted(congress)
    first = services.declaration_publish(
        actor=congress.chair, proposal=proposal, kind="declaration"
    )
    again = services.declaration_publish(actor=congress.chair, proposal=proposal)
    assert first.pk == again.pk and first.text == "Creamos un fondo común."
    assert Declaration.objects.count() == 1


def test_endorsement_by_role_holder_withdrawal_kept_in_history(congress: Congress) -> None:
    """A spokesperson signs (twice is once), withdraws with a reason, and may sign again;
    the withdrawn signature stays with its dates. Someone without a role is refused."""
    declaration = services.declaration_publish(actor=congress.chair, proposal=_adopted(congress))
    speaker = congress.delegates[0]
    first = services.endorsement_add(
        actor=speaker, declaration=declaration, organization=congress.orgs[0]
    )
    assert (
        services.endorsement_add(
            actor=speaker, declaration=declaration, organization=congress.orgs[0]
        ).pk
        == first.pk
    )
    with pytest.raises(PermissionDenied):
        services.endorsement_add(
            actor=congress.outsider, declaration=declaration, organization=congress.orgs[1]
        )
    with pytest.raises(DomainError):
        services.endorsement_add(
            actor=speaker, declaration=declaration, organization=congress.orgs[1]
        )
    services.endorsement_withdraw(actor=speaker, endorsement=first, reason="Cambio de postura")
    services.endorsement_add(actor=speaker, declaration=declaration, organization=congress.orgs[0])
    rows = list(Endorsement.objects.order_by("id").values_list("withdrawn_at", "withdrawal_reason"))
    assert rows[0][0] is not None and rows[0][1] == "Cambio de postura"
    assert rows[1] == (None, "")


def test_plain_member_cannot_speak_for_the_organization(congress: Congress) -> None:
    """A person with a plain member role does not endorse for the organization: the rule
    refuses them before anything is written."""
    declaration = services.declaration_publish(actor=congress.chair, proposal=_adopted(congress))
    member = factories.person("miembro")
    factories.role(member, congress.orgs[2], "member")
    with pytest.raises(PermissionDenied):
        services.endorsement_add(
            actor=member, declaration=declaration, organization=congress.orgs[2]
        )
    assert not Endorsement.objects.exists()


def test_declaration_pages_and_api(client: Client, congress: Congress) -> None:
    """Publish from the proposal page, sign from the declaration page, read the public list."""
    proposal = _adopted(congress)
    chair = factories.verified_client(congress.chair)
    response = chair.post(
        reverse("assemblies:declaration_publish", args=[proposal.uuid]), {"kind": "declaration"}
    )
    declaration = Declaration.objects.get()
    assert response.status_code == 302 and declaration.kind == "declaration"
    speaker = Client()
    speaker.force_login(congress.delegates[1])
    speaker.post(
        reverse("assemblies:endorsement_add", args=[declaration.uuid]),
        {"organization": str(congress.orgs[1].uuid)},
    )
    page = client.get(declaration.get_absolute_url()).content.decode()
    assert "Comuna 2" in page
    secret = factories.api_token(congress.delegates[2])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    signed = api.post(
        f"{API}/declarations/{declaration.uuid}/endorsements",
        data=json.dumps({"organization": str(congress.orgs[2].uuid)}),
        content_type="application/json",
    )
    assert signed.status_code == 201
    listed = client.get(f"{API}/declarations/{declaration.uuid}/endorsements").json()
    assert [row["organization_name"] for row in listed] == ["Comuna 2", "Comuna 3"]
    assert client.get(f"{API}/declarations").json()["items"][0]["signatory_count"] == 2
    withdrawn = api.post(
        f"{API}/endorsements/{signed.json()['uuid']}/withdraw",
        data=json.dumps({"reason": "x"}),
        content_type="application/json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    refused = Client().post(
        f"{API}/proposals/{proposal.uuid}/declaration",
        data=json.dumps({}),
        content_type="application/json",
    )
    assert refused.status_code == 401


def test_signing_and_withdrawing_on_the_page_say_what_happened(congress: Congress) -> None:
    """After endorsing from the page, a message says the organization now endorses the
    declaration; withdrawing says it no longer does. A speaker for one organization finds it
    chosen already, with no list to pick from."""
    declaration = services.declaration_publish(actor=congress.chair, proposal=_adopted(congress))
    speaker = Client()
    speaker.force_login(congress.delegates[1])
    form = speaker.get(declaration.get_absolute_url()).content.decode()
    assert f'type="hidden" name="organization" value="{congress.orgs[1].uuid}"' in form
    signed = speaker.post(
        reverse("assemblies:endorsement_add", args=[declaration.uuid]),
        {"organization": str(congress.orgs[1].uuid)},
        follow=True,
    )
    assert "Comuna 2 now endorses this declaration." in signed.content.decode()
    endorsement = Endorsement.objects.get()
    withdrawn = speaker.post(
        reverse("assemblies:endorsement_withdraw", args=[endorsement.uuid]),
        {"reason": "x"},
        follow=True,
    )
    assert "Comuna 2 no longer endorses this declaration." in withdrawn.content.decode()
