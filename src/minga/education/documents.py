"""The certificate as a printable PDF, in the course's language, with a QR code of its URL.

The PDF is rendered on demand from the stored certificate (its signed form is what lasts),
so a revoked certificate's PDF says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from minga.common.documents import font_path

from . import drawing
from .models import Certificate


def _font() -> str:
    return font_path("DejaVuSans.ttf")


def certificate_page(certificate: Certificate) -> drawing.CertificatePage:
    """Every text of the certificate, in the course's language (the teachers are read from
    ``cohort.teachers``: prefetch them when drawing many)."""
    enrolment = certificate.enrolment
    cohort = enrolment.cohort
    course = cohort.course
    full_url = settings.SITE_URL + certificate.get_absolute_url()
    with translation.override(course.language):
        signatories = ", ".join(str(t) for t in cohort.teachers.all())
        return drawing.CertificatePage(
            language=course.language,
            school=course.school.name,
            title=_("Certificate"),
            certifies=_("This certifies that"),
            holder=str(enrolment.person),
            completed=_("completed the course"),
            course=course.title,
            details=_("%(cohort)s, from %(starts)s to %(ends)s, %(hours)d hours")
            % {
                "cohort": cohort.name,
                "starts": formats.date_format(cohort.starts_on, "DATE_FORMAT"),
                "ends": formats.date_format(cohort.ends_on, "DATE_FORMAT"),
                "hours": course.hours,
            },
            signatories=_("Signed by %(names)s") % {"names": signatories} if signatories else "",
            revoked=_("REVOKED") if certificate.revoked_at else "",
            verification=tuple(
                (
                    _("Verification code: %(code)s\nVerify at %(url)s")
                    % {"code": certificate.code, "url": full_url}
                ).split("\n")
            ),
            url=full_url,
            code=certificate.code,
        )


def render_certificate_pdf(certificate: Certificate) -> bytes:
    return drawing.render_many([certificate_page(certificate)], _font())[0]


def render_certificate_pdfs(certificates: Sequence[Certificate]) -> list[bytes]:
    """The PDFs of many certificates, in order, drawn in a pool of processes."""
    return drawing.render_many([certificate_page(c) for c in certificates], _font())
