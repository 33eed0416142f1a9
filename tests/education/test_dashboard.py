"""The staff's dashboard of a cohort: each student or applicant with the actions that fit
their place, the counts of the cohort, every page of students reachable, and a cohort read
by the same rule whether it is asked alone or among the reader's cohorts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.education import selectors, services
from minga.education.models import Enrolment
from minga.education.types import Endorsement, EnrolmentStatus
from tests import factories
from tests.education import factories as education


def _cards(page: str) -> dict[str, str]:
    """Each card of the dashboard by the name in its heading."""
    cards = re.findall(r'<li class="card"><h3>(.*?) <span.*?</li>', page, flags=re.S)
    bodies = re.findall(r'<li class="card">(.*?)</li>', page, flags=re.S)
    return dict(zip(cards, bodies, strict=True))


def _place(cohort: Any, name: str, status: str, **fields: Any) -> Enrolment:
    person = factories.person(name, display_name=name.capitalize())
    return Enrolment.objects.create(cohort=cohort, person=person, status=status, **fields)


@pytest.fixture
def assessed(school: Any, teacher: Any) -> Any:
    """A cohort of a course whose only rule is a final assessment the staff record."""
    course = education.course(school, min_attendance_percent=0, final_assessment_required=True)
    return education.cohort(course, teachers=[teacher], capacity=10)


def test_each_row_offers_the_actions_that_fit_its_place(
    assessed: Any, teacher: Any, coordinator: Any
) -> None:
    """Applicants are answered (a wait-listed one cannot be wait-listed again, an application
    waiting for its organization cannot be accepted); accepted students get the final
    assessment's button, the certificate when complete, the coordinators' issue by decision
    otherwise; an issued certificate is a link; what people wrote is escaped."""
    _place(assessed, "aplicante", EnrolmentStatus.APPLIED, reason="<b>quiero</b>")
    _place(assessed, "esperando", EnrolmentStatus.WAITLISTED)
    organization = factories.organization(name="Cooperativa Ñuque")
    _place(
        assessed,
        "avalada",
        EnrolmentStatus.APPLIED,
        on_behalf_of=organization,
        endorsement=Endorsement.PENDING,
    )
    _place(assessed, "cursando", EnrolmentStatus.ACCEPTED)
    _place(assessed, "aprobada", EnrolmentStatus.ACCEPTED, final_assessment_passed=True)
    done = _place(assessed, "titulada", EnrolmentStatus.ACCEPTED, final_assessment_passed=True)
    certificate = services.certificate_issue(actor=SYSTEM, enrolment=done)

    client = Client()
    client.force_login(teacher)
    cards = _cards(client.get(assessed.get_absolute_url()).content.decode())

    applicant = cards["Aplicante"]
    assert 'value="accept"' in applicant and 'value="waitlist"' in applicant
    assert 'value="refuse"' in applicant
    assert "&lt;b&gt;quiero&lt;/b&gt;" in applicant and "<b>quiero" not in applicant
    waiting = cards["Esperando"]
    assert 'value="accept"' in waiting and 'value="waitlist"' not in waiting
    endorsed = cards["Avalada"]
    assert "On behalf of Cooperativa Ñuque" in endorsed
    assert "Waiting for the organization&#x27;s endorsement" in endorsed
    assert 'value="accept"' not in endorsed and 'value="refuse"' in endorsed

    studying = cards["Cursando"]
    assert "final assessment pending" in studying
    assert "Mark the final assessment as passed" in studying
    assert "Issue the certificate" not in studying and "Issue by decision" not in studying
    passed = cards["Aprobada"]
    assert "final assessment passed" in passed
    assert "Mark the final assessment as not passed" in passed
    assert "Issue the certificate" in passed
    titled = cards["Titulada"]
    assert f"Certificate {certificate.code}" in titled and "<form" not in titled
    assert "decide" not in studying and 'name="decision"' not in passed

    coordinating = factories.verified_client(coordinator)
    cards = _cards(coordinating.get(assessed.get_absolute_url()).content.decode())
    assert "Issue by decision" in cards["Cursando"]
    assert "Issue by decision" not in cards["Aprobada"]


def test_the_dashboard_counts_the_cohort_and_reaches_every_page(cohort: Any, teacher: Any) -> None:
    """Fifty a page: the counts are of the whole cohort, and every page has its link."""
    cohort.capacity = 200
    cohort.save(update_fields=["capacity"])
    people = [factories.person(f"estudiante-{n:03}") for n in range(160)]
    Enrolment.objects.bulk_create(
        [Enrolment(cohort=cohort, person=p, status=EnrolmentStatus.ACCEPTED) for p in people]
        + [Enrolment(cohort=cohort, person=factories.person("nueva"), status="applied")]
    )
    client = Client()
    client.force_login(teacher)
    first = client.get(cohort.get_absolute_url()).content.decode()
    assert "160 accepted · 0 on the wait-list · 1 waiting for an answer" in first
    assert first.count('<li class="card">') == 50
    assert "Page 1 of 4" in first
    for number in (2, 3, 4):
        assert f'href="?page={number}#students"' in first
    last = client.get(cohort.get_absolute_url() + "?page=4").content.decode()
    assert last.count('<li class="card">') == 11
    assert '<span aria-current="page">4</span>' in last


READERS = [
    "anonymous",
    "stranger",
    "student",
    "teacher_of_another_cohort",
    "teacher_of_another_course",
    "coordinator",
    "its_teacher",
]


@pytest.mark.parametrize("level", [Visibility.PUBLIC, Visibility.SERVER, Visibility.CUSTODIANS])
@pytest.mark.parametrize("reader", READERS)
def test_a_cohort_read_alone_follows_the_rule_of_the_readers_cohorts(
    school: Any, coordinator: Any, level: str, reader: str
) -> None:
    """``get_cohort_for`` answers exactly as ``visible_cohorts``, for every kind of reader
    and level of the course: a hidden course's cohort is read by its school's coordinators
    and the teachers of any of its cohorts only."""
    course = education.course(school, visibility=level)
    its_teacher = factories.person()
    cohort = education.cohort(course, teachers=[its_teacher])
    other_teacher = factories.person()
    education.cohort(course, teachers=[other_teacher], name="Cohorte 2")
    elsewhere = factories.person()
    education.cohort(education.course(school, title="Otro curso"), teachers=[elsewhere])
    user = {
        "anonymous": AnonymousUser(),
        "stranger": factories.person(),
        "student": education.student(cohort).person if level != Visibility.CUSTODIANS else None,
        "teacher_of_another_cohort": other_teacher,
        "teacher_of_another_course": elsewhere,
        "coordinator": coordinator,
        "its_teacher": its_teacher,
    }[reader]
    if user is None:  # nobody applies to a course they cannot read: a place made by hand
        user = _place(cohort, "oculta", EnrolmentStatus.ACCEPTED).person
    listed = selectors.visible_cohorts(user).filter(pk=cohort.pk).exists()
    expected = {
        Visibility.PUBLIC: True,
        Visibility.SERVER: reader != "anonymous",
        Visibility.CUSTODIANS: reader
        in {"coordinator", "its_teacher", "teacher_of_another_cohort"},
    }[level]
    assert listed is expected
    if expected:
        assert selectors.get_cohort_for(user, cohort.uuid) == cohort
    else:
        with pytest.raises(Http404):
            selectors.get_cohort_for(user, cohort.uuid)
