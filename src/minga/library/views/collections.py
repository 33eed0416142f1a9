"""Collections: the list, a collection's page, curating."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require

from .. import selectors, services
from ..forms import CollectionAddForm, CollectionForm
from ._shared import form_error, post_data


def collection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/collection_list.html",
        {
            "collections": selectors.collections_with_counts(request.user),
            "may_create": has_perm(request.user, "library.collection.create"),
        },
    )


def collection_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    collection = selectors.get_collection_for(request.user, uuid=uuid)
    return render(
        request,
        "library/collection_detail.html",
        {
            "collection": collection,
            "entries": selectors.collection_entries(request.user, collection),
            "can_change": has_perm(request.user, "library.collection.change", collection),
        },
    )


@login_required
def collection_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "library.collection.create")
    form = CollectionForm(
        post_data(request), organizations=selectors.managed_organizations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The collection was created."))
            return redirect(collection)
    return render(
        request,
        "library/form_page.html",
        {"form": form, "title": _("A new collection"), "button": _("Create")},
    )


@login_required
def collection_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    collection = selectors.get_collection_for(request.user, uuid=uuid)
    require(request.user, "library.collection.change", collection)
    initial = {
        "title": collection.title,
        "description": collection.description,
        "language": collection.language,
        "visibility": collection.visibility,
    }
    form = CollectionForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(
                actor=request.user, collection=collection, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The collection was changed."))
            return redirect(collection)
    return render(
        request,
        "library/form_page.html",
        {"form": form, "title": collection.title, "button": _("Save")},
    )


@login_required
@require_POST
def collection_add_item(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """From an item's page: add it to one of the collections the user curates."""
    item = selectors.get_item_for(request.user, uuid=uuid)
    form = CollectionAddForm(
        request.POST, collections=selectors.collections_managed_by(request.user)
    )
    if form.is_valid():
        collection = form.cleaned_data["collection"]
        try:
            services.collection_item_add(
                actor=request.user, collection=collection, item=item, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The item was added to %(name)s.") % {"name": collection.title}
            )
    else:
        messages.error(request, _("Choose one of your collections."))
    return redirect(item)


@login_required
@require_POST
def collection_remove_item(
    request: HttpRequest, uuid: uuid_lib.UUID, item_uuid: uuid_lib.UUID
) -> HttpResponse:
    collection = selectors.get_collection_for(request.user, uuid=uuid)
    item = selectors.get_item_for(request.user, uuid=item_uuid)
    try:
        services.collection_item_remove(actor=request.user, collection=collection, item=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The item was taken out of the collection."))
    return redirect(collection)
