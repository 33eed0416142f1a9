"""Who sees what: hidden courses appear nowhere; teachers see only their cohorts; students
only their own work."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client

from minga.common.models import Visibility
from minga.education import selectors
from tests import factories
from tests.education import factories as education


@pytest.fixture
def hidden(school: Any) -> Any:
    return education.course(school, title="Taller interno", visibility=Visibility.CUSTODIANS)


@pytest.mark.parametrize(
    ("reader", "sees"),
    [("anonymous", False), ("stranger", False), ("coordinator", True), ("its_teacher", True)],
)
def test_a_hidden_course_is_seen_only_by_the_school_and_its_teachers(
    hidden: Any, coordinator: Any, reader: str, sees: bool
) -> None:
    teacher = factories.person()
    cohort = education.cohort(hidden, teachers=[teacher])
    user = {
        "anonymous": AnonymousUser(),
        "stranger": factories.person(),
        "coordinator": coordinator,
        "its_teacher": teacher,
    }[reader]
    assert selectors.visible_courses(user).filter(pk=hidden.pk).exists() is sees
    assert selectors.visible_cohorts(user).filter(pk=cohort.pk).exists() is sees
    if not sees:
        with pytest.raises(Http404):
            selectors.get_course_for(user, hidden.uuid)


def test_a_hidden_course_appears_on_no_page_nor_api_nor_calendar(hidden: Any) -> None:
    cohort = education.cohort(hidden)
    client = Client()
    client.force_login(factories.person())
    for path in (
        "/education/",
        f"/education/schools/{hidden.school.uuid}/",
        "/api/v1/education/courses",
        "/api/v1/education/cohorts",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert "Taller interno" not in response.content.decode()
    for path in (
        f"/education/courses/{hidden.uuid}/",
        f"/education/cohorts/{cohort.uuid}/",
        f"/education/cohorts/{cohort.uuid}/calendar.ics",
        f"/api/v1/education/courses/{hidden.uuid}",
        f"/education/courses/{hidden.uuid}/",
    ):
        assert client.get(path).status_code == 404, path


def test_a_teacher_sees_only_their_cohorts_applications(cohort: Any, teacher: Any) -> None:
    other_teacher = factories.person()
    other = education.cohort(cohort.course, teachers=[other_teacher])
    education.student(other)
    assert list(selectors.staffed_cohorts(teacher)) == [cohort]
    client = Client()
    client.force_login(teacher)
    assert client.get(f"/api/v1/education/cohorts/{other.uuid}/enrolments").status_code == 403
    assert client.get(f"/api/v1/education/cohorts/{cohort.uuid}/enrolments").status_code == 200
    page = client.get(f"/education/cohorts/{other.uuid}/").content.decode()
    assert "Students and applications" not in page


def test_a_student_reads_only_their_own_enrolment_and_progress(cohort: Any) -> None:
    one = education.student(cohort)
    other = education.student(cohort)
    assert selectors.get_enrolment_for(one.person, one.uuid) == one
    with pytest.raises(Http404):
        selectors.get_enrolment_for(one.person, other.uuid)
    client = Client()
    client.force_login(one.person)
    page = client.get(f"/education/cohorts/{cohort.uuid}/").content.decode()
    assert str(other.person) not in page
    assert "My place" in page
    api = client.get("/api/v1/education/enrolments").json()
    assert [item["uuid"] for item in api["items"]] == [str(one.uuid)]


def test_the_course_list_costs_a_fixed_number_of_queries(
    school: Any, django_assert_max_num_queries: Any
) -> None:
    for number in range(12):
        education.course(school, title=f"Curso {number}")
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get("/education/")
    assert response.status_code == 200
