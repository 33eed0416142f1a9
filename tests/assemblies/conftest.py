"""A Congress with rules, three seated members and their accredited delegates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from minga.assemblies import services
from minga.assemblies.models import BodyMembership, BodyRules, Proposal
from minga.registry.models import Body, DelegateAccreditation
from tests import factories


@dataclass
class Congress:
    network: Any
    body: Body
    rules: BodyRules
    chair: Any
    orgs: list[Any]
    seats: list[BodyMembership]
    delegates: list[Any]
    outsider: Any


def accredit(person: Any, organization: Any, body: Body) -> DelegateAccreditation:
    today = timezone.localdate()
    return DelegateAccreditation.objects.create(
        person=person,
        organization=organization,
        body=body,
        term_start=today - timedelta(days=10),
        term_end=today + timedelta(days=300),
    )


@pytest.fixture
def congress(db: None) -> Congress:
    network = factories.organization(kind="network", name="Red", slug="red")
    chair = factories.person("presidenta")
    factories.role(chair, network, "coordinator")
    body = Body.objects.create(
        organization=network, kind="congress", slug="congreso", name="Congreso"
    )
    rules = services.body_rules_establish(
        actor=chair,
        body=body,
        data=services.RulesData(
            quorum="1/2",
            allowed_methods=[
                "majority",
                "qualified",
                "consent",
                "stv",
                "irv",
                "schulze",
                "approval",
                "score",
            ],
            proposers="delegates",
            amendment_window_days=7,
            delegation_allowed=True,
        ),
    )
    orgs, seats, delegates = [], [], []
    for number, weight in enumerate((1, 2, 3), start=1):
        org = factories.organization(name=f"Comuna {number}", slug=f"comuna-{number}")
        factories.membership(org, network)
        seat = services.body_membership_add(
            actor=chair,
            body=body,
            organization=org,
            weight=weight,
            started_on=timezone.localdate() - timedelta(days=5),
        )
        delegate = factories.person(f"delegada-{number}")
        factories.role(delegate, org, "spokesperson")
        accredit(delegate, org, body)
        orgs.append(org)
        seats.append(seat)
        delegates.append(delegate)
    outsider = factories.person("observadora")
    return Congress(network, body, rules, chair, orgs, seats, delegates, outsider)


def proposal_to_vote(congress: Congress, *, kind: str = "ordinary", **extra: Any) -> Proposal:
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="Fondo común",
        text="Creamos un fondo común.",
        kind=kind,
        **extra,
    )
    for status in ("open", "debate", "to_vote"):
        services.proposal_transition(actor=congress.chair, proposal=proposal, to_status=status)
    proposal.refresh_from_db()
    return proposal


def open_window() -> dict[str, Any]:
    now = timezone.now()
    return {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(hours=1)}


def after_close() -> Any:
    return timezone.now() + timedelta(hours=2)
