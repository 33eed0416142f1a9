"""Pages of the seed bank. Thin: parse, call one selector or service, render."""

from __future__ import annotations

import math
import uuid as uuid_lib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from minga.common import worldmap
from minga.common.documents import render_html, render_pdf
from minga.common.errors import DomainError
from minga.common.files import is_executable
from minga.common.permissions import has_perm, require
from minga.library import selectors as library_selectors

from . import reports, selectors, services, tally
from .charts import viability_svg
from .forms import (
    MAX_IMPORT_BYTES,
    AccessionEditForm,
    AccessionForm,
    AnswerForm,
    BankForm,
    ImportForm,
    LibraryLinkForm,
    LotForm,
    RegenerationForm,
    RequestForm,
    TestForm,
)
from .mcpd import McpdFileError, country_name, file_message, read_csv, write_csv

PAGE_SIZE = 30


def _refuse(form: Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def index(request: HttpRequest) -> HttpResponse:
    """The Index Seminum: what every visible bank offers, and the reader's own banks."""
    user = request.user
    page = Paginator(selectors.catalogue_lots(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "mine": selectors.managed_banks(user) if user.is_authenticated else [],
        "may_create": has_perm(user, "seeds.bank.create"),
    }
    return render(request, "seeds/index.html", context)


@login_required
def bank_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "seeds.bank.create")
    form = BankForm(
        request.POST or None, organizations=selectors.managed_organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            bank = services.bank_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.to_data(),
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The seed bank was opened."))
            return redirect(bank)
    return render(request, "seeds/form.html", {"form": form, "title": _("Open a seed bank")})


@login_required
def bank_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", bank)
    initial = {name: getattr(bank, name) for name in BankForm.base_fields if name != "organization"}
    form = BankForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_update(actor=request.user, bank=bank, data=form.to_data())
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect(bank)
    return render(request, "seeds/form.html", {"form": form, "title": _("Settings of the bank")})


def bank_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    user = request.user
    bank = selectors.get_bank_for(user, uuid=uuid)
    accessions = selectors.visible_accessions(user).filter(bank=bank).order_by("accenumb")
    can_manage = has_perm(user, "seeds.bank.manage", bank)
    context: dict[str, Any] = {
        "bank": bank,
        "accessions": Paginator(accessions, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_manage": can_manage,
    }
    if can_manage:
        context["at_risk"] = tally.risk_counts(bank, timezone.localdate()).total
        context["incoming"] = selectors.incoming_requests(bank)
        context["years"] = range(timezone.localdate().year, bank.created_at.year - 1, -1)
    return render(request, "seeds/bank_detail.html", context)


def bank_inventory(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Stock and viability per species, of the accessions the reader may see."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    rows = selectors.bank_inventory(request.user, bank)
    context = {"bank": bank, "rows": rows}
    return render(request, "seeds/bank_inventory.html", context)


@login_required
def bank_at_risk(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Accessions at risk, the most urgent first, for the bank's keepers."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", bank)
    reason = request.GET.get("reason", "")
    reason = reason if reason in selectors.RISK_REASONS else ""
    today = timezone.localdate()
    page = selectors.at_risk_page(
        request.user,
        bank,
        reason=reason,
        after=request.GET.get("after", "")[:200],
        before=request.GET.get("before", "")[:200],
        last=request.GET.get("last") == "1",
        size=PAGE_SIZE,
        today=today,
    )
    rows = [(accession, selectors.risk_reasons(accession, bank, today)) for accession in page.rows]
    counts = tally.risk_counts(bank, today)
    context = {
        "bank": bank,
        "page": page,
        "rows": rows,
        "reason": reason,
        "counts": counts,
        "count": counts.of(reason),
        "moved": bool(request.GET.get("after") or request.GET.get("before") or page.before),
    }
    return render(request, "seeds/bank_at_risk.html", context)


ALERT_LABELS = {
    "first_test": gettext_lazy("First test due"),
    "low_initial_germination": gettext_lazy("Low initial germination"),
    "low_viability": gettext_lazy("Low viability"),
    "low_quantity": gettext_lazy("Few seeds"),
    "monitoring_overdue": gettext_lazy("Monitoring test overdue"),
}


def bank_alerts(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Every lot of the bank that has an alert, by accession number, for the bank's keepers
    (as the alerts on a lot's page and the accessions at risk); ``kind`` keeps one kind."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", bank)
    kind = request.GET.get("kind", "")
    kind = kind if kind in selectors.ALERT_KINDS else ""
    today = timezone.localdate()
    lots = selectors.lots_with_alerts(request.user, bank, kind=kind, today=today)
    page = Paginator(lots, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "bank": bank,
        "page": page,
        "rows": [(lot, selectors.row_alerts(lot, bank, today)) for lot in page],
        "kind": kind,
        "kinds": list(ALERT_LABELS.items()),
    }
    return render(request, "seeds/bank_alerts.html", context)


def bank_origins(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Where the accessions were collected: a map drawn on the server (shipped outlines, or the
    operator's tile server), and the countries of origin."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    cells, size = selectors.origin_cells(request.user, bank)
    countries_rows = [
        (code, country_name(code), count)
        for code, count in selectors.origin_countries(request.user, bank)
    ]
    context: dict[str, Any] = {
        "bank": bank,
        "cells": cells,
        "cell_degrees": size,
        "countries": countries_rows,
    }
    if cells:
        most = max(cell.accessions for cell in cells)
        tile_url = getattr(settings, "MAP_TILE_URL", "")
        if tile_url:
            view: Any = worldmap.tile_view(tile_url, [(c.latitude, c.longitude) for c in cells])
            context["tiles"] = view
            context["attribution"] = getattr(settings, "MAP_TILE_ATTRIBUTION", "")
            points = [worldmap.mercator(c.latitude, c.longitude, view.zoom) for c in cells]
        else:
            points = [worldmap.project(c.latitude, c.longitude) for c in cells]
            view = worldmap.view_for(points)
            context["world"] = worldmap
        context["view"] = view
        context["dots"] = [
            (x, y, view.radius * (1 + 1.5 * math.sqrt(cell.accessions / most)), cell.accessions)
            for (x, y), cell in zip(points, cells, strict=True)
        ]
    return render(request, "seeds/bank_origins.html", context)


@login_required
def bank_import(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Accessions from an MCPD file: every line checked first, then all written or none; the
    refusal names the line and the field. Sending the same file again changes nothing."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", bank)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise DomainError(
                    _("The file is larger than %(size)d MB.")
                    % {"size": MAX_IMPORT_BYTES // 1024 // 1024},
                    "file",
                    code="file_too_large",
                )
            if is_executable(upload):
                raise DomainError(
                    _("Programs and scripts are not accepted, whatever their name."),
                    "file",
                    code="file_executable",
                )
            created = services.accessions_import(
                actor=request.user,
                bank=bank,
                rows=read_csv(upload.read()),
                visibility=form.cleaned_data["visibility"],
            )
        except McpdFileError as error:
            form.add_error("file", file_message(error))
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            count = created
            messages.success(
                request,
                ngettext(
                    "%(count)d accession was imported.",
                    "%(count)d accessions were imported.",
                    count,
                )
                % {"count": count},
            )
            return redirect(bank)
    return render(request, "seeds/import.html", {"form": form, "bank": bank})


def bank_export(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The accessions the reader may see as MCPD v2.1 CSV; exact coordinates only for the
    bank's own organization."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    accessions = (
        selectors.visible_accessions(request.user)
        .filter(bank=bank)
        .order_by("accenumb", "id")
        .iterator(chunk_size=2000)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mcpd-{bank.instcode or bank.uuid}.csv"'
    )
    write_csv(accessions, response, full=selectors.may_see_bank_sensitive(request.user, bank))
    return response


@login_required
def bank_report(request: HttpRequest, uuid: uuid_lib.UUID, year: int, fmt: str) -> HttpResponse:
    """The yearly report of a bank, as a page or a PDF, for its keepers."""
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", bank)
    if fmt not in ("html", "pdf") or not 1900 <= year <= timezone.localdate().year:
        raise Http404
    document = reports.yearly_report(request.user, bank, year)
    name = f"seed-bank-{year}"
    if fmt == "pdf":
        response = HttpResponse(render_pdf(document), content_type="application/pdf")
    else:
        response = HttpResponse(render_html(document), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


@login_required
def accession_create(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    bank = selectors.get_bank_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", bank)
    form = AccessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accession = services.accession_create(
                actor=request.user, bank=bank, data=form.to_data()
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The accession was registered."))
            return redirect(accession)
    title = _("Register an accession")
    return render(request, "seeds/form.html", {"form": form, "title": title, "back": bank})


@login_required
def accession_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    accession = selectors.get_accession_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", accession.bank)
    form = AccessionEditForm(request.POST or None, accession=accession)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.accession_update(
                actor=request.user, accession=accession, data=form.to_edit()
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            if changes:
                messages.success(request, _("The passport data were saved."))
            else:
                messages.info(request, _("Nothing was changed: these are the current values."))
            return redirect(accession)
    title = _("Edit the passport data")
    return render(request, "seeds/form.html", {"form": form, "title": title, "back": accession})


def accession_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    user = request.user
    accession = selectors.get_accession_for(user, uuid=uuid)
    can_manage = has_perm(user, "seeds.bank.manage", accession.bank)
    context = {
        "accession": accession,
        "lots": accession.lots.select_related("parent").order_by("-stored_since", "-id"),
        "sensitive": selectors.may_see_sensitive(user, accession),
        "country": country_name(accession.origcty) if accession.origcty else "",
        "can_manage": can_manage,
        "library_items": selectors.library_items_of(user, accession),
        "link_form": LibraryLinkForm() if can_manage else None,
    }
    return render(request, "seeds/accession_detail.html", context)


@login_required
@require_POST
def accession_library(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Link a library item to the accession, or (``remove``) unlink one."""
    accession = selectors.get_accession_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", accession.bank)
    form = LibraryLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["item"]))
        return redirect(accession)
    try:
        item = library_selectors.get_item_for(request.user, uuid=form.cleaned_data["item"])
    except Http404:
        messages.error(request, _("No library item you may read has this address."))
        return redirect(accession)
    if request.POST.get("remove"):
        services.accession_unlink_item(actor=request.user, accession=accession, item=item)
        messages.success(request, _("The library item was removed from the accession."))
    else:
        services.accession_link_item(actor=request.user, accession=accession, item=item)
        messages.success(request, _("The library item was linked to the accession."))
    return redirect(accession)


@login_required
def lot_create(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    accession = selectors.get_accession_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", accession.bank)
    form = LotForm(request.POST or None, parents=accession.lots.all())
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_create(actor=request.user, accession=accession, data=form.to_data())
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The lot was recorded."))
            return redirect(lot)
    title = _("Record a lot")
    return render(request, "seeds/form.html", {"form": form, "title": title, "back": accession})


def lot_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    user = request.user
    lot = selectors.get_lot_for(user, uuid=uuid)
    viability = selectors.lot_viability(lot)
    can_manage = has_perm(user, "seeds.bank.manage", lot.accession.bank)
    context: dict[str, Any] = {
        "lot": lot,
        "accession": lot.accession,
        "tests": sorted(lot.tests.all(), key=lambda test: (test.tested_on, test.pk)),
        "viability": viability,
        "chart": viability_svg(viability),
        "can_manage": can_manage,
        "sensitive": selectors.may_see_bank_sensitive(user, lot.accession.bank),
        "alerts": selectors.lot_alerts(lot, viability) if can_manage else [],
        "children": lot.children.all(),
        "regenerations": lot.regenerations.select_related("grower", "harvest"),
        "may_request": has_perm(user, "seeds.lot.request", lot),
    }
    return render(request, "seeds/lot_detail.html", context)


@login_required
def test_create(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lot = selectors.get_lot_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", lot.accession.bank)
    form = TestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.test_record(actor=request.user, lot=lot, data=form.to_data())
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The germination test was recorded."))
            return redirect(lot)
    title = _("Record a germination test")
    return render(request, "seeds/form.html", {"form": form, "title": title, "back": lot})


@login_required
def regeneration_create(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lot = selectors.get_lot_for(request.user, uuid=uuid)
    require(request.user, "seeds.bank.manage", lot.accession.bank)
    form = RegenerationForm(
        request.POST or None, growers=selectors.grower_choices(request.user, lot)
    )
    if request.method == "POST" and form.is_valid():
        try:
            regeneration = services.regeneration_plan(
                actor=request.user, lot=lot, **form.cleaned_data
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("The grow-out was planned."))
            return redirect(regeneration)
    title = _("Plan a grow-out")
    return render(request, "seeds/form.html", {"form": form, "title": title, "back": lot})


def regeneration_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    regeneration = selectors.get_regeneration_for(request.user, uuid=uuid)
    can_manage = has_perm(request.user, "seeds.bank.manage", regeneration.lot.accession.bank)
    if request.method == "POST" and not can_manage:
        require(request.user, "seeds.bank.manage", regeneration.lot.accession.bank)
    form = None
    if can_manage and regeneration.status == "planned":
        form = LotForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                lot = services.regeneration_harvest(
                    actor=request.user, regeneration=regeneration, data=form.to_data()
                )
            except DomainError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("The harvest was recorded as a new lot."))
                return redirect(lot)
    context = {
        "regeneration": regeneration,
        "form": form,
        "sensitive": selectors.may_see_grow_out_place(request.user, regeneration),
    }
    return render(request, "seeds/regeneration_detail.html", context)


@login_required
def request_create(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    lot = selectors.get_lot_for(request.user, uuid=uuid)
    require(request.user, "seeds.lot.request", lot)
    requesters = selectors.managed_organizations(request.user).exclude(
        pk=lot.accession.bank.organization_id
    )
    form = RequestForm(
        request.POST or None,
        requesters=requesters,
        units=selectors.payment_units(request.user, lot),
    )
    if request.method == "POST" and form.is_valid():
        try:
            seed_request = services.request_create(
                actor=request.user,
                lot=lot,
                requester=form.cleaned_data["requester"],
                data=form.to_data(),
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Your request was sent to the seed bank."))
            return redirect(seed_request)
    context = {"form": form, "lot": lot, "accession": lot.accession}
    return render(request, "seeds/request_form.html", context)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    requests = (
        selectors.visible_requests(request.user)
        .select_related("lot__accession__bank", "requester")
        .order_by("-created_at", "-id")
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "seeds/request_list.html", {"page": page})


@login_required
def request_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    seed_request = selectors.get_request_for(request.user, uuid=uuid)
    context = {
        "seed_request": seed_request,
        "can_decide": has_perm(request.user, "seeds.request.decide", seed_request),
        "can_cancel": has_perm(request.user, "seeds.request.cancel", seed_request),
        "form": AnswerForm(),
    }
    return render(request, "seeds/request_detail.html", context)


ACTIONS: dict[str, tuple[Any, str]] = {
    "approve": (services.request_approve, "seeds.request.decide"),
    "refuse": (services.request_refuse, "seeds.request.decide"),
    "ship": (services.request_ship, "seeds.request.decide"),
    "cancel": (services.request_cancel, "seeds.request.cancel"),
}


@login_required
@require_POST
def request_action(request: HttpRequest, uuid: uuid_lib.UUID, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    seed_request = selectors.get_request_for(request.user, uuid=uuid)
    service, rule = ACTIONS[action]
    require(request.user, rule, seed_request)
    form = AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    kwargs: dict[str, Any] = {"actor": request.user, "seed_request": seed_request}
    if action in ("approve", "refuse"):
        kwargs["answer"] = answer
    try:
        service(**kwargs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done = {
            "approve": _("The request was approved; the seeds were taken from the lot."),
            "refuse": _("The request was refused."),
            "ship": _("The seeds were marked as shipped."),
            "cancel": _("The request was cancelled."),
        }
        messages.success(request, done[action])
    return redirect(seed_request)
