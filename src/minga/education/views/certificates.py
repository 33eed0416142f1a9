"""Certificates: issuing, the public verification page, the PDF, the signed form, revoking."""

from __future__ import annotations

import io
import uuid as uuid_lib
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from minga.common import signing
from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.core.education import certificates as signed_form

from .. import selectors, services
from ..documents import render_certificate_pdf, render_certificate_pdfs
from ..forms import ReasonForm


@login_required
@require_POST
def certificate_issue(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, uuid)
    try:
        services.certificate_issue(actor=request.user, enrolment=enrolment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The certificate was issued."))
    return redirect(enrolment.cohort)


@login_required
@require_POST
def certificate_grant(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, uuid)
    try:
        services.certificate_grant(
            actor=request.user, enrolment=enrolment, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The certificate was issued by decision."))
    return redirect(enrolment.cohort)


@login_required
@require_POST
def certificates_issue_completed(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Issue at once the certificates of everyone in the cohort who met the rules."""
    cohort = selectors.get_cohort_for(request.user, uuid)
    try:
        issued = services.certificates_issue_completed(actor=request.user, cohort=cohort)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if issued:
            messages.success(
                request,
                ngettext(
                    "%(count)d certificate was issued.",
                    "%(count)d certificates were issued.",
                    len(issued),
                )
                % {"count": len(issued)},
            )
        else:
            messages.info(request, _("Nobody else has met the completion rules yet."))
    return redirect(cohort)


@login_required
def cohort_certificates_zip(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Every certificate of the cohort as PDFs in one ZIP file, to print them all (for the
    cohort's staff), drawn in a pool of processes."""
    cohort = selectors.get_cohort_for(request.user, uuid)
    require(request.user, "education.cohort.teach", cohort)
    certificates = selectors.cohort_certificates(cohort)
    if not certificates:
        messages.info(request, _("No certificate has been issued in this cohort yet."))
        return redirect(cohort)
    buffer = io.BytesIO()
    # PDFs are compressed already: stored as they are.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for certificate, pdf in zip(
            certificates, render_certificate_pdfs(certificates), strict=True
        ):
            archive.writestr(f"certificate-{certificate.code}.pdf", pdf)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-{cohort.uuid}.zip"'
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """A form to type a code; a valid-looking code goes to its page."""
    code = request.GET.get("code", "").strip().upper()
    if code and not (code.isascii() and code.replace("-", "").isalnum()):
        # No certificate's code has other characters (a "/" would not even make an address).
        return render(request, "education/verify_form.html", {"unknown": code[:32]}, status=404)
    if code:
        return redirect(reverse("education:verify", kwargs={"code": code[:32]}))
    return render(request, "education/verify_form.html")


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone, signed in or not, sees whether the certificate is valid or revoked."""
    try:
        certificate = selectors.certificate_by_code(code)
    except Http404:
        return render(request, "education/verify_form.html", {"unknown": code[:32]}, status=404)
    try:
        signed_form.verify(certificate.signed, signing.known_public_keys())
        signature_holds = True
    except signed_form.InvalidCertificateError:
        signature_holds = False
    enrolment = certificate.enrolment
    return render(
        request,
        "education/verify.html",
        {
            "certificate": certificate,
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "course": enrolment.cohort.course,
            "signature_holds": signature_holds,
            "can_revoke": has_perm(request.user, "education.certificate.revoke", certificate),
            "can_download": request.user.is_authenticated
            and (
                enrolment.person_id == request.user.pk
                or has_perm(request.user, "education.cohort.teach", enrolment.cohort)
            ),
            "form": ReasonForm(),
        },
    )


def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The printable certificate, for its holder and the cohort's staff."""
    certificate = selectors.certificate_by_code(code)
    enrolment = certificate.enrolment
    user = request.user
    if not user.is_authenticated or (
        enrolment.person_id != user.pk
        and not has_perm(user, "education.cohort.teach", enrolment.cohort)
    ):
        raise Http404
    response = HttpResponse(render_certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


def certificate_signed(request: HttpRequest, code: str) -> HttpResponse:
    """The compact signed form, for offline verifiers (``minga certificate verify``)."""
    certificate = selectors.certificate_by_code(code)
    return HttpResponse(certificate.signed + "\n", content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code)
    form = ReasonForm(request.POST)
    try:
        services.certificate_revoke(
            actor=request.user,
            certificate=certificate,
            reason=form.data.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The certificate was revoked."))
    return redirect(certificate)
