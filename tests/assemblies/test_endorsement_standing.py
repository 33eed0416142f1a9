"""Only organizations in good standing endorse declarations, and every count of signatories
agrees with the list a reader sees."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.assemblies import services
from minga.assemblies.models import Declaration, Endorsement
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.registry import services as registry_services
from tests import factories

from .conftest import Congress, after_close, open_window, proposal_to_vote

API = "/api/v1/assemblies"


def _declaration(congress: Congress) -> Declaration:
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
    return services.declaration_publish(actor=congress.chair, proposal=proposal)


def _join_form_organization(congress: Congress, name: str) -> tuple[Any, Any]:
    """What anyone can do: register an organization through the join form (pending)."""
    applicant = factories.person(f"solicitante-{name.lower().replace(' ', '-')}")
    relation = registry_services.join_request_submit(
        actor=applicant,
        network=congress.network,
        data=registry_services.OrganizationData(
            name=name, kind="cooperative", country="VE", region="south-america"
        ),
        motivation="Queremos sumarnos.",
    )
    return applicant, relation


def test_organization_with_a_pending_join_request_cannot_endorse(congress: Congress) -> None:
    """An organization registered through the join form is refused while its request is
    pending (naming the organization), through the service, the page and the API; once a
    coordinator approves the membership it may endorse."""
    declaration = _declaration(congress)
    applicant, relation = _join_form_organization(congress, "Cooperativa Fantasma")
    organization = relation.member
    with pytest.raises(DomainError) as refused:
        services.endorsement_add(
            actor=applicant, declaration=declaration, organization=organization
        )
    assert refused.value.field == "organization"
    assert "Cooperativa Fantasma" in refused.value.message
    page = Client()
    page.force_login(applicant)
    page.post(
        reverse("assemblies:endorsement_add", args=[declaration.uuid]),
        {"organization": str(organization.uuid)},
    )
    secret = factories.api_token(applicant)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = api.post(
        f"{API}/declarations/{declaration.uuid}/endorsements",
        data=json.dumps({"organization": str(organization.uuid)}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["field"] == "organization"
    assert not Endorsement.objects.filter(organization=organization).exists()
    registry_services.relation_approve(actor=congress.chair, relation=relation)
    services.endorsement_add(actor=applicant, declaration=declaration, organization=organization)
    assert Endorsement.objects.filter(organization=organization).count() == 1


def test_signatory_counts_agree_with_the_lists_every_reader_sees(congress: Congress) -> None:
    """The count on the body page and in the API equals the standing signatures listed to
    that reader, also when a signatory is hidden from the reader."""
    declaration = _declaration(congress)
    for index in range(3):
        services.endorsement_add(
            actor=congress.delegates[index],
            declaration=declaration,
            organization=congress.orgs[index],
        )
    hidden = congress.orgs[2]
    hidden.visibility = Visibility.CUSTODIANS
    hidden.save()
    withdrawn = Endorsement.objects.get(organization=congress.orgs[0])
    services.endorsement_withdraw(actor=congress.delegates[0], endorsement=withdrawn)
    for reader in (Client(), _signed_in(congress.delegates[2])):
        listed = reader.get(f"{API}/declarations/{declaration.uuid}/endorsements").json()
        standing = [row for row in listed if row["withdrawn_at"] is None]
        counted = reader.get(f"{API}/declarations/{declaration.uuid}").json()["signatory_count"]
        assert counted == len(standing)
        page = reader.get(reverse("assemblies:declaration", args=[declaration.uuid])).content
        body = reader.get(reverse("assemblies:body", args=["congreso"])).content.decode()
        assert f"{counted} signator" in body and page.decode().count('class="signatory"') == counted
    assert Client().get(f"{API}/declarations/{declaration.uuid}").json()["signatory_count"] == 1


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_endorse_form_offers_only_organizations_in_good_standing(congress: Congress) -> None:
    """The declaration page offers a spokesperson only the organizations that may endorse."""
    declaration = _declaration(congress)
    applicant, relation = _join_form_organization(congress, "Cooperativa Nueva")
    factories.role(applicant, congress.orgs[1], "spokesperson")
    page = _signed_in(applicant).get(declaration.get_absolute_url()).content.decode()
    assert str(congress.orgs[1].uuid) in page and str(relation.member.uuid) not in page
