"""Permission rules of education (see ``minga.common.permissions``).

- A school's coordinators are the people who coordinate or administer its organization in
  the registry; they open the school (for that organization), create and change its courses,
  open cohorts, name their teachers, and issue certificates by decision or revoke them.
- A cohort's teachers (and the school's coordinators) answer applications, schedule
  sessions, take attendance, record final assessments and issue certificates when the
  completion rules are met.
- A course's coordinators and the teachers of its cohorts write its modules, lessons,
  recordings and materials; whoever may read the course reads them.
- Any signed-in person who may read a course applies to its cohorts; a student withdraws
  their own application.
- An accepted student sends their own work for the assignments of their cohort's course;
  the cohort's teachers (and the school's coordinators) mark it; the course's staff set
  assignments, and its coordinators its marking scale.
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.registry.selectors import DECIDING_ROLES, organization_ids_with_role

from . import selectors
from .models import Certificate, Cohort, Course, Enrolment, School


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rule("education.school.create")
def can_create_school(user: Any, organization: Any = None) -> bool:
    deciding = organization_ids_with_role(user, DECIDING_ROLES)
    return bool(deciding) if organization is None else organization.pk in deciding


@rule("education.school.coordinate")
def can_coordinate(user: Any, school: School | None = None) -> bool:
    if school is None:
        return selectors.coordinated_schools(user).exists()
    return _signed_in(user) and selectors.is_coordinator(user, school)


@rule("education.course.change")
def can_change_course(user: Any, course: Course) -> bool:
    return _signed_in(user) and selectors.is_coordinator(user, course.school)


@rule("education.course.teach")
def can_teach_course(user: Any, course: Course) -> bool:
    """Write the course's modules, lessons and materials: coordinators and the teachers of
    any of its cohorts."""
    return _signed_in(user) and selectors.is_course_staff(user, course)


@rule("education.cohort.teach")
def can_teach(user: Any, cohort: Cohort) -> bool:
    return _signed_in(user) and selectors.is_cohort_staff(user, cohort)


@rule("education.cohort.apply")
def can_apply(user: Any, cohort: Cohort) -> bool:
    return _signed_in(user) and selectors.can_view_course(user, cohort.course)


@rule("education.enrolment.check_in")
def can_check_in(user: Any, enrolment: Enrolment) -> bool:
    """A student checks in only themself, and only once accepted."""
    return _signed_in(user) and enrolment.person_id == user.pk and enrolment.is_accepted


@rule("education.assignment.submit")
def can_submit(user: Any, enrolment: Enrolment) -> bool:
    """A student sends work only in their own place, once accepted."""
    return _signed_in(user) and enrolment.person_id == user.pk and enrolment.is_accepted


@rule("education.enrolment.endorse")
def can_endorse(user: Any, enrolment: Enrolment) -> bool:
    """The coordinators and administrators of the organization an application names."""
    return (
        _signed_in(user)
        and enrolment.on_behalf_of_id is not None
        and enrolment.on_behalf_of_id in organization_ids_with_role(user, DECIDING_ROLES)
    )


@rule("education.enrolment.withdraw")
def can_withdraw(user: Any, enrolment: Enrolment) -> bool:
    return _signed_in(user) and enrolment.person_id == user.pk


@rule("education.certificate.revoke")
def can_revoke(user: Any, certificate: Certificate) -> bool:
    return _signed_in(user) and selectors.is_coordinator(
        user, certificate.enrolment.cohort.course.school
    )
