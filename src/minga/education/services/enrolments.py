"""Applications, decisions, the wait-list and final assessments.

Every write that changes who holds a place first locks the cohort's row (on SQLite the
write transaction is IMMEDIATE, which serializes the same way), then counts, so capacity is
never exceeded even when many apply or are accepted at once.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.common.visibility import viewer_for

from .. import published_sessions, selectors
from ..audit_events import EducationEvent
from ..models import Cohort, Enrolment
from ..types import Admission, Endorsement, EnrolmentStatus, OnBehalf

DECISIONS = ("accept", "waitlist", "refuse")


def _lock(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _count(cohort: Cohort, status: str) -> int:
    return cohort.enrolments.filter(status=status).count()


def _full(message_field: str = "cohort") -> DomainError:
    return DomainError(
        _("This cohort is full and its wait-list too."),
        message_field,
        code="cohort_full",
        status=409,
    )


def _prerequisites_missing(actor: Any, missing: list[Any]) -> DomainError:
    # Only the titles the applicant may read: a hidden course appears nowhere.
    readable = set(
        selectors.visible_courses(actor)
        .filter(pk__in=[course.pk for course in missing])
        .values_list("pk", flat=True)
    )
    titles = ", ".join(course.title for course in missing if course.pk in readable)
    message = _("This course asks you to complete other courses first.")
    if titles:
        message = _("This course asks you to complete these courses first: %(courses)s.") % {
            "courses": titles
        }
    return DomainError(
        message,
        "cohort",
        code="prerequisites_missing",
        status=409,
    )


@guarded("education.cohort.apply", on="cohort")
@transaction.atomic
def enrolment_apply(*, actor: Any, cohort: Cohort, on_behalf_of: Any = None) -> Enrolment:
    """Apply to a cohort (on behalf of one of the applicant's organizations if given).

    Applying again while an application is open returns it unchanged. With first-come
    admission the place (or a wait-list place) is given at once."""
    cohort = _lock(cohort)
    today = timezone.localdate()
    if not cohort.enrolment_opens_on <= today <= cohort.enrolment_closes_on:
        raise DomainError(
            _("Applications to this cohort are open from %(opens)s to %(closes)s.")
            % {"opens": cohort.enrolment_opens_on, "closes": cohort.enrolment_closes_on},
            "cohort",
            code="outside_enrolment_window",
            status=409,
        )
    if on_behalf_of is not None and on_behalf_of.pk not in viewer_for(actor).organization_ids:
        raise DomainError(
            _("You may apply only on behalf of an organization where you hold a role."),
            "on_behalf_of",
            code="not_your_organization",
            status=403,
        )
    asks = cohort.course.on_behalf
    if on_behalf_of is None and asks in (OnBehalf.NAMED, OnBehalf.ENDORSED):
        raise DomainError(
            _("This course asks you to apply on behalf of one of your organizations."),
            "on_behalf_of",
            code="organization_required",
        )
    endorsement = Endorsement.PENDING if asks == OnBehalf.ENDORSED else Endorsement.NOT_NEEDED
    enrolment = Enrolment.objects.filter(cohort=cohort, person=actor).first()
    if enrolment is not None and enrolment.status in (
        EnrolmentStatus.APPLIED,
        EnrolmentStatus.ACCEPTED,
        EnrolmentStatus.WAITLISTED,
    ):
        return enrolment
    if enrolment is not None and enrolment.status == EnrolmentStatus.REFUSED:
        raise DomainError(
            _("Your application to this cohort was refused."),
            "cohort",
            code="application_refused",
            status=409,
        )
    missing = selectors.missing_prerequisites(actor, cohort.course)
    if missing:
        raise _prerequisites_missing(actor, missing)
    accepted = _count(cohort, EnrolmentStatus.ACCEPTED)
    waitlisted = _count(cohort, EnrolmentStatus.WAITLISTED)
    if accepted >= cohort.capacity and waitlisted >= cohort.waitlist_size:
        raise _full()
    now = timezone.now()
    status = EnrolmentStatus.APPLIED
    # An application waiting for its organization's endorsement holds no place yet.
    if cohort.admission == Admission.FIRST_COME and endorsement != Endorsement.PENDING:
        full = accepted >= cohort.capacity
        status = EnrolmentStatus.WAITLISTED if full else EnrolmentStatus.ACCEPTED
    if enrolment is None:
        enrolment = Enrolment(cohort=cohort, person=actor)
    enrolment.on_behalf_of = on_behalf_of
    enrolment.endorsement = endorsement
    enrolment.endorsed_by = None
    enrolment.endorsed_at = None
    enrolment.status = status
    enrolment.reason = ""
    enrolment.decided_at = now if status != EnrolmentStatus.APPLIED else None
    enrolment.waitlisted_at = now if status == EnrolmentStatus.WAITLISTED else None
    enrolment.save()
    audit.record(actor=actor, action=EducationEvent.ENROLMENT_APPLY, target=cohort)
    if status == EnrolmentStatus.ACCEPTED:
        published_sessions.refresh_audience(cohort)
    return enrolment


@guarded("education.cohort.teach", on="enrolment", via=lambda enrolment: enrolment.cohort)
@transaction.atomic
def enrolment_decide(
    *, actor: Any, enrolment: Enrolment, decision: str, reason: str = ""
) -> Enrolment:
    """Accept, wait-list or refuse (with a reason) an application."""
    cohort = _lock(enrolment.cohort)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise DomainError(_("Unknown decision."), "decision", code="unknown_decision")
    if enrolment.status in (EnrolmentStatus.REFUSED, EnrolmentStatus.WITHDRAWN):
        raise DomainError(
            _("This application is closed."), "decision", code="application_closed", status=409
        )
    was = enrolment.status
    if decision in ("accept", "waitlist") and enrolment.endorsement in (
        Endorsement.PENDING,
        Endorsement.DECLINED,
    ):
        raise DomainError(
            _("The organization named in this application has not endorsed it yet."),
            "decision",
            code="endorsement_required",
            status=409,
        )
    if decision == "accept":
        if was == EnrolmentStatus.ACCEPTED:
            return enrolment
        if _count(cohort, EnrolmentStatus.ACCEPTED) >= cohort.capacity:
            raise DomainError(
                _("The cohort is full: put the application on the wait-list."),
                "decision",
                code="cohort_full",
                status=409,
            )
        enrolment.status = EnrolmentStatus.ACCEPTED
    elif decision == "waitlist":
        if was == EnrolmentStatus.WAITLISTED:
            return enrolment
        if _count(cohort, EnrolmentStatus.WAITLISTED) >= cohort.waitlist_size:
            raise DomainError(
                _("The wait-list is full."), "decision", code="waitlist_full", status=409
            )
        enrolment.status = EnrolmentStatus.WAITLISTED
        enrolment.waitlisted_at = timezone.now()
    else:
        if not reason:
            raise DomainError(
                _("Say why the application is refused."), "reason", code="reason_required"
            )
        enrolment.status = EnrolmentStatus.REFUSED
    enrolment.reason = reason
    enrolment.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    enrolment.decided_at = timezone.now()
    enrolment.save()
    audit.record(
        actor=actor,
        action=EducationEvent.ENROLMENT_DECIDE,
        target=cohort,
        changes={"status": [was, enrolment.status]},
    )
    if was == EnrolmentStatus.ACCEPTED:
        _promote_waitlisted(cohort, actor)
    if EnrolmentStatus.ACCEPTED in (was, enrolment.status):
        published_sessions.refresh_audience(cohort)
    return enrolment


ENDORSEMENTS = ("endorse", "decline")


@guarded("education.enrolment.endorse", on="enrolment")
@transaction.atomic
def enrolment_endorse(
    *, actor: Any, enrolment: Enrolment, decision: str, reason: str = ""
) -> Enrolment:
    """The coordinators of the organization an application names endorse it (the teachers
    may then answer it) or decline it with a reason (the application is then refused).
    With first-come admission an endorsed application takes a place (or a wait-list place)
    at once, if one is left."""
    cohort = _lock(enrolment.cohort)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    reason = (reason or "").strip()
    if decision not in ENDORSEMENTS:
        raise DomainError(_("Unknown decision."), "decision", code="unknown_decision")
    if enrolment.endorsement != Endorsement.PENDING or enrolment.status != EnrolmentStatus.APPLIED:
        raise DomainError(
            _("This application is not waiting for an endorsement."),
            "decision",
            code="not_waiting_for_endorsement",
            status=409,
        )
    now = timezone.now()
    person = actor if getattr(actor, "is_authenticated", False) else None
    enrolment.endorsed_by = person
    enrolment.endorsed_at = now
    if decision == "decline":
        if not reason:
            raise DomainError(
                _("Say why the organization declines."), "reason", code="reason_required"
            )
        enrolment.endorsement = Endorsement.DECLINED
        enrolment.status = EnrolmentStatus.REFUSED
        enrolment.reason = reason
        enrolment.decided_by = person
        enrolment.decided_at = now
    else:
        enrolment.endorsement = Endorsement.ENDORSED
        if cohort.admission == Admission.FIRST_COME:
            if _count(cohort, EnrolmentStatus.ACCEPTED) < cohort.capacity:
                enrolment.status = EnrolmentStatus.ACCEPTED
                enrolment.decided_at = now
            elif _count(cohort, EnrolmentStatus.WAITLISTED) < cohort.waitlist_size:
                enrolment.status = EnrolmentStatus.WAITLISTED
                enrolment.waitlisted_at = now
                enrolment.decided_at = now
    enrolment.save()
    audit.record(
        actor=actor,
        action=EducationEvent.ENROLMENT_ENDORSE,
        target=cohort,
        changes={"endorsement": [Endorsement.PENDING, enrolment.endorsement]},
    )
    if enrolment.status == EnrolmentStatus.ACCEPTED:
        published_sessions.refresh_audience(cohort)
    return enrolment


@guarded("education.enrolment.withdraw", on="enrolment")
@transaction.atomic
def enrolment_withdraw(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    cohort = _lock(enrolment.cohort)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in (
        EnrolmentStatus.APPLIED,
        EnrolmentStatus.ACCEPTED,
        EnrolmentStatus.WAITLISTED,
    ):
        raise DomainError(
            _("This application is closed."), "enrolment", code="application_closed", status=409
        )
    if hasattr(enrolment, "certificate"):
        raise DomainError(
            _("A certificate was issued for this enrolment."),
            "enrolment",
            code="certificate_issued",
            status=409,
        )
    was = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=EducationEvent.ENROLMENT_WITHDRAW, target=cohort)
    if was == EnrolmentStatus.ACCEPTED:
        _promote_waitlisted(cohort, actor)
        published_sessions.refresh_audience(cohort)
    return enrolment


def _promote_waitlisted(cohort: Cohort, actor: Any) -> None:
    """Fill freed places with the first on the wait-list, and tell them by email."""
    free = cohort.capacity - _count(cohort, EnrolmentStatus.ACCEPTED)
    waiting = list(
        cohort.enrolments.filter(status=EnrolmentStatus.WAITLISTED)
        .select_related("person")
        .order_by("waitlisted_at", "id")[: max(free, 0)]
    )
    for enrolment in waiting:
        enrolment.status = EnrolmentStatus.ACCEPTED
        enrolment.decided_at = timezone.now()
        enrolment.save(update_fields=["status", "decided_at", "updated_at"])
        audit.record(actor=actor, action=EducationEvent.ENROLMENT_PROMOTE, target=cohort)
        transaction.on_commit(functools.partial(_tell_promoted, enrolment))


def _tell_promoted(enrolment: Enrolment) -> None:
    person = enrolment.person
    if not person.email:
        return
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("A place in %(cohort)s is yours") % {"cohort": enrolment.cohort.name}
        body = _(
            "A place freed in %(cohort)s (%(course)s) and you were first on the wait-list: "
            "you are now in the cohort.\n\n%(url)s"
        ) % {
            "cohort": enrolment.cohort.name,
            "course": enrolment.cohort.course.title,
            "url": settings.SITE_URL + enrolment.cohort.get_absolute_url(),
        }
    send_mail(subject, body, None, [person.email])


@guarded("education.cohort.teach", on="enrolment", via=lambda enrolment: enrolment.cohort)
@transaction.atomic
def assessment_record(*, actor: Any, enrolment: Enrolment, passed: bool) -> Enrolment:
    if enrolment.status != EnrolmentStatus.ACCEPTED:
        raise DomainError(
            _("Only students accepted in the cohort are assessed."),
            "enrolment",
            code="not_accepted",
            status=409,
        )
    if enrolment.cohort.course.assignments.filter(is_final=True).exists():
        raise DomainError(
            _("The final assessment of this course is its final assignment: mark that work."),
            "passed",
            code="final_is_assignment",
            status=409,
        )
    enrolment.final_assessment_passed = bool(passed)
    enrolment.save(update_fields=["final_assessment_passed", "updated_at"])
    audit.record(
        actor=actor,
        action=EducationEvent.ASSESSMENT_RECORD,
        target=enrolment.cohort,
        changes={"final_assessment_passed": [None, bool(passed)]},
    )
    return enrolment
