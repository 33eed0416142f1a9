"""Assignments through pages and the API: a student sends work, the teacher marks it, the
student reads their mark and feedback; nobody else reads them; refusals change nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client

from minga.common.permissions import SYSTEM
from minga.education import services
from minga.education.models import Course, Submission
from tests import factories
from tests.education import factories as education


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {factories.api_token(user)}"})


def test_a_student_sends_work_on_the_page_and_the_teacher_marks_it(
    cohort: Any, teacher: Any, course: Any
) -> None:
    services.marking_set(
        actor=SYSTEM,
        course=course,
        data=services.MarkingData(kind="points", max_points=10, pass_points=6),
    )
    task = education.assignment(course)
    enrolment = education.student(cohort, "estudiante")
    student = _client(enrolment.person)
    cohort_page = student.get(cohort.get_absolute_url()).content.decode()
    assert task.url_in(cohort) in cohort_page
    assert "not sent yet" in cohort_page
    response = student.post(task.url_in(cohort), {"text": "", "file": education.pdf()}, follow=True)
    assert "Your work was sent." in response.content.decode()
    submission = Submission.objects.get()
    file_url = submission.file.url
    assert student.get(file_url).status_code == 200
    assert Client().get(file_url).status_code in (302, 404)
    assert _client(education.student(cohort).person).get(file_url).status_code == 404

    marker = _client(teacher)
    listing = marker.get(task.url_in(cohort)).content.decode()
    assert submission.get_absolute_url() in listing
    form = marker.get(submission.get_absolute_url()).content.decode()
    assert "Points (of 10; 6 to pass)" in form
    refused = marker.post(submission.get_absolute_url(), {"points": "11", "feedback": ""})
    assert refused.status_code == 200
    assert Submission.objects.get().marked_at is None
    response = marker.post(
        submission.get_absolute_url(), {"points": "7", "feedback": "Buen trabajo."}, follow=True
    )
    assert "The mark and feedback were saved." in response.content.decode()
    page = student.get(task.url_in(cohort)).content.decode()
    assert "7 of 10 points · passed" in page
    assert "Buen trabajo." in page
    assert "Send my work" not in page


def test_pages_refuse_late_work_and_strangers_and_hide_marks_from_classmates(
    cohort: Any, teacher: Any, course: Any
) -> None:
    task = education.assignment(course, days_left=-1, accepts_late=False)
    enrolment = education.student(cohort)
    response = _client(enrolment.person).post(task.url_in(cohort), {"text": "Tarde."})
    assert "does not accept late work" in response.content.decode()
    assert not Submission.objects.exists()
    assert _client(factories.person()).post(task.url_in(cohort), {"text": "x"}).status_code == 404
    open_task = education.assignment(course, title="Abierta")
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=open_task, text="Mío."
    )
    classmate = _client(education.student(cohort).person)
    assert classmate.get(sent.get_absolute_url()).status_code == 404
    assert "Mío." not in classmate.get(open_task.url_in(cohort)).content.decode()
    other_teacher = factories.person()
    education.cohort(course, teachers=[other_teacher], name="Otra")
    assert (
        _client(other_teacher).post(sent.get_absolute_url(), {"passed": "yes"}).status_code == 404
    )


def test_coordinators_set_the_scale_and_teachers_set_assignments_on_pages(
    course: Any, coordinator: Any, teacher: Any, cohort: Any
) -> None:
    page = factories.verified_client(coordinator)
    response = page.post(
        f"/education/courses/{course.uuid}/marking/",
        {"kind": "rubric", "rubric": "Claridad | Clara 2\n", "assignments_to_pass": "0"},
    )
    assert "Line 1: a criterion has between 2 and 10 levels." in response.content.decode()
    assert _client(teacher).get(f"/education/courses/{course.uuid}/marking/").status_code == 403
    response = _client(teacher).post(
        f"/education/courses/{course.uuid}/assignments/new/",
        {"title": "Mapa del territorio", "due_at": "2030-05-01T10:00", "accepts_late": "on"},
        follow=True,
    )
    assert "The assignment was set." in response.content.decode()
    response = page.post(
        f"/education/courses/{course.uuid}/marking/",
        {
            "kind": "rubric",
            "rubric": "Claridad | Confusa 0 | Clara 2\nFuentes | Ninguna 0 | Varias 3",
            "pass_points": "3",
            "assignments_to_pass": "1",
        },
        follow=True,
    )
    assert "The marking scale and rules were saved." in response.content.decode()
    course = Course.objects.get(pk=course.pk)
    assert (course.scale.max_points, course.assignments_to_pass) == (5, 1)
    assert "Pass 1 assignment." in Client().get(course.get_absolute_url()).content.decode()


def test_the_api_sends_lists_and_marks_with_the_pages_visibility(
    cohort: Any, teacher: Any, course: Any
) -> None:
    task = education.assignment(course)
    enrolment = education.student(cohort)
    classmate = education.student(cohort)
    base = f"/api/v1/education/cohorts/{cohort.uuid}/assignments/{task.uuid}/submissions"
    student = _api(enrolment.person)
    sent = student.post(base, {"text": "Mi informe."})
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert (body["text"], body["is_late"], body["marked_at"]) == ("Mi informe.", False, None)
    wrong = student.post(base, {"file": factories_upload()})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "file_type_not_allowed")
    services.submission_send(
        actor=classmate.person, enrolment=classmate, assignment=task, text="Del compañero."
    )
    assert [row["text"] for row in student.get(base).json()["items"]] == ["Mi informe."]
    assert len(_api(teacher).get(base).json()["items"]) == 2
    assert Client().get(base).json()["items"] == []
    url = f"/api/v1/education/submissions/{body['uuid']}"
    assert _api(classmate.person).get(url).status_code == 404
    assert (
        _api(enrolment.person)
        .post(f"{url}/mark", {"passed": True}, content_type="application/json")
        .status_code
        == 403
    )
    missing = _api(teacher).post(f"{url}/mark", {}, content_type="application/json")
    assert (missing.status_code, missing.json()["code"]) == (422, "mark_required")
    marked = _api(teacher).post(
        f"{url}/mark", {"passed": True, "feedback": "Claro."}, content_type="application/json"
    )
    assert (marked.status_code, marked.json()["passed"]) == (200, True)
    again = student.post(base, {"text": "Otra vez."})
    assert (again.status_code, again.json()["code"]) == (409, "already_marked")
    mine = student.get("/api/v1/education/submissions").json()["items"]
    assert [(row["feedback"], row["passed"]) for row in mine] == [("Claro.", True)]
    listed = Client().get(f"/api/v1/education/cohorts/{cohort.uuid}/assignments").json()
    assert [row["uuid"] for row in listed] == [str(task.uuid)]


def test_the_api_sets_assignments_marking_and_a_cohort_due_date(
    course: Any, coordinator: Any, teacher: Any, cohort: Any
) -> None:
    created = _api(teacher).post(
        f"/api/v1/education/courses/{course.uuid}/assignments",
        {"title": "Ensayo", "due_at": "2030-05-01T10:00:00Z"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    stranger = _api(factories.person()).post(
        f"/api/v1/education/courses/{course.uuid}/assignments",
        {"title": "Intrusa", "due_at": "2030-05-01T10:00:00Z"},
        content_type="application/json",
    )
    assert stranger.status_code == 403
    marking = _api(coordinator).put(
        f"/api/v1/education/courses/{course.uuid}/marking",
        {"kind": "points", "max_points": 20, "pass_points": 30},
        content_type="application/json",
    )
    assert (marking.status_code, marking.json()["field"]) == (422, "pass_points")
    marking = _api(coordinator).put(
        f"/api/v1/education/courses/{course.uuid}/marking",
        {"kind": "points", "max_points": 20, "pass_points": 12, "assignments_to_pass": 1},
        content_type="application/json",
    )
    assert marking.json()["pass_points"] == 12
    due = _api(teacher).put(
        f"/api/v1/education/cohorts/{cohort.uuid}/assignments/{uuid}/due",
        {"due_at": "2030-06-01T10:00:00Z"},
        content_type="application/json",
    )
    assert due.json()["due_at"].startswith("2030-06-01")
    listed = Client().get(f"/api/v1/education/courses/{course.uuid}/assignments").json()
    assert listed["items"][0]["due_at"].startswith("2030-05-01")


def factories_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("informe.pdf", b"plain words, not a pdf")
