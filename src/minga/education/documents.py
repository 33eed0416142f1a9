"""The certificate as a printable PDF, in the course's language, with a QR code of its URL.

The PDF is rendered on demand from the stored certificate (its signed form is what lasts),
so a revoked certificate's PDF says so.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from minga.common.documents import font_path

from .models import Certificate


def _fonts() -> tuple[str, str]:
    return font_path("DejaVuSans.ttf"), font_path("DejaVuSans-Bold.ttf")


def _qr_png(url: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    enrolment = certificate.enrolment
    cohort = enrolment.cohort
    course = cohort.course
    url = certificate.get_absolute_url()
    full_url = settings.SITE_URL + url
    regular, bold = _fonts()
    with translation.override(course.language):
        pdf = FPDF(orientation="landscape", format="A4")
        pdf.set_title(_("Certificate"))
        pdf.set_lang(course.language)
        pdf.set_creator("Minga")
        pdf.add_font("DejaVu", "", regular)
        pdf.add_font("DejaVu", "B", bold)
        pdf.set_auto_page_break(auto=False)
        pdf.add_page()

        def line(text: str, size: float, style: str = "", gap: float = 3) -> None:
            pdf.set_font("DejaVu", style, size)
            pdf.multi_cell(0, size * 0.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(gap)

        pdf.ln(12)
        line(course.school.name, 14)
        line(_("Certificate"), 30, "B", 8)
        line(_("This certifies that"), 12)
        line(str(enrolment.person), 24, "B", 6)
        line(_("completed the course"), 12)
        line(course.title, 18, "B", 6)
        line(
            _("%(cohort)s, from %(starts)s to %(ends)s, %(hours)d hours")
            % {
                "cohort": cohort.name,
                "starts": formats.date_format(cohort.starts_on, "DATE_FORMAT"),
                "ends": formats.date_format(cohort.ends_on, "DATE_FORMAT"),
                "hours": course.hours,
            },
            11,
        )
        signatories = ", ".join(str(t) for t in cohort.teachers.all())
        if signatories:
            line(_("Signed by %(names)s") % {"names": signatories}, 11)
        if certificate.revoked_at:
            line(_("REVOKED"), 20, "B")
        pdf.image(io.BytesIO(_qr_png(full_url)), x=20, y=150, w=40)
        pdf.set_xy(65, 160)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(
            0,
            5,
            _("Verification code: %(code)s\nVerify at %(url)s")
            % {"code": certificate.code, "url": full_url},
        )
        return bytes(pdf.output())
