"""Barter rounds on the platform's offers and needs: cycles become proposed agreements."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from minga.exchange import services
from minga.exchange.models import Agreement, AgreementStatus
from tests import factories
from tests.market import factories as market


@pytest.mark.django_db
def test_a_three_way_cycle_becomes_a_barter_agreement() -> None:
    """A has seeds and needs tools, B tools for textiles, C textiles for seeds: one cycle,
    proposed to all three, each accepts for itself, and it settles on delivery."""
    network = factories.organization(kind="network", name="Red de trueque")
    coordinator = factories.person("coord-trueque")
    factories.role(coordinator, network, "coordinator")
    orgs, people = [], []
    for name in ("A", "B", "C"):
        organization = factories.organization(name=f"Comuna {name}")
        factories.membership(organization, network)
        person = factories.person(f"vocera-{name}")
        factories.role(person, organization, "spokesperson")
        orgs.append(organization)
        people.append(person)
    a, b, c = orgs
    for organization, offer, need in (
        (a, "seeds", "tools"),
        (b, "tools", "textiles"),
        (c, "textiles", "seeds"),
    ):
        market.listing(
            organization, kind="offer", category=offer, title=f"Oferta {offer}", barter_only=True
        )
        market.listing(
            organization, kind="need", category=need, title=f"Necesidad {need}", barter_only=True
        )
    outsider = factories.organization(name="Fuera de la red")
    market.listing(
        outsider, kind="offer", category="tools", title="Herramientas de fuera", barter_only=True
    )

    barter_round = services.barter_round_run(actor=coordinator, network=network)
    assert barter_round.report["items_traded"] == 3
    agreement = Agreement.objects.get(barter_round=barter_round)
    assert agreement.payment == "barter" and agreement.status == AgreementStatus.PROPOSED
    assert {(line.supplier, line.receiver) for line in agreement.lines.all()} == {
        (a, c),
        (c, b),
        (b, a),
    }
    assert agreement.parties.count() == 3
    assert not agreement.parties.filter(accepted_at__isnull=False).exists()
    for organization, person in zip(orgs, people, strict=True):
        services.agreement_accept(actor=person, agreement=agreement, organization=organization)
    for organization, person in zip(orgs, people, strict=True):
        services.agreement_confirm_delivery(
            actor=person, agreement=agreement, receiver=organization
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SETTLED


@pytest.mark.django_db
def test_only_network_coordinators_run_barter_rounds() -> None:
    network = factories.organization(kind="network")
    with pytest.raises(PermissionDenied):
        services.barter_round_run(actor=factories.person(), network=network)


@pytest.mark.django_db
def test_hidden_listings_stay_out_of_barter_rounds() -> None:
    """A listing the coordinator may not see is not traded, nor named in the report."""
    from minga.common.models import Visibility

    network = factories.organization(kind="network")
    coordinator = factories.person("coord-oculto")
    factories.role(coordinator, network, "coordinator")
    organization = factories.organization()
    factories.membership(organization, network)
    market.listing(
        organization,
        kind="offer",
        category="seeds",
        title="TITULO CONFIDENCIAL",
        barter_only=True,
        visibility=Visibility.CUSTODIANS,
    )
    barter_round = services.barter_round_run(actor=coordinator, network=network)
    assert "TITULO CONFIDENCIAL" not in str(barter_round.report)
