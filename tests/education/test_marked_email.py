"""The email a student gets when their work is marked: in their language, with the link to
their mark and feedback, once per marking (the task is safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from minga.education import services
from minga.education.models import Submission
from tests.education import factories as education


def _work(cohort: Any, *, email: str = "etidyan@example.org", language: str = "ht") -> Any:
    enrolment = education.student(cohort)
    person = enrolment.person
    person.email, person.language = email, language
    person.save(update_fields=["email", "language"])
    return services.submission_send(
        actor=person,
        enrolment=enrolment,
        assignment=education.assignment(cohort.course),
        text="Nou plante mayi.",
    )


def _mark(teacher: Any, work: Any, passed: bool, capture: Any) -> None:
    with capture(execute=True):
        services.submission_mark(
            actor=teacher,
            submission=work,
            data=services.SubmissionMark(passed=passed, feedback="Bon travay."),
        )


def test_the_student_is_told_in_their_language_with_the_link(
    cohort: Any, teacher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    work = _work(cohort)
    _mark(teacher, work, True, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["etidyan@example.org"]
    with translation.override("ht"):
        subject = gettext("Your work for %(assignment)s was marked") % {
            "assignment": "Informe del huerto"
        }
        passed = gettext("Passed")
    assert message.subject == subject
    assert f"/education/submissions/{work.uuid}/" in message.body
    assert passed in message.body
    assert "Bon travay." not in message.body  # the feedback is read on the page, signed in
    assert Submission.objects.get(pk=work.pk).mark_told_at is not None


def test_running_the_task_again_sends_nothing_and_a_new_marking_is_told_again(
    cohort: Any, teacher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    work = _work(cohort)
    _mark(teacher, work, False, django_capture_on_commit_callbacks)
    assert services.submission_mark_tell(work.pk) is False
    assert len(mail.outbox) == 1
    _mark(teacher, work, True, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_no_email_without_an_address_or_a_mark(
    cohort: Any, teacher: Any, django_capture_on_commit_callbacks: Any
) -> None:
    unmarked = _work(cohort)
    assert services.submission_mark_tell(unmarked.pk) is False
    quiet = _work(cohort, email="")
    _mark(teacher, quiet, True, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Submission.objects.get(pk=quiet.pk).mark_told_at is None
