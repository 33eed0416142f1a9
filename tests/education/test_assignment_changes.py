"""Changing and deleting an assignment: the course's staff only, audited; deleting takes
the work sent for it (as Moodle does) once the number of pieces of work is confirmed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM, PermissionDenied
from minga.education import services
from minga.education.models import Assignment, Submission
from tests import factories
from tests.education import factories as education


def _data(task: Any, **changes: Any) -> Any:
    fields = {
        "title": task.title,
        "instructions": task.instructions,
        "due_at": task.due_at,
        "module": task.module,
        "accepts_late": task.accepts_late,
        "is_final": task.is_final,
        **changes,
    }
    return services.AssignmentData(**fields)


def _sent(cohort: Any, task: Any, *, marked: bool = False) -> Any:
    enrolment = education.student(cohort)
    work = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, upload=education.pdf()
    )
    if marked:
        work = services.submission_mark(
            actor=SYSTEM, submission=work, data=services.SubmissionMark(passed=True)
        )
    return work


def test_a_teacher_changes_an_assignment_with_work_sent_and_the_work_keeps_its_flags(
    cohort: Any, teacher: Any
) -> None:
    task = education.assignment(cohort.course)
    work = _sent(cohort, task, marked=True)
    later = timezone.now() - timedelta(days=1)
    changed = services.assignment_update(
        actor=teacher,
        assignment=task,
        data=_data(task, title="Informe final", due_at=later, accepts_late=False),
    )
    assert (changed.title, changed.accepts_late) == ("Informe final", False)
    work.refresh_from_db()
    assert (work.is_late, work.passed) == (False, True)  # as when it was sent and marked
    entry = AuditEntry.objects.get(action="education.assignment.update")
    assert entry.changes["title"] == ["Informe del huerto", "Informe final"]
    assert entry.changes["accepts_late"] == [True, False]


def test_saving_an_unchanged_assignment_writes_no_audit_entry(cohort: Any, teacher: Any) -> None:
    task = education.assignment(cohort.course)
    services.assignment_update(actor=teacher, assignment=task, data=_data(task))
    assert not AuditEntry.objects.filter(action="education.assignment.update").exists()


def test_a_second_final_assessment_and_another_course_module_are_refused(
    cohort: Any, teacher: Any
) -> None:
    education.assignment(cohort.course, is_final=True)
    task = education.assignment(cohort.course, title="Otra")
    with pytest.raises(DomainError) as refusal:
        services.assignment_update(actor=teacher, assignment=task, data=_data(task, is_final=True))
    assert refusal.value.code == "final_exists"
    elsewhere = education.lesson(education.course(title="Otro curso")).module
    with pytest.raises(DomainError) as refusal:
        services.assignment_update(
            actor=teacher, assignment=task, data=_data(task, module=elsewhere)
        )
    assert refusal.value.code == "unknown_module"
    task.refresh_from_db()
    assert (task.is_final, task.module) == (False, None)


def test_students_and_strangers_may_not_change_or_delete(cohort: Any) -> None:
    task = education.assignment(cohort.course)
    student = _sent(cohort, task).enrolment.person
    for person in (student, factories.person("extraña")):
        with pytest.raises(PermissionDenied):
            services.assignment_update(actor=person, assignment=task, data=_data(task, title="X"))
        with pytest.raises(PermissionDenied):
            services.assignment_delete(actor=person, assignment=task, submissions_to_delete=1)
    assert Assignment.objects.filter(pk=task.pk, title="Informe del huerto").exists()


def test_deleting_takes_the_confirmed_work_and_its_files_and_is_audited(
    cohort: Any, teacher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    task = education.assignment(cohort.course)
    marked, unmarked = _sent(cohort, task, marked=True), _sent(cohort, task)
    names = [marked.file.name, unmarked.file.name]
    with pytest.raises(DomainError) as refusal:
        services.assignment_delete(actor=teacher, assignment=task, submissions_to_delete=1)
    assert refusal.value.code == "submissions_changed"
    assert "2 pieces of work" in refusal.value.message
    assert Submission.objects.filter(assignment=task).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_delete(actor=teacher, assignment=task, submissions_to_delete=2)
    assert not Assignment.objects.filter(pk=task.pk).exists()
    assert not Submission.objects.filter(pk__in=[marked.pk, unmarked.pk]).exists()
    assert not any(default_storage.exists(name) for name in names)
    entry = AuditEntry.objects.get(action="education.assignment.delete")
    assert entry.changes == {
        "assignment": ["Informe del huerto", None],
        "submissions": [2, 0],
        "marked": [1, 0],
    }


def test_pages_change_and_delete_with_a_confirmation(
    cohort: Any, teacher: Any, course: Any
) -> None:
    task = education.assignment(course)
    _sent(cohort, task, marked=True)
    client = Client()
    client.force_login(teacher)
    course_page = client.get(course.get_absolute_url()).content.decode()
    assert f"/education/assignments/{task.uuid}/edit/" in course_page
    form = client.get(f"/education/assignments/{task.uuid}/edit/")
    assert 'value="Informe del huerto"' in form.content.decode()
    due = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/education/assignments/{task.uuid}/edit/",
        {"title": "Informe revisado", "due_at": due, "accepts_late": "on"},
        follow=True,
    )
    assert "The assignment was changed." in response.content.decode()
    page = client.get(f"/education/assignments/{task.uuid}/delete/").content.decode()
    assert "1 piece of work was sent for it (1 marked)" in page
    stale = client.post(
        f"/education/assignments/{task.uuid}/delete/", {"submissions_to_delete": "0"}, follow=True
    )
    assert "1 piece of work was sent for this assignment" in stale.content.decode()
    done = client.post(
        f"/education/assignments/{task.uuid}/delete/", {"submissions_to_delete": "1"}, follow=True
    )
    assert "The assignment was deleted." in done.content.decode()
    assert not Assignment.objects.filter(pk=task.pk).exists()


def test_pages_and_api_refuse_students_and_hide_assignments_of_hidden_courses(
    cohort: Any, course: Any
) -> None:
    task = education.assignment(course)
    student = _sent(cohort, task).enrolment.person
    client = Client()
    client.force_login(student)
    assert client.get(f"/education/assignments/{task.uuid}/edit/").status_code == 403
    assert client.post(f"/education/assignments/{task.uuid}/delete/").status_code == 403
    api = Client(headers={"Authorization": f"Bearer {factories.api_token(student)}"})
    assert api.delete(f"/api/v1/education/assignments/{task.uuid}").status_code == 403
    hidden = education.course(title="Reservado", visibility="custodians")
    secret = education.assignment(hidden)
    assert client.get(f"/education/assignments/{secret.uuid}/edit/").status_code == 404
    assert api.get(f"/api/v1/education/assignments/{secret.uuid}").status_code == 404
    assert Assignment.objects.filter(pk__in=[task.pk, secret.pk]).count() == 2


def test_the_api_changes_and_deletes(cohort: Any, teacher: Any, course: Any) -> None:
    task = education.assignment(course)
    _sent(cohort, task)
    api = Client(headers={"Authorization": f"Bearer {factories.api_token(teacher)}"})
    url = f"/api/v1/education/assignments/{task.uuid}"
    due = (timezone.now() + timedelta(days=2)).isoformat()
    changed = api.put(url, {"title": "Informe API", "due_at": due}, content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["title"] == "Informe API"
    stale = api.delete(url)
    assert stale.status_code == 409
    assert stale.json()["code"] == "submissions_changed"
    assert api.delete(f"{url}?submissions_to_delete=1").status_code == 204
    assert api.get(url).status_code == 404
