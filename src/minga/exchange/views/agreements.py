"""Pages of trade agreements: the list, proposing one (also from a market listing), an
agreement and what its parties may do. Thin: parse, check, call a service, render."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.money import unit_scale
from minga.market.selectors import get_listing_for
from minga.registry.selectors import (
    MANAGING_ROLES,
    organization_ids_with_role,
    organizations_user_manages,
    visible_organizations,
)

from .. import selectors, services
from ..forms import ProposeForm, ReasonForm, plain_amount
from ..models import Agreement, AgreementStatus
from . import params


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
    managed = organizations_user_manages(request.user)
    listing = None
    listing_uuid = params.uuid_or_none(request.GET, "listing") or params.uuid_or_none(
        request.POST, "listing"
    )
    if listing_uuid is not None:
        listing = get_listing_for(request.user, uuid=listing_uuid)
    counterparts = (
        visible_organizations(request.user)
        .exclude(pk__in=organization_ids_with_role(request.user, MANAGING_ROLES))
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
        # The listing's organization (visible: the reader may see the listing).
        counterparts = visible_organizations(request.user).filter(pk=listing.organization_id)
    form = ProposeForm(
        request.POST or None, managed=managed, counterparts=counterparts, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mine, theirs = data["organization"], data["counterpart"]
        supplier, receiver = (theirs, mine) if data["role"] == "receive" else (mine, theirs)
        try:
            agreement = services.agreement_propose(
                actor=request.user,
                proposer=mine,
                title=data["title"],
                lines=[
                    services.LineInput(
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
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The agreement was proposed."))
            return redirect(agreement)
    return render(request, "exchange/trade/agreement_form.html", {"form": form, "listing": listing})


@login_required
def agreement_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    agreement = selectors.get_agreement_for(request.user, uuid)
    managed = organization_ids_with_role(request.user, MANAGING_ROLES)
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
    agreement = selectors.get_agreement_for(request.user, uuid)
    organization = get_object_or_404(
        visible_organizations(request.user), slug=params.text(request.POST, "organization")
    )
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.agreement_accept(
                actor=request.user, agreement=agreement, organization=organization
            )
            messages.success(request, _("Accepted."))
        elif action == "deliver":
            services.agreement_confirm_delivery(
                actor=request.user, agreement=agreement, receiver=organization
            )
            messages.success(request, _("Delivery confirmed."))
        elif action == "cancel":
            services.agreement_cancel(
                actor=request.user,
                agreement=agreement,
                organization=organization,
                reason=params.text(request.POST, "reason", max_length=2000),
            )
            messages.success(request, _("The agreement was cancelled."))
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(agreement)
