"""Certificates: anyone verifies one by its code (status, claims, signed form)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from minga.common import signing
from minga.common.api import ErrorOut
from minga.core.education import certificates as signed_form

from .. import selectors

router = Router(tags=["education"])


class CertificateOut(Schema):
    code: str
    valid: bool
    signature_holds: bool
    revoked_at: datetime | None
    revocation_reason: str
    holder: str
    course: str
    school: str
    issued_at: datetime
    signed: str


@router.get("/certificates/{code}", response={200: CertificateOut, 404: ErrorOut})
def verify_certificate(request: HttpRequest, code: str) -> Any:
    certificate = selectors.certificate_by_code(code)
    try:
        signed_form.verify(certificate.signed, signing.known_public_keys())
        holds = True
    except signed_form.InvalidCertificateError:
        holds = False
    enrolment = certificate.enrolment
    return {
        "code": certificate.code,
        "valid": holds and certificate.revoked_at is None,
        "signature_holds": holds,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "holder": str(enrolment.person),
        "course": enrolment.cohort.course.title,
        "school": enrolment.cohort.course.school.name,
        "issued_at": certificate.issued_at,
        "signed": certificate.signed,
    }
