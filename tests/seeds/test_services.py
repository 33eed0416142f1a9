"""Writes of the seed bank: lots, tests, lineage, requests and quantity bookkeeping."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM
from minga.seeds import services
from minga.seeds.models import Accession, GerminationTest, Lot, RequestStatus, SeedRequest
from tests.seeds import factories as seeds


def _request(lot: Lot, requester: Any, actor: Any, seeds_wanted: int = 100) -> SeedRequest:
    return services.request_create(
        actor=actor,
        lot=lot,
        requester=requester,
        data=services.RequestData(seeds=seeds_wanted, conditions_accepted=True),
    )


def test_accession_is_validated_against_mcpd(bank: Any) -> None:
    """A bad country code is refused naming the field; nothing is written."""
    with pytest.raises(DomainError) as error:
        seeds.accession(bank, ORIGCTY="XXX")
    assert error.value.field == "origcty" and error.value.code == "invalid_mcpd"
    assert not Accession.objects.exists()


def test_accession_takes_the_bank_institute_code(bank: Any) -> None:
    """Without INSTCODE the accession carries its bank's code; a second one with the same
    number is refused."""
    accession = seeds.accession(bank, ACCENUMB="X-1")
    assert accession.instcode == "VEN001"
    with pytest.raises(DomainError) as error:
        seeds.accession(bank, ACCENUMB="X-1")
    assert error.value.code == "duplicate_accession"


def test_weight_converts_to_seeds_through_the_hundred_seed_weight(bank: Any) -> None:
    """45 g of seeds weighing 4.5 g per hundred make 1,000 seeds."""
    lot = seeds.lot(
        seeds.accession(bank), seeds=None, grams=Decimal(45), hundred_seed_weight_mg=4500
    )
    assert lot.seeds == 1000
    assert lot.weight_grams == pytest.approx(45)


def test_germination_test_withdraws_its_seeds(bank: Any) -> None:
    """The seeds sown in a test leave the lot; a test needing more than the lot is refused."""
    lot = seeds.lot(seeds.accession(bank), seeds=150)
    seeds.germination(lot, sown=100, germinated=90)
    assert Lot.objects.get(pk=lot.pk).seeds == 50
    with pytest.raises(DomainError) as error:
        seeds.germination(lot, sown=100, germinated=90)
    assert error.value.code == "not_enough_seeds"
    assert GerminationTest.objects.count() == 1 and Lot.objects.get(pk=lot.pk).seeds == 50


def test_counts_beyond_the_seeds_sown_are_refused(bank: Any) -> None:
    lot = seeds.lot(seeds.accession(bank))
    with pytest.raises(DomainError) as error:
        services.test_record(
            actor=SYSTEM,
            lot=lot,
            data=services.TestData(
                tested_on=timezone.localdate(), sown=50, germinated=40, abnormal=8, dead=5
            ),
        )
    assert error.value.code == "counts_exceed_sown"
    assert Lot.objects.get(pk=lot.pk).seeds == 1000


def test_regeneration_records_the_harvest_with_its_lineage(bank: Any, commune: Any) -> None:
    """A grow-out takes its seeds from the lot; the harvest is a new lot whose parent is the
    sown lot, and a second harvest of the same grow-out is refused. The accession's total
    follows both."""
    parent = seeds.lot(seeds.accession(bank), seeds=500)
    regeneration = services.regeneration_plan(
        actor=SYSTEM,
        lot=parent,
        grower=commune,
        place="Chacra",
        sow_on=timezone.localdate(),
        plants=50,
        seeds_used=120,
    )
    assert Lot.objects.get(pk=parent.pk).seeds == 380
    harvest_data = services.LotData(
        code="R1",
        received_on=timezone.localdate(),
        storage_temperature=Decimal(5),
        moisture_percent=Decimal(8),
        seeds=4000,
    )
    child = services.regeneration_harvest(
        actor=SYSTEM, regeneration=regeneration, data=harvest_data
    )
    assert child.parent == parent and child.accession == parent.accession
    assert list(parent.children.all()) == [child]
    with pytest.raises(DomainError):
        services.regeneration_harvest(actor=SYSTEM, regeneration=regeneration, data=harvest_data)
    assert Lot.objects.filter(accession=parent.accession).count() == 2
    assert Accession.objects.get(pk=parent.accession_id).stock == 380 + 4000


def test_parent_lot_from_another_accession_is_refused(bank: Any) -> None:
    other = seeds.lot(seeds.accession(bank))
    with pytest.raises(DomainError) as error:
        seeds.lot(seeds.accession(bank), parent=other)
    assert error.value.code == "foreign_parent"


def test_request_flow_moves_seeds_on_approval(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """Approval takes the seeds from the lot; shipping records the date; the audit log
    names each step."""
    lot = seeds.lot(seeds.accession(bank), seeds=300)
    seed_request = _request(lot, neighbour, neighbour_keeper)
    assert Lot.objects.get(pk=lot.pk).seeds == 300
    services.request_approve(actor=keeper, seed_request=seed_request)
    assert Lot.objects.get(pk=lot.pk).seeds == 200
    services.request_ship(actor=keeper, seed_request=seed_request)
    seed_request.refresh_from_db()
    assert seed_request.status == RequestStatus.SHIPPED and seed_request.shipped_on
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"seeds.request.create", "seeds.request.approve", "seeds.request.ship"} <= actions


def test_cancelling_an_approved_request_returns_the_seeds(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    lot = seeds.lot(seeds.accession(bank), seeds=300)
    seed_request = _request(lot, neighbour, neighbour_keeper)
    services.request_approve(actor=keeper, seed_request=seed_request)
    services.request_cancel(actor=neighbour_keeper, seed_request=seed_request)
    assert Lot.objects.get(pk=lot.pk).seeds == 300
    with pytest.raises(DomainError) as error:
        services.request_ship(actor=keeper, seed_request=seed_request)
    assert error.value.code == "request_already_answered"


def test_requests_need_conditions_and_a_managed_other_commune(
    bank: Any, commune: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """Unaccepted conditions, a commune one does not manage, and the bank's own commune are
    refused; the bank's keeper may not request from their own bank."""
    lot = seeds.lot(seeds.accession(bank))
    with pytest.raises(DomainError) as error:
        services.request_create(
            actor=neighbour_keeper,
            lot=lot,
            requester=neighbour,
            data=services.RequestData(seeds=10, conditions_accepted=False),
        )
    assert error.value.field == "conditions_accepted"
    with pytest.raises(DomainError):
        _request(lot, commune, neighbour_keeper)
    with pytest.raises(PermissionDenied):
        _request(lot, commune, keeper)
    assert not SeedRequest.objects.exists()


def test_a_lot_that_may_not_be_shared_takes_no_request(
    bank: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    lot = seeds.lot(seeds.accession(bank), distributable=False)
    with pytest.raises(PermissionDenied):
        _request(lot, neighbour, neighbour_keeper)


def test_approval_beyond_the_stock_is_refused_and_changes_nothing(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """Two requests of 80 from a lot of 100: the second approval is refused, the request
    stays open and the lot keeps its 20 seeds."""
    lot = seeds.lot(seeds.accession(bank), seeds=100)
    first = _request(lot, neighbour, neighbour_keeper, 80)
    second = _request(lot, neighbour, neighbour_keeper, 80)
    services.request_approve(actor=keeper, seed_request=first)
    with pytest.raises(DomainError) as error:
        services.request_approve(actor=keeper, seed_request=second)
    assert error.value.code == "not_enough_seeds" and error.value.status == 409
    assert Lot.objects.get(pk=lot.pk).seeds == 20
    assert SeedRequest.objects.get(pk=second.pk).status == RequestStatus.REQUESTED


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stock=st.integers(0, 500),
    steps=st.lists(
        st.tuples(st.sampled_from(["test", "request", "cancel", "refuse"]), st.integers(1, 200)),
        max_size=12,
    ),
)
def test_no_sequence_of_writes_makes_a_lot_negative(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any, stock: int, steps: list[Any]
) -> None:
    """Whatever tests, approvals, cancellations and refusals happen, the lot never goes
    negative and its stock is the initial stock minus what tests and live approvals took."""
    lot = seeds.lot(seeds.accession(bank), seeds=stock)
    taken_by_tests = 0
    approved: list[SeedRequest] = []
    for action, amount in steps:
        try:
            if action == "test":
                seeds.germination(lot, sown=amount, germinated=0)
                taken_by_tests += amount
            elif action == "request":
                seed_request = _request(lot, neighbour, neighbour_keeper, amount)
                services.request_approve(actor=keeper, seed_request=seed_request)
                approved.append(seed_request)
            elif approved:
                seed_request = approved.pop()
                if action == "cancel":
                    services.request_cancel(actor=neighbour_keeper, seed_request=seed_request)
                else:
                    services.request_refuse(actor=keeper, seed_request=seed_request)
        except DomainError:
            pass
        current = Lot.objects.get(pk=lot.pk).seeds
        assert current >= 0
        assert current == stock - taken_by_tests - sum(r.seeds for r in approved)
        assert Accession.objects.get(pk=lot.accession_id).stock == current


def test_old_lots_raise_the_bank_alerts(bank: Any) -> None:
    """A lot received two years ago without a test, and one with few seeds, raise alerts."""
    from minga.seeds.selectors import bank_status

    untested = seeds.lot(
        seeds.accession(bank), received_on=timezone.localdate() - timedelta(days=730)
    )
    small = seeds.lot(seeds.accession(bank), seeds=120)
    seeds.germination(small, sown=20, germinated=15)
    codes = {row.lot.pk: {alert.code for alert in row.alerts} for row in bank_status(bank)}
    assert codes[untested.pk] == {"first_test_overdue"}
    assert codes[small.pk] == {"low_quantity", "low_initial_germination"}
