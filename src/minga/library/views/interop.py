"""What other programs read: OAI-PMH, the Atom feed, the sitemap, and bundles."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import feedgenerator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from minga.common.errors import DomainError
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from .. import oai as oai_module
from .. import selectors, services
from ..bundles import exportable_items, write_bundle
from ..forms import ImportForm
from ..models import Item
from ._shared import form_error, post_data

FEED_SIZE = 50
SITEMAP_SIZE = 50_000


@csrf_exempt  # harvesters may POST their requests (OAI-PMH allows it); nothing is written
def oai(request: HttpRequest) -> HttpResponse:
    return oai_module.answer(request)


def feed(request: HttpRequest) -> HttpResponse:
    """The newest items the reader may see, as Atom."""
    atom = feedgenerator.Atom1Feed(
        title=_("Minga library"),
        link=request.build_absolute_uri("/library/"),
        description=_("The newest items of the library."),
        language=(request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "es"),
        feed_url=request.build_absolute_uri(request.path),
    )
    for item in selectors.recent_items(request.user, FEED_SIZE):
        atom.add_item(
            title=item.title,
            link=item.get_canonical_url(),
            description=item.summary,
            unique_id=item.get_canonical_url(),
            pubdate=item.created_at,
            updateddate=item.updated_at,
            categories=[str(subject) for subject in item.subjects.all()],
        )
    return HttpResponse(
        atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )


def sitemap(request: HttpRequest) -> HttpResponse:
    """The public items' addresses, for search engines (what an anonymous reader sees)."""
    items = (
        selectors.visible_items(AnonymousUser())
        .order_by("-updated_at")
        .values_list("uuid", "updated_at")[:SITEMAP_SIZE]
    )
    return render(
        request,
        "library/sitemap.xml",
        {"items": items, "prefix": Item.canonical_path_prefix},
        content_type="application/xml; charset=utf-8",
    )


def _bundle_response(request: HttpRequest, items: list[Any], name: str) -> FileResponse:
    if not items:
        raise Http404
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_bundle(request.user, items, out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=f"{name}.zip", content_type="application/zip"
    )


def bundle_export(request: HttpRequest) -> FileResponse:
    """A bundle of one item, a collection, or an organization's items the reader may carry."""
    if request.GET.get("item"):
        item = selectors.get_item_for(request.user, uuid=request.GET["item"])
        items = exportable_items(request.user, Item.objects.filter(pk=item.pk))
        return _bundle_response(request, items, f"library-{item.uuid}")
    if request.GET.get("collection"):
        collection = selectors.get_collection_for(request.user, uuid=request.GET["collection"])
        entries = selectors.collection_entries(request.user, collection)
        items = exportable_items(
            request.user, Item.objects.filter(pk__in=[e.item_id for e in entries])
        )
        return _bundle_response(request, items, f"library-collection-{collection.uuid}")
    if request.GET.get("organization"):
        organization = get_organization_for(request.user, slug=request.GET["organization"])
        items = exportable_items(
            request.user, Item.objects.filter(organization=organization).order_by("pk")
        )
        return _bundle_response(request, items, f"library-{organization.slug}")
    raise Http404


@login_required
def bundle_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "library.bundle.import")
    form = ImportForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.bundle_import(actor=request.user, stream=upload, name=upload.name)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Bundle imported: %(created)d items added, %(updated)d updated, "
                    "%(unchanged)d already up to date, %(files)d files."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "files": result.files,
                },
            )
            return redirect("library:index")
    return render(
        request,
        "library/form_page.html",
        {
            "form": form,
            "title": _("Import a bundle"),
            "button": _("Import"),
            "multipart": True,
            "help": _(
                "A bundle exported from a Minga library. It is imported whole or not at all; "
                "importing it again changes nothing."
            ),
        },
    )
