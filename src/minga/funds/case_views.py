"""Pages of the legal cases, under ``/funds/cases/``. Only a case's team reaches them
(``selectors.get_case_for`` answers 404 to anyone else, superusers included).

Every page is ``never_cache`` (no copy in a browser's or a proxy's cache), and every form's
POST data is ``sensitive_post_parameters`` (an error report never shows what was typed).
Every read of a case's content goes through a service that logs it for the team.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST
from django_countries import countries

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from . import case_data, selectors, services
from .case_forms import (
    CaseDateForm,
    CaseExpenseForm,
    CaseForm,
    DeleteCaseForm,
    DocumentForm,
    IdentityForm,
    NoteForm,
    TeamMemberForm,
)
from .models import LegalCase
from .types import CaseKind, CaseStatus


def private(view: Any) -> Any:
    """Signed in, never cached, POST data hidden from error reports."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return login_required(never_cache(sensitive_post_parameters()(wrapped)))


def _fail(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _case_url(case: LegalCase) -> str:
    return reverse("funds:case", kwargs={"uuid": case.uuid})


@private
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in CaseStatus.values:
        status = ""
    page, shown = selectors.case_page(request.user, status=status, number=request.GET.get("page"))
    pseudonyms = services.cases_listed(actor=request.user, cases=shown) if shown else {}
    # Each label translated once for the page, not once per case.
    kinds = {value: str(label) for value, label in CaseKind.choices}
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    places = {code: countries.name(code) for code in {str(case.country) for case in shown}}
    for case in shown:
        case.pseudonym = pseudonyms.get(case.pk, "")  # type: ignore[attr-defined]
        case.labels = (  # type: ignore[attr-defined]
            kinds.get(case.kind, case.kind),
            places.get(str(case.country), ""),
            statuses.get(case.status, case.status),
        )
    return render(
        request,
        "funds/case_list.html",
        {"page": page, "cases": shown, "status": status, "statuses": CaseStatus.choices},
    )


@private
def case_open(request: HttpRequest, uuid: Any) -> HttpResponse:
    fund = selectors.get_fund_for(request.user, uuid)
    require(request.user, "funds.case.open", fund)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=request.user, fund=fund, data=services.CaseData(**form.cleaned_data)
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(
                request,
                _("The case %(reference)s is open; you are its coordinator.")
                % {"reference": case.reference},
            )
            return redirect(_case_url(case))
    return render(
        request,
        "funds/form_page.html",
        {"form": form, "fund": fund, "title": _("Open a case"), "button": _("Open the case")},
    )


@private
@sensitive_variables()
def case_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    fields = services.case_read(actor=request.user, case=case)
    dates = list(selectors.case_dates(case))
    for row in dates:
        row.detail = case_data.unseal(case, "date", row, row.sealed)  # type: ignore[attr-defined]
    notes = [
        {"author": note.author, **case_data.unseal(case, "note", note, note.sealed)}
        for note in case.notes.select_related("author")
    ]
    documents = [
        {"uuid": d.uuid, **case_data.unseal(case, "document", d, d.sealed)}
        for d in case.documents.all()
    ]
    expenses = [
        {"movement": e.movement, **case_data.unseal(case, "expense", e, e.sealed)}
        for e in case.expenses.select_related("movement")
    ]
    context = {
        "case": case,
        "fields": fields,
        "team": selectors.case_team(case),
        "dates": dates,
        "notes": notes,
        "documents": documents,
        "expenses": expenses,
        "reads": selectors.case_reads(case),
        "may_identity": has_perm(request.user, "funds.case.identity", case),
        "may_lead": has_perm(request.user, "funds.case.lead", case),
        "date_form": CaseDateForm(),
        "note_form": NoteForm(),
        "document_form": DocumentForm(),
    }
    return render(request, "funds/case_detail.html", context)


@private
@sensitive_variables()
def case_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    require(request.user, "funds.case.work", case)
    initial = {**case_data.case_fields(case), "kind": case.kind, "country": case.country.code}
    initial["status"] = case.status
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user, case=case, data=services.CaseData(**form.cleaned_data)
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The case is saved."))
            return redirect(_case_url(case))
    return render(
        request,
        "funds/case_form.html",
        {"form": form, "case": case, "title": _("Change the case"), "button": _("Save")},
    )


@private
@sensitive_variables()
def case_identity(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    require(request.user, "funds.case.identity", case)
    if request.method == "POST":
        form = IdentityForm(request.POST)
        if form.is_valid():
            try:
                services.identity_set(actor=request.user, case=case, identity=form.cleaned_data)
            except DomainError as error:
                _fail(form, error)
            else:
                messages.success(request, _("The identity is saved, encrypted."))
                return redirect(_case_url(case))
    else:
        form = IdentityForm(initial=services.identity_read(actor=request.user, case=case))
    return render(
        request,
        "funds/case_form.html",
        {"form": form, "case": case, "title": _("Real identity"), "button": _("Save")},
    )


@private
def case_team(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    require(request.user, "funds.case.lead", case)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        chosen = request.POST["remove"].strip()[:20]
        people = get_user_model().objects
        person = people.filter(pk=int(chosen)).first() if chosen.isdecimal() else None
        try:
            services.member_remove(actor=request.user, case=case, user=person)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person is off the case's team."))
        return redirect(reverse("funds:case_team", kwargs={"uuid": case.uuid}))
    if request.method == "POST" and form.is_valid():
        person = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if person is None:
            form.add_error("username", _("Nobody has this user name."))
        else:
            try:
                services.member_add(
                    actor=request.user, case=case, user=person, role=form.cleaned_data["role"]
                )
            except DomainError as error:
                _fail(form, error)
            else:
                messages.success(request, _("The case's team is changed."))
                return redirect(reverse("funds:case_team", kwargs={"uuid": case.uuid}))
    return render(
        request,
        "funds/case_team.html",
        {"form": form, "case": case, "team": selectors.case_team(case)},
    )


def _inline(request: HttpRequest, case: LegalCase, form: Any, write: Any, done: str) -> Any:
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect(_case_url(case))


@private
@require_POST
def date_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    return _inline(  # type: ignore[no-any-return]
        request,
        case,
        CaseDateForm(request.POST),
        lambda data: services.date_add(actor=request.user, case=case, **data),
        _("The date is recorded; the team will be reminded."),
    )


@private
@require_POST
def date_done(request: HttpRequest, uuid: Any) -> HttpResponse:
    case_date = selectors.get_case_date_for(request.user, uuid)
    services.date_done(actor=request.user, case_date=case_date)
    messages.success(request, _("Marked as done."))
    return redirect(_case_url(case_date.case))


@private
@require_POST
def note_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    return _inline(  # type: ignore[no-any-return]
        request,
        case,
        NoteForm(request.POST),
        lambda data: services.note_add(actor=request.user, case=case, text=data["text"]),
        _("The note is saved, encrypted."),
    )


@private
@require_POST
def document_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    return _inline(  # type: ignore[no-any-return]
        request,
        case,
        DocumentForm(request.POST, request.FILES),
        lambda data: services.document_add(
            actor=request.user, case=case, upload=data["file"], title=data["title"]
        ),
        _("The document is saved, encrypted."),
    )


@private
def document_download(request: HttpRequest, uuid: Any) -> HttpResponse:
    document = selectors.get_case_document_for(request.user, uuid)
    meta, content = services.document_open(actor=request.user, document=document)
    response = HttpResponse(content, content_type=str(meta.get("mime", "")) or "application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=str(meta.get("filename", "document"))
    )
    return response


@private
@require_POST
def document_remove(request: HttpRequest, uuid: Any) -> HttpResponse:
    document = selectors.get_case_document_for(request.user, uuid)
    services.document_remove(actor=request.user, document=document)
    messages.success(request, _("The document is removed."))
    return redirect(_case_url(document.case))


@private
@sensitive_variables()
def expense_request(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    require(request.user, "funds.case.work", case)
    form = CaseExpenseForm(request.POST or None, unit=case.fund.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_request(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The expense waits for the fund's managers to approve it."))
            return redirect(_case_url(case))
    return render(
        request,
        "funds/case_form.html",
        {"form": form, "case": case, "title": _("Ask the fund to pay"), "button": _("Ask")},
    )


@private
def case_delete(request: HttpRequest, uuid: Any) -> HttpResponse:
    case = selectors.get_case_for(request.user, uuid)
    require(request.user, "funds.case.lead", case)
    form = DeleteCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_delete(
                actor=request.user, case=case, reference=form.cleaned_data["reference"]
            )
        except DomainError as error:
            _fail(form, error)
        else:
            messages.success(
                request,
                _("The case %(reference)s and everything in it are deleted.")
                % {"reference": case.reference},
            )
            return redirect("funds:cases")
    return render(
        request,
        "funds/case_form.html",
        {
            "form": form,
            "case": case,
            "title": _("Delete the case at the person's request"),
            "button": _("Delete for good"),
            "warning": _(
                "The case, its identity, dates, notes, documents and its key are deleted for "
                "good. The fund keeps only the amounts paid, under the reference."
            ),
        },
    )
