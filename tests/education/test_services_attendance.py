"""Attendance sent from phones: each mark once, the latest counts, conflicts shown."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from minga.common.errors import DomainError
from minga.education import selectors, services
from minga.education.models import AttendanceRecord
from tests.education import factories as education


def test_sending_the_same_marks_twice_stores_each_once(cohort: Any, teacher: Any) -> None:
    """A phone that syncs again after a lost answer changes nothing the second time."""
    session = education.session(cohort)
    students = [education.student(cohort) for _i in range(3)]
    marks = [education.mark(session, s) for s in students]
    first = services.attendance_sync(actor=teacher, cohort=cohort, marks=marks)
    second = services.attendance_sync(actor=teacher, cohort=cohort, marks=marks)
    assert (first.stored, first.already_known) == (3, 0)
    assert (second.stored, second.already_known) == (0, 3)
    assert AttendanceRecord.objects.count() == 3


def test_the_mark_recorded_last_counts_and_a_disagreement_is_shown(
    cohort: Any, teacher: Any, coordinator: Any
) -> None:
    """Two teachers mark the same student differently: the later mark wins, the other is
    kept as a conflict."""
    session = education.session(cohort)
    enrolment = education.student(cohort)
    earlier = timezone.now() - timedelta(minutes=30)
    services.attendance_sync(
        actor=teacher,
        cohort=cohort,
        marks=[education.mark(session, enrolment, "absent", recorded_at=earlier)],
    )
    services.attendance_sync(
        actor=coordinator, cohort=cohort, marks=[education.mark(session, enrolment, "late")]
    )
    resolution = selectors.attendance_of_session(session)[enrolment.pk]
    assert resolution.current.status == "late"
    assert [mark.status for mark in resolution.conflicts] == ["absent"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "asleep"}, "marks[1].status"),
        ({"client_id": "not-a-uuid"}, "marks[1].client_id"),
        ({"session": str(uuid.uuid4())}, "marks[1].session"),
        ({"enrolment": str(uuid.uuid4())}, "marks[1].enrolment"),
        ({"recorded_at": timezone.now() + timedelta(days=3)}, "marks[1].recorded_at"),
    ],
)
def test_one_bad_mark_stores_none_and_is_named(
    cohort: Any, teacher: Any, change: dict[str, Any], field: str
) -> None:
    session = education.session(cohort)
    enrolment = education.student(cohort)
    good = education.mark(session, enrolment)
    bad = education.mark(session, enrolment)
    bad = services.MarkData(**{**bad.__dict__, **change})
    with pytest.raises(DomainError) as refusal:
        services.attendance_sync(actor=teacher, cohort=cohort, marks=[good, bad])
    assert refusal.value.field == field
    assert not AttendanceRecord.objects.exists()


def test_marks_only_for_students_accepted_in_the_cohort(cohort: Any, teacher: Any) -> None:
    session = education.session(cohort)
    other = education.cohort(cohort.course, teachers=[teacher])
    outsider = education.student(other)
    with pytest.raises(DomainError) as refusal:
        services.attendance_sync(
            actor=teacher, cohort=cohort, marks=[education.mark(session, outsider)]
        )
    assert refusal.value.code == "not_a_student"


def test_progress_counts_present_and_late_leaves_out_excused_and_misses_unmarked(
    cohort: Any, teacher: Any
) -> None:
    """Four sessions held: present, late, excused, nothing marked → 2 of 3 counted (66 %)."""
    sessions = [education.session(cohort, days_ago=days) for days in (4, 3, 2, 1)]
    education.session(cohort, days_ago=-3)  # not held yet: not counted
    enrolment = education.student(cohort)
    marks = [
        education.mark(sessions[0], enrolment, "present"),
        education.mark(sessions[1], enrolment, "late"),
        education.mark(sessions[2], enrolment, "excused"),
    ]
    services.attendance_sync(actor=teacher, cohort=cohort, marks=marks)
    progress = selectors.progress_of(enrolment)
    assert (progress.sessions_attended, progress.sessions_counted) == (2, 3)
    assert progress.attendance_percent == 66
    assert not progress.complete  # 75 % needed
    assert selectors.cohort_progress(cohort, [enrolment])[enrolment.pk] == progress
