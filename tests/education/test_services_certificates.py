"""Certificates: issued when the rules are met or by decision, verified, revoked."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minga.common import signing
from minga.common.errors import DomainError
from minga.core.education import certificates as signed_form
from minga.education import services
from minga.education.documents import render_certificate_pdf
from minga.education.models import Certificate
from tests import factories
from tests.education import factories as education


def _completed(cohort: Any, teacher: Any) -> Any:
    session = education.session(cohort)
    enrolment = education.student(cohort)
    services.attendance_sync(
        actor=teacher, cohort=cohort, marks=[education.mark(session, enrolment)]
    )
    return enrolment


def test_a_certificate_is_refused_until_the_rules_are_met(cohort: Any, teacher: Any) -> None:
    session = education.session(cohort)
    enrolment = education.student(cohort)
    services.attendance_sync(
        actor=teacher, cohort=cohort, marks=[education.mark(session, enrolment, "absent")]
    )
    with pytest.raises(DomainError) as refusal:
        services.certificate_issue(actor=teacher, enrolment=enrolment)
    assert refusal.value.code == "completion_rules_not_met"
    assert not Certificate.objects.exists()


def test_a_final_assessment_required_by_the_course_must_be_passed(
    school: Any, teacher: Any
) -> None:
    course = education.course(school, final_assessment_required=True)
    cohort = education.cohort(course, teachers=[teacher])
    enrolment = _completed(cohort, teacher)
    with pytest.raises(DomainError):
        services.certificate_issue(actor=teacher, enrolment=enrolment)
    services.assessment_record(actor=teacher, enrolment=enrolment, passed=True)
    assert services.certificate_issue(actor=teacher, enrolment=enrolment).code


def test_an_issued_certificate_verifies_offline_and_issuing_again_returns_it(
    cohort: Any, teacher: Any
) -> None:
    enrolment = _completed(cohort, teacher)
    certificate = services.certificate_issue(actor=teacher, enrolment=enrolment)
    again = services.certificate_issue(actor=teacher, enrolment=enrolment)
    assert again.pk == certificate.pk
    verified = signed_form.verify(certificate.signed, [signing.public_key_bytes()])
    assert verified.claims.code == certificate.code
    assert verified.claims.holder == str(enrolment.person)
    assert verified.claims.course == cohort.course.title
    assert verified.claims.hours == 20


def test_altered_or_forged_certificates_are_refused(cohort: Any, teacher: Any) -> None:
    """A changed name, a signature by another key, or garbage is refused."""
    certificate = services.certificate_issue(actor=teacher, enrolment=_completed(cohort, teacher))
    keys = [signing.public_key_bytes()]
    prefix, payload, signature = certificate.signed.split(".")
    claims = signed_form.decode(certificate.signed)[0]
    forged_claims = signed_form.Claims(**{**claims.__dict__, "holder": "Alguien más"})
    altered = ".".join(
        [
            prefix,
            base64.urlsafe_b64encode(signed_form.canonical_payload(forged_claims))
            .decode()
            .rstrip("="),
            signature,
        ]
    )
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    stranger_key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    forged = signed_form.sign(
        forged_claims,
        signer=stranger_key.sign,
        raw_public_key=stranger_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        ),
    )
    # One bit of the signature changed; replacing its last characters could leave them as
    # they were (one time in 256), or change only the padding bits base64 ignores.
    raw_signature = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    raw_signature[0] ^= 1
    bit_flipped = ".".join(
        [prefix, payload, base64.urlsafe_b64encode(bytes(raw_signature)).decode().rstrip("=")]
    )
    assert bit_flipped != certificate.signed
    for text in (altered, forged, "mc1.AAAA.BBBB", "hola", bit_flipped):
        with pytest.raises(signed_form.InvalidCertificateError):
            signed_form.verify(text, keys)


def test_a_coordinator_issues_by_decision_with_a_reason_and_revokes_with_one(
    cohort: Any, coordinator: Any, teacher: Any
) -> None:
    enrolment = education.student(cohort)
    with pytest.raises(DomainError) as refusal:
        services.certificate_grant(actor=coordinator, enrolment=enrolment, reason=" ")
    assert refusal.value.code == "reason_required"
    certificate = services.certificate_grant(
        actor=coordinator, enrolment=enrolment, reason="Validó sus saberes en la comunidad."
    )
    assert certificate.decision_reason
    with pytest.raises(DomainError):
        services.certificate_revoke(actor=coordinator, certificate=certificate, reason="")
    revoked = services.certificate_revoke(
        actor=coordinator, certificate=certificate, reason="Emitido por error."
    )
    assert revoked.revoked_at is not None
    with pytest.raises(DomainError) as again:
        services.certificate_revoke(actor=coordinator, certificate=revoked, reason="Otra vez.")
    assert again.value.code == "already_revoked"


def test_the_pdf_names_the_student_and_the_course(cohort: Any, teacher: Any) -> None:
    certificate = services.certificate_issue(actor=teacher, enrolment=_completed(cohort, teacher))
    pdf = render_certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 5000


def test_the_server_command_verifies_by_code_and_reports_revocation(
    cohort: Any, coordinator: Any, capsys: Any
) -> None:
    certificate = services.certificate_grant(
        actor=coordinator, enrolment=education.student(cohort), reason="Decisión de la escuela."
    )
    call_command("certificate", "verify", certificate.code.lower())
    assert "VALID" in capsys.readouterr().out
    call_command("certificate", "verify", certificate.signed)
    assert certificate.code in capsys.readouterr().out
    services.certificate_revoke(actor=coordinator, certificate=certificate, reason="Error.")
    with pytest.raises(CommandError, match="REVOKED"):
        call_command("certificate", "verify", certificate.code)
    with pytest.raises(CommandError, match="no certificate"):
        call_command("certificate", "verify", "ZZZZZZZZZZ")


def test_the_offline_command_needs_only_the_public_key(
    cohort: Any, coordinator: Any, tmp_path: Path
) -> None:
    """``minga certificate verify FILE --public-key KEY`` in a process without Django."""
    certificate = services.certificate_grant(
        actor=coordinator, enrolment=education.student(cohort), reason="Decisión."
    )
    token = tmp_path / "certificate.txt"
    token.write_text(certificate.signed)
    key = tmp_path / "key.pub"
    key.write_text(base64.b64encode(signing.public_key_bytes()).decode())
    run = [sys.executable, "-c", "import sys; from minga.cli import main; sys.exit(main())"]
    valid = subprocess.run(
        [*run, "certificate", "verify", str(token), "--public-key", str(key)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2] / "src")},
        check=False,
    )
    assert valid.returncode == 0, valid.stderr
    assert certificate.code in valid.stdout
    token.write_text(certificate.signed.replace(".", ".x", 1))
    refused = subprocess.run(
        [*run, "certificate", "verify", str(token), "--public-key", str(key)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2] / "src")},
        check=False,
    )
    assert refused.returncode == 1
    assert "REFUSED" in refused.stdout
    assert factories  # the module's factories made the people above
