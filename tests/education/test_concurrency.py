"""Capacity under concurrent applications and acceptances, on whichever database the suite
runs on (SQLite with IMMEDIATE transactions under `make test`, PostgreSQL row locks in CI)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from minga.common.errors import DomainError
from minga.education import services
from tests import factories
from tests.education import factories as education

TRANSACTIONAL = pytest.mark.usefixtures("seeded_transactional_db")


def _at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as error:  # collected and inspected by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@TRANSACTIONAL
def test_concurrent_applications_never_exceed_capacity_nor_the_wait_list() -> None:
    """Eight people apply at the same instant to 3 places and 2 wait-list places."""
    cohort = education.cohort(
        education.course(), admission="first_come", capacity=3, waitlist_size=2
    )
    people = [factories.person() for _i in range(8)]
    results, errors = _at_once(
        [(lambda p=p: services.enrolment_apply(actor=p, cohort=cohort).status) for p in people]
    )
    assert sorted(results) == ["accepted"] * 3 + ["waitlisted"] * 2
    assert len(errors) == 3
    assert all(isinstance(e, DomainError) and e.code == "cohort_full" for e in errors), errors
    assert cohort.enrolments.filter(status="accepted").count() == 3
    assert cohort.enrolments.count() == 5


@TRANSACTIONAL
def test_concurrent_acceptances_by_several_teachers_never_exceed_capacity() -> None:
    """Six applications accepted at the same instant into 3 places: three succeed."""
    teacher = factories.person()
    cohort = education.cohort(education.course(), capacity=3, waitlist_size=0, teachers=[teacher])
    applications = [
        services.enrolment_apply(actor=factories.person(), cohort=cohort) for _i in range(6)
    ]
    results, errors = _at_once(
        [
            (
                lambda e=e: (
                    services.enrolment_decide(actor=teacher, enrolment=e, decision="accept").status
                )
            )
            for e in applications
        ]
    )
    assert results == ["accepted"] * 3
    assert [getattr(e, "code", repr(e)) for e in errors] == ["cohort_full"] * 3
    assert cohort.enrolments.filter(status="accepted").count() == 3
