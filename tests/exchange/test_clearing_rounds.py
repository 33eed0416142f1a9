"""Clearing rounds: the optimal set-off, consent, and application to obligations and ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from minga.common.errors import DomainError
from minga.exchange import journal, services
from minga.exchange.models import Account, ClearingRoundStatus, Obligation, Transfer
from minga.exchange.services import obligations_import
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts


@pytest.fixture
def network(db: None) -> dict[str, Any]:
    unit, accounts = unit_with_accounts(3, lowest=-100)
    network = unit.network
    coordinator = factories.person("coord-clearing")
    factories.role(coordinator, network, "coordinator")
    organizations = [account.organization for account in accounts]
    people = []
    for organization in organizations:
        factories.membership(organization, network)
        person = factories.person()
        factories.role(person, organization, "spokesperson")
        people.append(person)
    a, b, c = organizations
    # A owes B 1,000, B owes C 700, C owes A 500: 500 can go round the cycle.
    obligations_import(
        actor=coordinator,
        unit=unit,
        rows=[
            (2, a, b, 1_000, "f-1", None),
            (3, b, c, 700, "f-2", None),
            (4, c, a, 500, "f-3", None),
        ],
    )
    return {
        "unit": unit,
        "coordinator": coordinator,
        "organizations": organizations,
        "people": people,
        "accounts": accounts,
    }


def test_round_finds_the_optimal_setoff_and_applies_after_consent(network: dict[str, Any]) -> None:
    """500 clears around the cycle; after all consent, obligations shrink and balances stay."""
    round_ = services.clearing_round_open(actor=network["coordinator"], unit=network["unit"])
    assert (round_.total_before, round_.total_after, round_.cleared) == (2_200, 700, 1_500)
    assert round_.report["percent_cleared"] == "68.18"
    with pytest.raises(DomainError) as waiting:
        services.clearing_round_apply(actor=network["coordinator"], clearing_round=round_)
    assert waiting.value.field == "consents"
    for organization, person in zip(network["organizations"], network["people"], strict=True):
        services.clearing_round_consent(
            actor=person, clearing_round=round_, organization=organization, consents=True
        )
    services.clearing_round_apply(actor=network["coordinator"], clearing_round=round_)
    round_.refresh_from_db()
    assert round_.status == ClearingRoundStatus.APPLIED
    assert sorted(Obligation.objects.values_list("remaining", flat=True)) == [0, 200, 500]
    # Balances are where they were, with the set-off recorded in the verified journal.
    assert [Account.objects.get(pk=a.pk).balance for a in network["accounts"]] == [0, 0, 0]
    assert Transfer.objects.filter(client_id__startswith="clr:").count() == 3
    assert journal.verify_database().ok


def test_an_objection_rejects_the_round(network: dict[str, Any]) -> None:
    round_ = services.clearing_round_open(actor=network["coordinator"], unit=network["unit"])
    organization, person = network["organizations"][0], network["people"][0]
    with pytest.raises(DomainError):
        services.clearing_round_consent(
            actor=person, clearing_round=round_, organization=organization, consents=False
        )
    services.clearing_round_consent(
        actor=person,
        clearing_round=round_,
        organization=organization,
        consents=False,
        reason="Factura en disputa",
    )
    round_.refresh_from_db()
    assert round_.status == ClearingRoundStatus.REJECTED
    with pytest.raises(DomainError):
        services.clearing_round_apply(actor=network["coordinator"], clearing_round=round_)
    assert sorted(Obligation.objects.values_list("remaining", flat=True)) == [500, 700, 1_000]


def test_a_stale_round_is_refused(network: dict[str, Any]) -> None:
    """If an obligation changed after the round was computed, applying it is refused."""
    network["unit"].clearing_consent = "coordinator"
    network["unit"].save()
    round_ = services.clearing_round_open(actor=network["coordinator"], unit=network["unit"])
    Obligation.objects.filter(remaining=700).update(remaining=600, updated_at=timezone.now())
    with pytest.raises(DomainError) as stale:
        services.clearing_round_apply(actor=network["coordinator"], clearing_round=round_)
    assert stale.value.field == "round"
    assert not Transfer.objects.exists()


def test_only_coordinators_open_rounds(network: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.clearing_round_open(actor=network["people"][0], unit=network["unit"])
