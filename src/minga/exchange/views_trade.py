"""Pages for trade agreements, obligations, clearing rounds and barter rounds. Thin: parse,
check, call a service, render."""

from __future__ import annotations

import csv
import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.money import unit_scale
from minga.core.clearing.parsing import ObligationFileError, parse_obligations_with_lines
from minga.market.selectors import get_listing_for
from minga.registry.models import Organization
from minga.registry.selectors import (
    DECIDING_ROLES,
    MANAGING_ROLES,
    organization_ids_with_role,
    visible_organizations,
)

from . import agreements, barter_rounds, clearing_rounds, params
from .agreements import AgreementError, LineInput
from .forms import plain_amount
from .forms_trade import ObligationsUploadForm, ProposeForm, ReasonForm
from .models import Agreement, AgreementStatus, BarterRound, ClearingRound, Obligation, Unit


def _managed_ids(user: Any) -> frozenset[int]:
    return organization_ids_with_role(user, MANAGING_ROLES)


def _coordinated_units(user: Any) -> Any:
    if user.is_superuser:
        return Unit.objects.select_related("network")
    return Unit.objects.filter(
        network_id__in=organization_ids_with_role(user, DECIDING_ROLES)
    ).select_related("network")


def _agreement_for(user: Any, uuid: uuid_lib.UUID) -> Agreement:
    """An agreement is seen by its parties' people and by the coordinators of its network."""
    agreement = get_object_or_404(
        Agreement.objects.select_related("unit", "proposed_by"), uuid=uuid
    )
    parties = set(agreement.parties.values_list("organization_id", flat=True))
    coordinators_of = organization_ids_with_role(user, DECIDING_ROLES)
    members_of = organization_ids_with_role(user, (*MANAGING_ROLES, "member", "delegate"))
    if not (
        user.is_superuser or parties & members_of or agreement.proposed_by_id in coordinators_of
    ):
        raise Http404
    return agreement


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    mine = organization_ids_with_role(request.user, (*MANAGING_ROLES, "member", "delegate"))
    agreements_qs = (
        Agreement.objects.filter(parties__organization_id__in=mine)
        .distinct()
        .select_related("unit", "proposed_by")
        .prefetch_related("parties__organization")
        .order_by("-created_at")[:100]
    )
    return render(request, "exchange/trade/agreement_list.html", {"agreements": agreements_qs})


@login_required
def agreement_propose(request: HttpRequest) -> HttpResponse:
    managed = Organization.objects.filter(pk__in=_managed_ids(request.user)).order_by("name")
    listing = None
    listing_uuid = params.uuid_or_none(request.GET, "listing") or params.uuid_or_none(
        request.POST, "listing"
    )
    if listing_uuid is not None:
        listing = get_listing_for(request.user, uuid=listing_uuid)
    counterparts = (
        visible_organizations(request.user)
        .exclude(pk__in=_managed_ids(request.user))
        .order_by("name")
    )
    initial: dict[str, Any] = {}
    if listing is not None:
        initial = {
            "counterpart": listing.organization,
            "title": listing.title,
            "description": listing.title,
            "role": "receive" if listing.kind == "offer" else "supply",
            "payment": "barter" if listing.barter_only else "ledger",
            "unit": listing.price_unit or None,
        }
        scale = unit_scale(listing.price_unit) if listing.price_unit else None
        if listing.price_amount is not None and scale is not None:
            # The listing's price, as a person would type it in the unit.
            initial["amount"] = plain_amount(listing.price_amount, scale)
        counterparts = counterparts.filter(
            pk=listing.organization_id
        ) | Organization.objects.filter(pk=listing.organization_id)
    form = ProposeForm(
        request.POST or None, managed=managed, counterparts=counterparts, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mine, theirs = data["organization"], data["counterpart"]
        supplier, receiver = (theirs, mine) if data["role"] == "receive" else (mine, theirs)
        try:
            agreement = agreements.agreement_propose(
                actor=request.user,
                proposer=mine,
                title=data["title"],
                lines=[
                    LineInput(
                        supplier=supplier,
                        receiver=receiver,
                        description=data["description"],
                        quantity=data.get("quantity", ""),
                        amount=data["amount_minor"],
                        listing=listing,
                    )
                ],
                payment=data["payment"],
                unit=data.get("unit"),
                listing=listing,
            )
        except AgreementError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The agreement was proposed."))
            return redirect(agreement)
    return render(request, "exchange/trade/agreement_form.html", {"form": form, "listing": listing})


@login_required
def agreement_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    agreement = _agreement_for(request.user, uuid)
    managed = _managed_ids(request.user)
    parties = list(agreement.parties.select_related("organization"))
    lines = list(agreement.lines.select_related("supplier", "receiver"))
    context = {
        "agreement": agreement,
        "parties": parties,
        "lines": lines,
        "can_accept": [
            p.organization
            for p in parties
            if p.organization_id in managed and p.accepted_at is None
        ]
        if agreement.status == AgreementStatus.PROPOSED
        else [],
        "can_receive": sorted(
            {
                line.receiver
                for line in lines
                if line.receiver_id in managed and line.delivered_at is None
            },
            key=lambda o: o.name,
        )
        if agreement.status == AgreementStatus.ACCEPTED
        else [],
        "can_cancel": [p.organization for p in parties if p.organization_id in managed]
        if agreement.status in (AgreementStatus.PROPOSED, AgreementStatus.ACCEPTED)
        else [],
        "reason_form": ReasonForm(),
    }
    return render(request, "exchange/trade/agreement_detail.html", context)


@login_required
@require_POST
def agreement_act(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    agreement = _agreement_for(request.user, uuid)
    organization = get_object_or_404(
        visible_organizations(request.user), slug=params.text(request.POST, "organization")
    )
    action = request.POST.get("action")
    try:
        if action == "accept":
            agreements.agreement_accept(
                actor=request.user, agreement=agreement, organization=organization
            )
            messages.success(request, _("Accepted."))
        elif action == "deliver":
            agreements.agreement_confirm_delivery(
                actor=request.user, agreement=agreement, receiver=organization
            )
            messages.success(request, _("Delivery confirmed."))
        elif action == "cancel":
            agreements.agreement_cancel(
                actor=request.user,
                agreement=agreement,
                organization=organization,
                reason=params.text(request.POST, "reason", max_length=2000),
            )
            messages.success(request, _("The agreement was cancelled."))
        else:
            messages.error(request, _("Unknown action."))
    except AgreementError as error:
        messages.error(request, error.message)
    return redirect(agreement)


@login_required
def clearing_home(request: HttpRequest) -> HttpResponse:
    units = _coordinated_units(request.user)
    managed = _managed_ids(request.user)
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
    units = _coordinated_units(request.user)
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
            created = agreements.obligations_import(actor=request.user, unit=unit, rows=rows)
    except (ObligationFileError, AgreementError) as error:
        messages.error(request, _("%(error)s. Nothing was imported.") % {"error": error})
    else:
        messages.success(request, _("%(count)d obligations recorded.") % {"count": len(created)})
    return redirect("trade:clearing")


@login_required
@require_POST
def clearing_round_open(request: HttpRequest) -> HttpResponse:
    unit = get_object_or_404(
        _coordinated_units(request.user), code=params.text(request.POST, "unit")
    )
    try:
        round_ = clearing_rounds.clearing_round_open(actor=request.user, unit=unit)
    except AgreementError as error:
        messages.error(request, error.message)
        return redirect("trade:clearing")
    return redirect(round_)


def _round_for(user: Any, uuid: uuid_lib.UUID) -> ClearingRound:
    round_ = get_object_or_404(ClearingRound.objects.select_related("unit", "network"), uuid=uuid)
    allowed = user.is_superuser or round_.network_id in organization_ids_with_role(
        user, DECIDING_ROLES
    )
    if not allowed and not (clearing_rounds.participants(round_) & _managed_ids(user)):
        raise Http404
    return round_


@login_required
def clearing_round_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = _round_for(request.user, uuid)
    if request.GET.get("format") == "csv":
        return _round_csv(round_)
    managed = _managed_ids(request.user)
    consents = {c.organization_id: c for c in round_.consents.all()}
    participants = Organization.objects.filter(
        pk__in=clearing_rounds.participants(round_)
    ).order_by("name")
    context = {
        "round": round_,
        "unit": round_.unit,
        "rows": round_.report.get("organizations", []),
        "participants": [(o, consents.get(o.pk)) for o in participants],
        "can_consent": [o for o in participants if o.pk in managed and o.pk not in consents],
        "can_apply": round_.status == "awaiting"
        and (
            request.user.is_superuser
            or round_.network_id in organization_ids_with_role(request.user, DECIDING_ROLES)
        ),
        "missing": len(clearing_rounds.missing_consents(round_)),
    }
    return render(request, "exchange/trade/clearing_round.html", context)


def _round_csv(round_: ClearingRound) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clearing-{round_.uuid}.csv"'
    writer = csv.writer(response)
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
        name = str(row["name"])
        # Names are user input: keep spreadsheets from reading them as formulas.
        if name[:1] in ("=", "+", "-", "@"):
            name = "'" + name
        writer.writerow(
            [
                name,
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
    round_ = _round_for(request.user, uuid)
    action = request.POST.get("action")
    try:
        if action in ("consent", "object"):
            organization = get_object_or_404(
                Organization, slug=params.text(request.POST, "organization")
            )
            clearing_rounds.clearing_round_consent(
                actor=request.user,
                clearing_round=round_,
                organization=organization,
                consents=action == "consent",
                reason=params.text(request.POST, "reason", max_length=2000),
            )
        elif action == "apply":
            clearing_rounds.clearing_round_apply(actor=request.user, clearing_round=round_)
            messages.success(request, _("The set-off was applied."))
    except AgreementError as error:
        messages.error(request, error.message)
    return redirect(round_)


@login_required
def barter_home(request: HttpRequest) -> HttpResponse:
    networks = Organization.objects.filter(
        pk__in=organization_ids_with_role(request.user, DECIDING_ROLES), kind="network"
    ).order_by("name")
    rounds = BarterRound.objects.filter(network__in=networks).select_related("network")[:20]
    return render(
        request, "exchange/trade/barter_home.html", {"networks": networks, "rounds": rounds}
    )


@login_required
@require_POST
def barter_run(request: HttpRequest) -> HttpResponse:
    network = get_object_or_404(
        Organization, slug=params.text(request.POST, "network"), kind="network"
    )
    try:
        barter_round = barter_rounds.barter_round_run(actor=request.user, network=network)
    except AgreementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(traded)d items can trade in %(cycles)d cycles; the agreements were proposed.")
            % {
                "traded": barter_round.report["items_traded"],
                "cycles": len(barter_round.report["cycles"]),
            },
        )
    return redirect("trade:barter")
