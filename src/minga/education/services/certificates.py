"""Certificates: issued when the completion rules are met or by a coordinator's recorded
decision, signed with the server's Ed25519 key, revoked with a reason."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit, signing
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.core.education import certificates as signed_form

from .. import selectors
from ..audit_events import EducationEvent
from ..models import Certificate, Cohort, Enrolment
from ..types import EnrolmentStatus

# Crockford's base32 without the letters people mistake for digits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _claims_of(enrolment: Enrolment, code: str, issued_on: str) -> signed_form.Claims:
    cohort = enrolment.cohort
    course = cohort.course
    return signed_form.Claims(
        code=code,
        holder=str(enrolment.person),
        course=course.title,
        school=course.school.name,
        language=course.language,
        starts_on=cohort.starts_on.isoformat(),
        ends_on=cohort.ends_on.isoformat(),
        hours=int(course.hours),
        issued_on=issued_on,
        url=settings.SITE_URL + reverse("education:verify", kwargs={"code": code}),
    )


def _issue(actor: Any, enrolment: Enrolment, reason: str) -> Certificate:
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person", "cohort__course__school")
        .get(pk=enrolment.pk)
    )
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        if existing.revoked_at is not None:
            raise DomainError(
                _("The certificate of this enrolment was revoked."),
                "enrolment",
                code="certificate_revoked",
                status=409,
            )
        return existing
    if enrolment.status != EnrolmentStatus.ACCEPTED:
        raise DomainError(
            _("Only students accepted in the cohort receive a certificate."),
            "enrolment",
            code="not_accepted",
            status=409,
        )
    now = timezone.now()
    for _attempt in range(5):
        code = _new_code()
        token = signed_form.sign(
            _claims_of(enrolment, code, now.date().isoformat()),
            signer=signing.sign,
            raw_public_key=signing.public_key_bytes(),
        )
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment,
                    code=code,
                    signed=token,
                    issued_at=now,
                    issued_by=actor if getattr(actor, "is_authenticated", False) else None,
                    decision_reason=reason,
                )
        except IntegrityError:
            continue  # a code already taken (one chance in 32**10): draw another
        break
    else:  # pragma: no cover - five collisions in a row
        raise DomainError(_("Try again."), None, code="code_collision", status=409)
    audit.record(actor=actor, action=EducationEvent.CERTIFICATE_ISSUE, target=certificate)
    return certificate


@guarded("education.cohort.teach", on="enrolment", via=lambda enrolment: enrolment.cohort)
@transaction.atomic
def certificate_issue(*, actor: Any, enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a student who met the course's completion rules."""
    if enrolment.status == EnrolmentStatus.ACCEPTED and not hasattr(enrolment, "certificate"):
        progress = selectors.progress_of(enrolment)
        if not progress.complete:
            raise DomainError(
                _(
                    "The completion rules are not met yet (attendance %(share)d%% of "
                    "%(minimum)d%% needed%(assignments)s%(final)s)."
                )
                % {
                    "share": progress.attendance_percent,
                    "minimum": enrolment.cohort.course.min_attendance_percent,
                    "assignments": _(", %(passed)d of %(needed)d assignments passed")
                    % {"passed": progress.assignments_passed, "needed": progress.assignments_needed}
                    if not progress.assignments_met
                    else "",
                    "final": _(", final assessment pending")
                    if not progress.final_assessment_met
                    else "",
                },
                "enrolment",
                code="completion_rules_not_met",
                status=409,
            )
    return _issue(actor, enrolment, "")


@guarded(
    "education.school.coordinate",
    on="enrolment",
    via=lambda enrolment: enrolment.cohort.course.school,
)
@transaction.atomic
def certificate_grant(*, actor: Any, enrolment: Enrolment, reason: str) -> Certificate:
    """A coordinator's decision to issue a certificate whatever the rules say, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the certificate is issued by decision."), "reason", code="reason_required"
        )
    return _issue(actor, enrolment, reason)


@guarded("education.cohort.teach", on="cohort")
@transaction.atomic
def certificates_issue_completed(*, actor: Any, cohort: Cohort) -> list[Certificate]:
    """Issue at once the certificates of every accepted student of the cohort who met the
    completion rules and has none yet (the end of a course): progress counted by the
    database, each certificate signed, all written together. Returns the new ones."""
    enrolments = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(cohort=cohort, status=EnrolmentStatus.ACCEPTED, certificate__isnull=True)
        .select_related("person")
        .order_by("id")
    )
    progress = selectors.cohort_progress(cohort, enrolments)
    completed = [e for e in enrolments if progress[e.pk].complete]
    if not completed:
        return []
    cohort = Cohort.objects.select_related("course__school").get(pk=cohort.pk)
    for enrolment in completed:
        enrolment.cohort = cohort
    now = timezone.now()
    issued_on = now.date().isoformat()
    public_key = signing.public_key_bytes()
    issued_by = actor if getattr(actor, "is_authenticated", False) else None

    def drafts() -> list[Certificate]:
        rows = []
        for enrolment in completed:
            code = _new_code()
            rows.append(
                Certificate(
                    enrolment=enrolment,
                    code=code,
                    signed=signed_form.sign(
                        _claims_of(enrolment, code, issued_on),
                        signer=signing.sign,
                        raw_public_key=public_key,
                    ),
                    issued_at=now,
                    issued_by=issued_by,
                )
            )
        return rows

    try:
        with transaction.atomic():
            certificates = Certificate.objects.bulk_create(drafts(), batch_size=500)
    except IntegrityError:
        # A code drawn twice (one chance in 32**10 a pair): one by one, each drawing again.
        certificates = [_issue(actor, enrolment, "") for enrolment in completed]
    else:
        audit.record_many(
            actor=actor, action=EducationEvent.CERTIFICATE_ISSUE, targets=list(certificates)
        )
    return certificates


@guarded("education.certificate.revoke", on="certificate")
@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the certificate is revoked."), "reason", code="reason_required"
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise DomainError(
            _("This certificate is already revoked."),
            "certificate",
            code="already_revoked",
            status=409,
        )
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=EducationEvent.CERTIFICATE_REVOKE,
        target=certificate,
        changes={"reason": [None, reason]},
    )
    return certificate
