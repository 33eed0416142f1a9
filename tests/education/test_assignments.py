"""Assignments: sending work (text or a checked file, late flags, resubmission until
marked), marks on the course's scale, who reads what, and completion counted from marks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.models import AuditEntry, Visibility
from minga.common.permissions import SYSTEM, PermissionDenied
from minga.education import selectors, services
from minga.education.models import Submission
from tests import factories
from tests.education import factories as education


def _rubric(course: Any) -> Any:
    return services.marking_set(
        actor=SYSTEM,
        course=course,
        data=services.MarkingData(
            kind="rubric",
            pass_points=4,
            rubric="Claridad | Confusa 0 | Clara 3\nFuentes | Ninguna 0 | Varias 2",
        ),
    )


def test_a_student_sends_text_then_a_file_and_the_file_replaces_the_text(cohort: Any) -> None:
    enrolment = education.student(cohort)
    task = education.assignment(cohort.course)
    first = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, text="Sembramos maíz."
    )
    again = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, upload=education.pdf()
    )
    assert again.pk == first.pk
    assert (again.text, again.mime, again.times_sent, again.is_late) == (
        "",
        "application/pdf",
        2,
        False,
    )
    assert again.file.read().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="education.submission.send").count() == 2


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("informe.pdf", b"MZ\x90\x00 a program"), "file_executable"),
        (SimpleUploadedFile("informe.pdf", b"just some words"), "file_type_not_allowed"),
    ],
)
def test_a_file_is_checked_by_its_content_and_nothing_is_kept(
    cohort: Any, upload: Any, code: str
) -> None:
    enrolment = education.student(cohort)
    task = education.assignment(cohort.course)
    with pytest.raises(DomainError) as refused:
        services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=task, upload=upload
        )
    assert (refused.value.code, refused.value.field) == (code, "file")
    assert not Submission.objects.exists()


def test_an_oversized_file_and_an_empty_submission_are_refused(
    cohort: Any, monkeypatch: Any
) -> None:
    from minga.education.services import assignments

    monkeypatch.setattr(assignments, "MAX_SUBMISSION_BYTES", 1000)
    enrolment = education.student(cohort)
    task = education.assignment(cohort.course)
    with pytest.raises(DomainError) as refused:
        services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=task, upload=education.pdf(2000)
        )
    assert refused.value.code == "file_too_large"
    with pytest.raises(DomainError) as empty:
        services.submission_send(actor=enrolment.person, enrolment=enrolment, assignment=task)
    assert empty.value.code == "empty_submission"
    assert not Submission.objects.exists()


def test_late_work_is_flagged_or_refused_as_the_assignment_says(cohort: Any) -> None:
    enrolment = education.student(cohort)
    flagged = education.assignment(cohort.course, days_left=-1, title="Tarde aceptada")
    refused_task = education.assignment(
        cohort.course, days_left=-1, title="Tarde no", accepts_late=False
    )
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=flagged, text="Tarde."
    )
    assert sent.is_late is True
    with pytest.raises(DomainError) as refused:
        services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=refused_task, text="Tarde."
        )
    assert (refused.value.code, refused.value.status) == ("past_due", 409)
    assert not Submission.objects.filter(assignment=refused_task).exists()


def test_a_cohort_due_date_overrides_the_course_one(cohort: Any, teacher: Any) -> None:
    enrolment = education.student(cohort)
    task = education.assignment(cohort.course, days_left=-1, accepts_late=False)
    later = timezone.now() + timedelta(days=3)
    services.due_date_set(actor=teacher, cohort=cohort, assignment=task, due_at=later)
    assert selectors.due_for(task, cohort) == later
    assert selectors.cohort_assignments(cohort)[0].due == later
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, text="A tiempo."
    )
    assert sent.is_late is False
    services.due_date_set(actor=teacher, cohort=cohort, assignment=task, due_at=None)
    assert selectors.due_for(task, cohort) == task.due_at


def test_work_marked_cannot_be_sent_again_and_only_the_cohort_teacher_marks(
    cohort: Any, teacher: Any, course: Any
) -> None:
    enrolment = education.student(cohort)
    task = education.assignment(course)
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, text="Mi informe."
    )
    other_teacher = factories.person()
    education.cohort(course, teachers=[other_teacher], name="Otra cohorte")
    for intruder in (other_teacher, enrolment.person):
        with pytest.raises(PermissionDenied):
            services.submission_mark(
                actor=intruder, submission=sent, data=services.SubmissionMark(passed=True)
            )
    marked = services.submission_mark(
        actor=teacher, submission=sent, data=services.SubmissionMark(passed=True, feedback="Bien.")
    )
    assert (marked.passed, marked.feedback, marked.marked_by) == (True, "Bien.", teacher)
    with pytest.raises(DomainError) as refused:
        services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=task, text="Otra vez."
        )
    assert refused.value.code == "already_marked"
    assert Submission.objects.get().text == "Mi informe."


def test_a_person_sends_only_in_their_own_accepted_place(cohort: Any, course: Any) -> None:
    enrolment = education.student(cohort)
    task = education.assignment(course)
    with pytest.raises(PermissionDenied):
        services.submission_send(
            actor=factories.person(), enrolment=enrolment, assignment=task, text="Suplantación."
        )
    other_course_task = education.assignment(education.course(course.school, title="Otro"))
    with pytest.raises(DomainError) as refused:
        services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=other_course_task, text="x"
        )
    assert refused.value.code == "unknown_assignment"
    assert not Submission.objects.exists()


def test_a_rubric_mark_sums_its_levels_and_a_wrong_level_changes_nothing(
    cohort: Any, teacher: Any, course: Any
) -> None:
    _rubric(course)
    enrolment = education.student(cohort)
    task = education.assignment(course)
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, text="Informe."
    )
    with pytest.raises(DomainError) as refused:
        services.submission_mark(
            actor=teacher, submission=sent, data=services.SubmissionMark(levels=(1, 5))
        )
    assert refused.value.field == "levels.1"
    sent.refresh_from_db()
    assert sent.marked_at is None
    marked = services.submission_mark(
        actor=teacher, submission=sent, data=services.SubmissionMark(levels=(1, 1))
    )
    assert (marked.points, marked.passed, marked.levels) == (5, True, [1, 1])


def test_the_scale_is_fixed_once_work_is_marked_and_rules_fit_the_assignments(
    cohort: Any, teacher: Any, course: Any
) -> None:
    task = education.assignment(course)
    enrolment = education.student(cohort)
    with pytest.raises(DomainError) as too_many:
        services.marking_set(
            actor=SYSTEM, course=course, data=services.MarkingData(assignments_to_pass=2)
        )
    assert too_many.value.code == "too_many_to_pass"
    with pytest.raises(DomainError) as wrong_line:
        services.marking_set(
            actor=SYSTEM,
            course=course,
            data=services.MarkingData(kind="rubric", rubric="A | x 0 | y 1\nB | z"),
        )
    assert (wrong_line.value.field, wrong_line.value.code) == ("rubric", "rubric_levels")
    assert "2" in wrong_line.value.message
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, text="x"
    )
    services.submission_mark(
        actor=teacher, submission=sent, data=services.SubmissionMark(passed=True)
    )
    with pytest.raises(DomainError) as in_use:
        services.marking_set(
            actor=SYSTEM,
            course=course,
            data=services.MarkingData(kind="points", max_points=10, pass_points=5),
        )
    assert in_use.value.code == "scale_in_use"
    course.refresh_from_db()
    assert course.scale.kind == "pass_fail"


# Who reads what -----------------------------------------------------------------------------


def test_a_submission_is_read_by_its_student_and_the_cohort_staff_only(
    cohort: Any, teacher: Any, coordinator: Any, course: Any
) -> None:
    enrolment = education.student(cohort)
    classmate = education.student(cohort)
    other_teacher = factories.person()
    education.cohort(course, teachers=[other_teacher], name="Otra cohorte")
    task = education.assignment(course)
    sent = services.submission_send(
        actor=enrolment.person, enrolment=enrolment, assignment=task, text="Mío."
    )
    for reader in (enrolment.person, teacher, coordinator):
        assert selectors.get_submission_for(reader, sent.uuid) == sent
    for reader in (classmate.person, other_teacher, factories.person(), AnonymousUser()):
        with pytest.raises(Http404):
            selectors.get_submission_for(reader, sent.uuid)
        assert not selectors.can_read_submission(reader, sent)
    assert list(selectors.my_submissions(classmate.person)) == []


def test_the_assignments_of_a_hidden_course_appear_nowhere(school: Any, teacher: Any) -> None:
    hidden = education.course(school, title="Taller interno", visibility=Visibility.CUSTODIANS)
    cohort = education.cohort(hidden, teachers=[teacher])
    task = education.assignment(hidden)
    assert selectors.get_assignment_for(teacher, task.uuid, cohort=cohort) == task
    for reader in (factories.person(), AnonymousUser()):
        with pytest.raises(Http404):
            selectors.get_assignment_for(reader, task.uuid)


# Completion counted from marks ----------------------------------------------------------------


def test_completion_counts_passed_marks_and_a_final_assignment(
    cohort: Any, teacher: Any, course: Any
) -> None:
    session = education.session(cohort)
    enrolment = education.student(cohort)
    services.attendance_sync(
        actor=teacher, cohort=cohort, marks=[education.mark(session, enrolment)]
    )
    first, second = education.assignment(course), education.assignment(course, title="Segundo")
    final = education.assignment(course, title="Examen", is_final=True)
    services.marking_set(
        actor=SYSTEM, course=course, data=services.MarkingData(assignments_to_pass=2)
    )
    course.final_assessment_required = True
    course.save(update_fields=["final_assessment_required"])
    cohort.course.refresh_from_db()

    def mark(task: Any, passed: bool) -> None:
        sent = services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=task, text="x"
        )
        services.submission_mark(
            actor=teacher, submission=sent, data=services.SubmissionMark(passed=passed)
        )

    mark(first, True)
    mark(second, False)
    progress = selectors.progress_of(enrolment)
    assert (progress.assignments_passed, progress.missing) == (1, ("assignments", "final"))
    with pytest.raises(DomainError) as refused:
        services.certificate_issue(actor=teacher, enrolment=enrolment)
    assert refused.value.code == "completion_rules_not_met"
    assert "1 of 2 assignments passed" in refused.value.message
    with pytest.raises(DomainError) as manual:
        services.assessment_record(actor=teacher, enrolment=enrolment, passed=True)
    assert manual.value.code == "final_is_assignment"
    mark(final, True)
    progress = selectors.progress_of(enrolment)
    assert (progress.assignments_passed, progress.complete) == (2, True)
    assert services.certificate_issue(actor=teacher, enrolment=enrolment).code


def test_cohort_progress_counts_marks_in_a_fixed_number_of_queries(
    cohort: Any, teacher: Any, course: Any, django_assert_max_num_queries: Any
) -> None:
    task = education.assignment(course)
    enrolments = [education.student(cohort) for _i in range(3)]
    for enrolment in enrolments[:2]:
        sent = services.submission_send(
            actor=enrolment.person, enrolment=enrolment, assignment=task, text="x"
        )
        services.submission_mark(
            actor=teacher, submission=sent, data=services.SubmissionMark(passed=True)
        )
    cohort.course.refresh_from_db()
    with django_assert_max_num_queries(5):
        progress = selectors.cohort_progress(cohort, enrolments)
    assert [progress[e.pk].assignments_passed for e in enrolments] == [1, 1, 0]
