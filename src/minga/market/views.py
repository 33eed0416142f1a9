"""Pages of the marketplace. Thin: parse, check permission, call a service or selector, render."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from . import selectors, services
from .forms import ListingFilterForm, ListingForm, StatusForm
from .models import ListingKind

PAGE_SIZE = 30


def directory(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ListingFilterForm(
        request.GET or None, countries_present=selectors.countries_present(user)
    )
    listings = selectors.directory_listings(user, form.filters())
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page}
    # htmx asks only for the results when a filter changes; a plain request gets the page.
    if request.headers.get("HX-Request"):
        return render(request, "market/_results.html", context)
    context["mine"] = selectors.listings_of_managed_organizations(user)
    context["may_create"] = has_perm(user, "market.listing.create")
    return render(request, "market/directory.html", context)


def listing_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    listing = selectors.get_listing_for(request.user, uuid=uuid)
    context = {
        "listing": listing,
        "photos": listing.photos.all(),
        "can_change": has_perm(request.user, "market.listing.change", listing),
        "suggestions": selectors.suggested_offers_for(request.user, listing)
        if listing.kind == ListingKind.NEED
        else [],
    }
    return render(request, "market/listing_detail.html", context)


@login_required
def listing_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "market.listing.create")
    organizations = selectors.managed_organizations(request.user)
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations,
        initial={"kind": request.GET.get("kind", ListingKind.OFFER)},
    )
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        require(request.user, "market.listing.create", organization)
        try:
            listing = services.listing_create(
                actor=request.user,
                organization=organization,
                data=form.to_data(),
                photos=form.photos(),
            )
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The listing was published."))
            return redirect(listing)
    return render(request, "market/listing_form.html", {"form": form, "listing": None})


@login_required
def listing_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    listing = selectors.get_listing_for(request.user, uuid=uuid)
    require(request.user, "market.listing.change", listing)
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        organizations=selectors.managed_organizations(request.user),
        listing=listing,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(
                actor=request.user,
                listing=listing,
                data=form.to_data(),
                add_photos=form.photos(),
                remove_photos=form.cleaned_data.get("remove_photos") or [],
            )
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The listing was updated."))
            return redirect(listing)
    return render(request, "market/listing_form.html", {"form": form, "listing": listing})


@login_required
@require_POST
def listing_close(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    return _change_status(request, uuid, services.listing_close, _("The listing was closed."))


@login_required
@require_POST
def listing_reopen(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    return _change_status(request, uuid, services.listing_reopen, _("The listing was reopened."))


def _change_status(
    request: HttpRequest, uuid: uuid_lib.UUID, service: services.StatusService, done: str
) -> HttpResponse:
    listing = selectors.get_listing_for(request.user, uuid=uuid)
    require(request.user, "market.listing.change", listing)
    form = StatusForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        service(actor=request.user, listing=listing, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(listing)


def _form_field(form: ListingForm, name: str | None) -> str | None:
    if name == "photos":
        return "photo_1" if "photo_1" in form.fields else None
    return name if name in form.fields else None
