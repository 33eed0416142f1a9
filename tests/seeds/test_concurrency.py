"""Concurrent approvals cannot over-allocate a lot (real commits, several threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.seeds import services
from minga.seeds.models import Lot, RequestStatus, SeedRequest
from tests import factories
from tests.seeds import factories as seeds


@pytest.mark.usefixtures("seeded_transactional_db")
def test_parallel_approvals_never_take_more_than_the_lot_holds() -> None:
    """Six threads approve six requests of 40 seeds from a lot of 100 at once: exactly two
    succeed, the others are refused, and the lot keeps 20 seeds."""
    commune = factories.organization(name="Comuna del banco")
    neighbour = factories.organization(name="Comuna que pide")
    bank = seeds.bank(commune)
    lot = seeds.lot(seeds.accession(bank), seeds=100)
    requests = [
        services.request_create(
            actor=SYSTEM,
            lot=lot,
            requester=neighbour,
            data=services.RequestData(seeds=40, conditions_accepted=True),
        )
        for _ in range(6)
    ]
    barrier = threading.Barrier(len(requests))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def approve(seed_request: SeedRequest) -> None:
        try:
            barrier.wait()
            own = SeedRequest.objects.select_related("lot").get(pk=seed_request.pk)
            services.request_approve(actor=SYSTEM, seed_request=own)
            outcomes.append("approved")
        except DomainError as error:
            outcomes.append(error.code)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["approved"] * 2 + ["not_enough_seeds"] * 4
    assert Lot.objects.get(pk=lot.pk).seeds == 20
    assert SeedRequest.objects.filter(status=RequestStatus.APPROVED).count() == 2
