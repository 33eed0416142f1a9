"""Applications, decisions, the wait-list and capacity."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.education import services
from minga.education.models import Enrolment
from tests import factories
from tests.education import factories as education


def test_an_application_waits_for_the_teachers_and_applying_again_changes_nothing(
    cohort: Any,
) -> None:
    """With review admission an application is 'applied'; a second one returns the first."""
    person = factories.person()
    first = services.enrolment_apply(actor=person, cohort=cohort)
    again = services.enrolment_apply(actor=person, cohort=cohort)
    assert first.status == "applied"
    assert again.pk == first.pk
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


@pytest.mark.parametrize("days", [-30, 30])
def test_applications_outside_the_window_are_refused_and_leave_nothing(
    course: Any, days: int
) -> None:
    """Before the window opens or after it closes the refusal is clear and nothing is stored."""
    today = timezone.localdate()
    cohort = education.cohort(
        course,
        enrolment_opens_on=today + timedelta(days=days),
        enrolment_closes_on=today + timedelta(days=days + 3),
    )
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refusal:
        services.enrolment_apply(actor=factories.person(), cohort=cohort)
    assert refusal.value.code == "outside_enrolment_window"
    assert refusal.value.status == 409
    assert not Enrolment.objects.exists()
    assert AuditEntry.objects.count() == before


def test_a_teacher_accepts_until_the_cohort_is_full_then_must_wait_list(
    cohort: Any, teacher: Any
) -> None:
    """Capacity 3: the fourth acceptance is refused; wait-listing works up to its size."""
    applications = [
        services.enrolment_apply(actor=factories.person(), cohort=cohort) for _i in range(6)
    ]
    for enrolment in applications[:3]:
        services.enrolment_decide(actor=teacher, enrolment=enrolment, decision="accept")
    with pytest.raises(DomainError) as refusal:
        services.enrolment_decide(actor=teacher, enrolment=applications[3], decision="accept")
    assert refusal.value.code == "cohort_full"
    services.enrolment_decide(actor=teacher, enrolment=applications[3], decision="waitlist")
    services.enrolment_decide(actor=teacher, enrolment=applications[4], decision="waitlist")
    with pytest.raises(DomainError) as refusal:
        services.enrolment_decide(actor=teacher, enrolment=applications[5], decision="waitlist")
    assert refusal.value.code == "waitlist_full"
    assert cohort.enrolments.filter(status="accepted").count() == 3


def test_a_full_cohort_with_a_full_wait_list_refuses_new_applications(cohort: Any) -> None:
    for _i in range(3):
        education.student(cohort)
    for _i in range(2):
        enrolment = services.enrolment_apply(actor=factories.person(), cohort=cohort)
        services.enrolment_decide(
            actor=cohort.teachers.get(), enrolment=enrolment, decision="waitlist"
        )
    with pytest.raises(DomainError) as refusal:
        services.enrolment_apply(actor=factories.person(), cohort=cohort)
    assert refusal.value.code == "cohort_full"
    assert cohort.enrolments.count() == 5


def test_refusing_needs_a_reason(cohort: Any, teacher: Any) -> None:
    enrolment = services.enrolment_apply(actor=factories.person(), cohort=cohort)
    with pytest.raises(DomainError) as refusal:
        services.enrolment_decide(actor=teacher, enrolment=enrolment, decision="refuse")
    assert refusal.value.field == "reason"
    refused = services.enrolment_decide(
        actor=teacher, enrolment=enrolment, decision="refuse", reason="Curso para comuneras."
    )
    assert refused.status == "refused"
    with pytest.raises(DomainError) as again:
        services.enrolment_apply(actor=enrolment.person, cohort=cohort)
    assert again.value.code == "application_refused"


def test_when_a_place_frees_the_first_on_the_wait_list_moves_up_and_is_told_by_email(
    cohort: Any, teacher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A student leaves: the earliest wait-listed person gets the place and an email."""
    students = [education.student(cohort) for _i in range(3)]
    waiting = []
    for name in ("primera", "segunda"):
        enrolment = services.enrolment_apply(
            actor=factories.person(name, email=f"{name}@example.org"), cohort=cohort
        )
        waiting.append(
            services.enrolment_decide(actor=teacher, enrolment=enrolment, decision="waitlist")
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_withdraw(actor=students[0].person, enrolment=students[0])
    waiting[0].refresh_from_db()
    waiting[1].refresh_from_db()
    assert (waiting[0].status, waiting[1].status) == ("accepted", "waitlisted")
    assert [message.to for message in mail.outbox] == [["primera@example.org"]]
    assert cohort.enrolments.filter(status="accepted").count() == 3


def test_first_come_admission_gives_places_then_wait_list_places(course: Any) -> None:
    cohort = education.cohort(course, admission="first_come", capacity=2, waitlist_size=1)
    statuses = [
        services.enrolment_apply(actor=factories.person(), cohort=cohort).status for _i in range(3)
    ]
    assert statuses == ["accepted", "accepted", "waitlisted"]
    with pytest.raises(DomainError):
        services.enrolment_apply(actor=factories.person(), cohort=cohort)


def test_applying_on_behalf_of_an_organization_needs_a_role_there(cohort: Any) -> None:
    person = factories.person()
    other = factories.organization()
    with pytest.raises(DomainError) as refusal:
        services.enrolment_apply(actor=person, cohort=cohort, on_behalf_of=other)
    assert refusal.value.code == "not_your_organization"
    factories.role(person, other, "member")
    enrolment = services.enrolment_apply(actor=person, cohort=cohort, on_behalf_of=other)
    assert enrolment.on_behalf_of == other


def test_a_course_with_prerequisites_takes_only_who_completed_them(
    school: Any, coordinator: Any, client: Any
) -> None:
    """Applying asks for a valid certificate of every prerequisite: without one the refusal
    names the readable ones (a hidden course is not named) and nothing is stored; a revoked
    certificate does not count; with them the application goes through. The cohort page
    lists what to complete first instead of the apply button."""
    from minga.common.models import Visibility
    from minga.education.models import Certificate

    basics = education.course(school, title="Agroecología básica")
    secret = education.course(school, title="Curso reservado", visibility=Visibility.CUSTODIANS)
    advanced = education.course(school, title="Agroecología avanzada", prerequisites=[basics])
    cohort = education.cohort(advanced)
    person = factories.person("aprendiz")
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refusal:
        services.enrolment_apply(actor=person, cohort=cohort)
    assert refusal.value.code == "prerequisites_missing" and refusal.value.status == 409
    assert "Agroecología básica" in refusal.value.message
    assert not Enrolment.objects.filter(cohort=cohort).exists()
    assert AuditEntry.objects.count() == before
    client.force_login(person)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert basics.get_absolute_url() in page and "/apply/" not in page

    done = services.enrolment_decide(
        actor=coordinator,
        enrolment=services.enrolment_apply(actor=person, cohort=education.cohort(basics)),
        decision="accept",
    )
    certificate = services.certificate_grant(actor=coordinator, enrolment=done, reason="Taller")
    services.certificate_revoke(actor=coordinator, certificate=certificate, reason="Error")
    with pytest.raises(DomainError):
        services.enrolment_apply(actor=person, cohort=cohort)
    Certificate.objects.filter(pk=certificate.pk).delete()
    services.certificate_grant(actor=coordinator, enrolment=done, reason="Taller")
    assert services.enrolment_apply(actor=person, cohort=cohort).status == "applied"

    hidden_first = education.cohort(education.course(school, prerequisites=[secret]))
    with pytest.raises(DomainError) as hidden:
        services.enrolment_apply(actor=person, cohort=hidden_first)
    assert "Curso reservado" not in hidden.value.message
