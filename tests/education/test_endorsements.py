"""Applications on behalf of an organization, and that organization's endorsement where the
course asks for it: who may endorse, what teachers may do before it, pages and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM
from minga.education import selectors, services
from minga.education.models import Enrolment
from tests import factories
from tests.education import factories as education


@pytest.fixture
def movement(db: None) -> Any:
    return factories.organization(name="Movimiento Campesino", slug="movimiento")


@pytest.fixture
def endorser(movement: Any) -> Any:
    person = factories.person("coordinador-movimiento")
    factories.role(person, movement, "coordinator")
    return person


@pytest.fixture
def applicant(movement: Any) -> Any:
    person = factories.person("militante")
    factories.role(person, movement, "member")
    return person


@pytest.fixture
def endorsed_cohort(school: Any, teacher: Any) -> Any:
    course = education.course(school, title="Agroecología", on_behalf="endorsed")
    return education.cohort(course, teachers=[teacher])


def _apply(cohort: Any, person: Any, organization: Any) -> Any:
    return services.enrolment_apply(actor=person, cohort=cohort, on_behalf_of=organization)


# Services -----------------------------------------------------------------------------


def test_an_application_waits_for_the_endorsement_then_the_teacher_accepts(
    endorsed_cohort: Any, applicant: Any, movement: Any, endorser: Any, teacher: Any
) -> None:
    """The application names the organization and waits; the teacher cannot accept nor
    wait-list it; the organization's coordinator endorses it; the teacher accepts it; each
    step is in the audit log."""
    enrolment = _apply(endorsed_cohort, applicant, movement)
    assert (enrolment.status, enrolment.endorsement) == ("applied", "pending")
    for decision in ("accept", "waitlist"):
        with pytest.raises(DomainError) as refusal:
            services.enrolment_decide(actor=teacher, enrolment=enrolment, decision=decision)
        assert refusal.value.code == "endorsement_required"
    assert Enrolment.objects.get().status == "applied"
    endorsed = services.enrolment_endorse(actor=endorser, enrolment=enrolment, decision="endorse")
    assert (endorsed.endorsement, endorsed.endorsed_by) == ("endorsed", endorser)
    accepted = services.enrolment_decide(actor=teacher, enrolment=endorsed, decision="accept")
    assert accepted.status == "accepted"
    assert AuditEntry.objects.filter(action="education.enrolment.endorse").count() == 1


def test_a_declined_application_is_refused_with_the_organization_reason(
    endorsed_cohort: Any, applicant: Any, movement: Any, endorser: Any, teacher: Any
) -> None:
    enrolment = _apply(endorsed_cohort, applicant, movement)
    with pytest.raises(DomainError) as refusal:
        services.enrolment_endorse(actor=endorser, enrolment=enrolment, decision="decline")
    assert refusal.value.code == "reason_required"
    assert Enrolment.objects.get().endorsement == "pending"
    declined = services.enrolment_endorse(
        actor=endorser, enrolment=enrolment, decision="decline", reason="No es militante activo."
    )
    assert (declined.status, declined.endorsement) == ("refused", "declined")
    assert declined.reason == "No es militante activo."
    with pytest.raises(DomainError) as again:
        services.enrolment_endorse(actor=endorser, enrolment=declined, decision="endorse")
    assert again.value.code == "not_waiting_for_endorsement"


def test_a_course_asking_for_an_organization_refuses_an_application_without_one(
    endorsed_cohort: Any, applicant: Any, school: Any
) -> None:
    named = education.cohort(education.course(school, title="Semillas", on_behalf="named"))
    for cohort in (endorsed_cohort, named):
        with pytest.raises(DomainError) as refusal:
            services.enrolment_apply(actor=applicant, cohort=cohort)
        assert (refusal.value.code, refusal.value.field) == (
            "organization_required",
            "on_behalf_of",
        )
    assert not Enrolment.objects.exists()
    assert _apply(named, applicant, applicant.roles.get().organization).endorsement == ""


def test_an_organization_the_applicant_does_not_belong_to_is_refused(
    endorsed_cohort: Any, movement: Any
) -> None:
    outsider = factories.person()
    factories.role(outsider, factories.organization(), "member")
    with pytest.raises(DomainError) as refusal:
        _apply(endorsed_cohort, outsider, movement)
    assert (refusal.value.code, refusal.value.status) == ("not_your_organization", 403)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("stranger", False),
        ("member_of_another_organization", False),
        ("coordinator_of_another_organization", False),
        ("member_of_the_organization", False),
        ("teacher", False),
        ("school_coordinator", False),
        ("organization_coordinator", True),
    ],
)
def test_only_the_organization_coordinators_endorse(
    endorsed_cohort: Any,
    applicant: Any,
    movement: Any,
    endorser: Any,
    teacher: Any,
    coordinator: Any,
    who: str,
    may: bool,
) -> None:
    """Only the coordinators (or administrators) of the organization the application names
    endorse it; everyone else is refused and nothing changes."""
    enrolment = _apply(endorsed_cohort, applicant, movement)
    other = factories.organization()
    member_elsewhere, coordinator_elsewhere, fellow = (factories.person() for _ in range(3))
    factories.role(member_elsewhere, other, "member")
    factories.role(coordinator_elsewhere, other, "coordinator")
    factories.role(fellow, movement, "member")
    actor = {
        "stranger": factories.person(),
        "member_of_another_organization": member_elsewhere,
        "coordinator_of_another_organization": coordinator_elsewhere,
        "member_of_the_organization": fellow,
        "teacher": teacher,
        "school_coordinator": coordinator,
        "organization_coordinator": endorser,
    }[who]
    try:
        services.enrolment_endorse(actor=actor, enrolment=enrolment, decision="endorse")
        endorsed = True
    except PermissionDenied:
        endorsed = False
    assert endorsed == may
    assert Enrolment.objects.get().endorsement == ("endorsed" if may else "pending")
    assert selectors.endorsements_waiting(actor).exists() == (not may and who.startswith("org"))


def test_first_come_admission_gives_a_place_on_endorsement_within_capacity(
    school: Any, movement: Any, endorser: Any
) -> None:
    """With first-come admission an endorsed application takes a place at once, then a
    wait-list place, then stays waiting for the teachers: capacity is never exceeded."""
    course = education.course(school, title="Agroecología", on_behalf="endorsed")
    cohort = education.cohort(course, capacity=1, waitlist_size=1, admission="first_come")
    enrolments = []
    for number in range(3):
        person = factories.person(f"militante-{number}")
        factories.role(person, movement, "member")
        enrolments.append(_apply(cohort, person, movement))
    assert {e.status for e in enrolments} == {"applied"}
    answered = [
        services.enrolment_endorse(actor=endorser, enrolment=e, decision="endorse").status
        for e in enrolments
    ]
    assert answered == ["accepted", "waitlisted", "applied"]


def test_attention_lists_the_endorsements_for_the_organization_coordinators(
    endorsed_cohort: Any, applicant: Any, movement: Any, endorser: Any, teacher: Any
) -> None:
    """The endorser is told an application waits for the organization; the teacher is not
    asked to answer it until it is endorsed."""
    enrolment = _apply(endorsed_cohort, applicant, movement)
    assert [a.url for a in selectors.attention_for(endorser)] == ["/education/endorsements/"]
    assert selectors.attention_for(teacher) == []
    services.enrolment_endorse(actor=endorser, enrolment=enrolment, decision="endorse")
    assert selectors.attention_for(endorser) == []
    assert [a.count for a in selectors.attention_for(teacher)] == [1]


# Pages ----------------------------------------------------------------------------------


def test_applying_through_the_page_with_the_only_organization_preselected(
    endorsed_cohort: Any, applicant: Any, movement: Any, endorser: Any, teacher: Any
) -> None:
    client = Client()
    client.force_login(applicant)
    page = client.get(endorsed_cohort.get_absolute_url()).content.decode()
    assert 'name="on_behalf_of"' in page
    assert movement.name in page  # the only possible choice, preselected
    response = client.post(
        f"/education/cohorts/{endorsed_cohort.uuid}/apply/",
        {"on_behalf_of": movement.name},
        follow=True,
    )
    assert "sent to your organization for its endorsement" in response.content.decode()
    enrolment = Enrolment.objects.get()
    assert (enrolment.on_behalf_of, enrolment.endorsement) == (movement, "pending")

    teaching = Client()
    teaching.force_login(teacher)
    staff_page = teaching.get(endorsed_cohort.get_absolute_url()).content.decode()
    assert 'value="accept"' not in staff_page
    assert "Waiting for the organization" in staff_page

    endorsing = factories.verified_client(endorser)
    listing = endorsing.get("/education/endorsements/").content.decode()
    assert applicant.username in listing or str(applicant) in listing
    response = endorsing.post(
        f"/education/enrolments/{enrolment.uuid}/endorse/", {"decision": "endorse"}, follow=True
    )
    assert "the teachers may now answer it" in response.content.decode()
    assert Enrolment.objects.get().endorsement == "endorsed"
    assert 'value="accept"' in teaching.get(endorsed_cohort.get_absolute_url()).content.decode()


def test_an_outsider_cannot_endorse_through_the_page(
    endorsed_cohort: Any, applicant: Any, movement: Any
) -> None:
    enrolment = _apply(endorsed_cohort, applicant, movement)
    outsider = Client()
    outsider.force_login(factories.person())
    response = outsider.post(
        f"/education/enrolments/{enrolment.uuid}/endorse/", {"decision": "endorse"}
    )
    assert response.status_code == 404
    assert Enrolment.objects.get().endorsement == "pending"


def test_without_an_organization_the_page_says_so(endorsed_cohort: Any) -> None:
    client = Client()
    client.force_login(factories.person())
    page = client.get(endorsed_cohort.get_absolute_url()).content.decode()
    assert "you hold no role in any" in page
    assert "Apply to this cohort" not in page


# API ------------------------------------------------------------------------------------


def test_the_api_applies_lists_and_endorses(
    endorsed_cohort: Any, applicant: Any, movement: Any, endorser: Any, teacher: Any
) -> None:
    def bearer(user: Any) -> Client:
        return Client(headers={"Authorization": f"Bearer {factories.api_token(user)}"})

    applying = bearer(applicant)
    url = f"/api/v1/education/cohorts/{endorsed_cohort.uuid}/apply"
    missing = applying.post(url, {}, "application/json")
    assert (missing.status_code, missing.json()["code"]) == (422, "organization_required")
    applied = applying.post(url, {"on_behalf_of": str(movement.uuid)}, "application/json")
    assert applied.json()["endorsement"] == "pending"
    enrolment = applied.json()["uuid"]
    teacher_answer = bearer(teacher).post(
        f"/api/v1/education/enrolments/{enrolment}/decision",
        {"decision": "accept"},
        "application/json",
    )
    assert (teacher_answer.status_code, teacher_answer.json()["code"]) == (
        409,
        "endorsement_required",
    )
    endorsing = bearer(endorser)
    waiting = endorsing.get("/api/v1/education/endorsements").json()
    assert [row["uuid"] for row in waiting["items"]] == [enrolment]
    forbidden = bearer(teacher).post(
        f"/api/v1/education/enrolments/{enrolment}/endorsement",
        {"decision": "endorse"},
        "application/json",
    )
    assert forbidden.status_code == 403
    done = endorsing.post(
        f"/api/v1/education/enrolments/{enrolment}/endorsement",
        {"decision": "endorse"},
        "application/json",
    )
    assert done.json()["endorsement"] == "endorsed"
    course = Client().get(f"/api/v1/education/courses/{endorsed_cohort.course.uuid}").json()
    assert course["on_behalf"] == "endorsed"


def test_a_course_is_created_asking_for_endorsement(school: Any, coordinator: Any) -> None:
    course = services.course_create(
        actor=SYSTEM, school=school, title="Formación política", on_behalf="endorsed"
    )
    assert course.on_behalf == "endorsed"
    with pytest.raises(DomainError) as refusal:
        services.course_create(actor=SYSTEM, school=school, title="X", on_behalf="always")
    assert refusal.value.code == "unknown_on_behalf"
