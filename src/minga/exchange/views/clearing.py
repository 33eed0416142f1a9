"""Pages of clearing rounds: the coordinators' home (obligations, upload, rounds), a
round with its consents, and its CSV. Thin: parse, check, call a service, render."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.csv import spreadsheet_writer
from minga.common.errors import DomainError
from minga.common.permissions import has_perm
from minga.core.clearing.parsing import ObligationFileError, parse_obligations_with_lines
from minga.registry.selectors import (
    MANAGING_ROLES,
    organization_ids_with_role,
    visible_organizations,
)

from .. import selectors, services
from ..forms import ObligationsUploadForm
from ..models import ClearingRound, Obligation
from . import params


@login_required
def clearing_home(request: HttpRequest) -> HttpResponse:
    units = selectors.units_managed_by(request.user)
    managed = organization_ids_with_role(request.user, MANAGING_ROLES)
    rounds = (
        (
            ClearingRound.objects.filter(unit__in=units)
            | ClearingRound.objects.filter(setoffs__obligation__debtor_id__in=managed)
            | ClearingRound.objects.filter(setoffs__obligation__creditor_id__in=managed)
        )
        .distinct()
        .select_related("unit", "network")
        .order_by("-created_at")[:50]
    )
    obligations = (
        Obligation.objects.filter(unit__in=units, status="open")
        .select_related("debtor", "creditor", "unit")
        .order_by("-created_at")[:50]
    )
    upload = ObligationsUploadForm(units=units)
    return render(
        request,
        "exchange/trade/clearing_home.html",
        {"units": units, "rounds": rounds, "obligations": obligations, "upload": upload},
    )


@login_required
@require_POST
def obligations_upload(request: HttpRequest) -> HttpResponse:
    units = selectors.units_managed_by(request.user)
    form = ObligationsUploadForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        messages.error(request, _("Choose a unit and a file."))
        return redirect("trade:clearing")
    unit = form.cleaned_data["unit"]
    try:
        parsed = parse_obligations_with_lines(form.cleaned_data["file"].read())
        slugs = {o.debtor for _l, o in parsed} | {o.creditor for _l, o in parsed}
        # Only organizations the coordinator may see; others read as unknown short codes.
        by_slug = {o.slug: o for o in visible_organizations(request.user).filter(slug__in=slugs)}
        rows = []
        for line, obligation in parsed:
            for field, slug in (("debtor", obligation.debtor), ("creditor", obligation.creditor)):
                if slug not in by_slug:
                    raise ObligationFileError(
                        line, field, f"no organization with short code {slug!r}"
                    )
            rows.append(
                (
                    line,
                    by_slug[obligation.debtor],
                    by_slug[obligation.creditor],
                    obligation.amount,
                    "",
                    None,
                )
            )
        with transaction.atomic():
            created = services.obligations_import(actor=request.user, unit=unit, rows=rows)
    except (ObligationFileError, DomainError) as error:
        messages.error(request, _("%(error)s. Nothing was imported.") % {"error": error})
    else:
        messages.success(request, _("%(count)d obligations recorded.") % {"count": len(created)})
    return redirect("trade:clearing")


@login_required
@require_POST
def clearing_round_open(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(
        selectors.units_managed_by(request.user), code=params.text(request.POST, "unit")
    )
    try:
        round_ = services.clearing_round_open(actor=request.user, unit=unit)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("trade:clearing")
    return redirect(round_)


@login_required
def clearing_round_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = selectors.get_clearing_round_for(request.user, uuid)
    if request.GET.get("format") == "csv":
        return _round_csv(round_)
    managed = organization_ids_with_role(request.user, MANAGING_ROLES)
    consents = {c.organization_id: c for c in round_.consents.all()}
    participants = (
        visible_organizations(request.user)
        .filter(pk__in=selectors.clearing_round_participants(round_))
        .order_by("name")
    )
    context = {
        "round": round_,
        "unit": round_.unit,
        "rows": round_.report.get("organizations", []),
        "participants": [(o, consents.get(o.pk)) for o in participants],
        "can_consent": [o for o in participants if o.pk in managed and o.pk not in consents],
        "can_apply": round_.status == "awaiting"
        and has_perm(request.user, "exchange.unit.manage", round_.unit),
        "missing": len(selectors.missing_consents(round_)),
    }
    return render(request, "exchange/trade/clearing_round.html", context)


def _round_csv(round_: ClearingRound) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clearing-{round_.uuid}.csv"'
    writer = spreadsheet_writer(response)
    writer.writerow(
        [
            "organization",
            "payable_before",
            "receivable_before",
            "payable_after",
            "receivable_after",
            "net",
        ]
    )
    for row in round_.report.get("organizations", []):
        writer.writerow(
            [
                str(row["name"]),
                row["payable_before"],
                row["receivable_before"],
                row["payable_after"],
                row["receivable_after"],
                row["net"],
            ]
        )
    return response


@login_required
@require_POST
def clearing_round_act(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = selectors.get_clearing_round_for(request.user, uuid)
    action = request.POST.get("action")
    try:
        if action in ("consent", "object"):
            organization = get_object_or_404(
                visible_organizations(request.user), slug=params.text(request.POST, "organization")
            )
            services.clearing_round_consent(
                actor=request.user,
                clearing_round=round_,
                organization=organization,
                consents=action == "consent",
                reason=params.text(request.POST, "reason", max_length=2000),
            )
        elif action == "apply":
            services.clearing_round_apply(actor=request.user, clearing_round=round_)
            messages.success(request, _("The set-off was applied."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(round_)
