"""Items: the search page, an item's page, adding and editing, versions, files, links."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.pagination import page_number
from minga.common.permissions import has_perm, require
from minga.core.library import quantities
from minga.core.library.versions import compare

from .. import selectors, services
from ..forms import (
    AccessForm,
    AttachmentForm,
    CollectionAddForm,
    ConsentForm,
    ItemForm,
    LinkForm,
    ScaleForm,
)
from ..models import Attachment, ItemLink
from ..types import (
    LABELS_BY_CODE,
    LICENSE_URLS,
    AccessChannel,
    ItemKind,
    License,
    LinkRelation,
)
from ..uploads import human_size, upload_limits
from ._shared import form_error, post_data

FACET_NAMES = ("kind", "subject", "language", "country", "license", "organization")


def _query(request: HttpRequest) -> selectors.ItemQuery:
    def values(name: str) -> tuple[str, ...]:
        return tuple(value[:80] for value in request.GET.getlist(name) if value)[:10]

    return selectors.ItemQuery(
        q=request.GET.get("q", "")[:200],
        page=page_number(request, last=500),
        kind=values("kind"),
        country=values("country"),
        language=values("language"),
        subject=values("subject"),
        license=values("license"),
        organization=values("organization"),
    )


def _facet_links(request: HttpRequest, facets: dict[str, list[tuple[str, str, int]]]) -> list[Any]:
    """Each facet value with the address that adds it to (or takes it from) the filters."""
    chosen = {name: set(request.GET.getlist(name)) for name in FACET_NAMES}
    groups = []
    titles = {
        "kind": _("Kind"),
        "subject": _("Subject"),
        "language": _("Language"),
        "country": _("Country"),
        "license": _("License"),
        "organization": _("Organization"),
    }
    for name in FACET_NAMES:
        rows = []
        for value, label, count in facets.get(name, []):
            params = request.GET.copy()
            params.pop("page", None)
            selected = value in chosen[name]
            current = [v for v in params.getlist(name) if v != value]
            if not selected and value:
                current.append(value)
            params.setlist(name, current)
            rows.append(
                {
                    "label": label,
                    "count": count,
                    "selected": selected,
                    "url": "?" + params.urlencode() if value else "",
                }
            )
        if rows:
            groups.append({"name": name, "title": titles[name], "rows": rows})
    return groups


def index(request: HttpRequest) -> HttpResponse:
    """The library's search: words, facets, highlighted snippets, page by page."""
    query = _query(request)
    result = selectors.search_items(request.user, query, fields=selectors.CARD_FIELDS)
    for item in result.items:
        item.snippet = mark_safe(result.snippets[item.pk]) if item.pk in result.snippets else ""  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query,
        "result": result,
        "facets": _facet_links(request, result.facets),
        "filtered": any(query.filters().values()),
        "base_query": params.urlencode(),
        "kinds": ItemKind.choices,
        "may_contribute": has_perm(request.user, "library.item.create"),
    }
    return render(request, "library/index.html", context)


def _scaled(request: HttpRequest, item: Any) -> tuple[ScaleForm, Any, str]:
    if item.kind != ItemKind.FORMULA or item.yield_thousandths is None:
        return ScaleForm(), None, ""
    if "amount" not in request.GET:
        return ScaleForm(initial={"unit": item.yield_unit}), None, ""
    form = ScaleForm(request.GET)
    if not form.is_valid():
        return form, None, ""
    try:
        scaled = selectors.scale_formula(
            item,
            amount=form.cleaned_data["amount"],
            unit=form.cleaned_data["unit"],
            system=form.cleaned_data["system"],
        )
    except quantities.QuantityError:
        form.add_error(
            "unit",
            _("This formula's yield is measured in %(unit)s; choose a unit of the same kind.")
            % {"unit": item.yield_unit},
        )
        return form, None, ""
    rows = [
        {
            "name": row.name,
            "amount": quantities.display(row.amount) if row.amount is not None else "",
            "unit": row.unit,
            "note": row.note,
            "scaled": row.scaled,
        }
        for row in scaled.ingredients
    ]
    return form, rows, quantities.display(scaled.factor)


def item_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_detail_for(request.user, uuid=uuid)
    services.access_record(actor=request.user, item=item, channel=AccessChannel.PAGE)
    language = get_language() or "es"
    translation = selectors.translation_for_reader(item, language)
    scale_form, scaled, factor = _scaled(request, item)
    can_change = has_perm(request.user, "library.item.change", item)
    relations = {value: str(label) for value, label in LinkRelation.choices}
    collections = (
        selectors.collections_managed_by(request.user) if request.user.is_authenticated else None
    )
    context = {
        "item": item,
        "translation": translation,
        "translations": [t for t in item.translations.all() if t.is_published],
        "ingredients": [
            {
                "name": row.name,
                "amount": quantities.display(row.amount) if row.amount is not None else "",
                "unit": row.unit,
                "note": row.note,
            }
            for row in selectors.formula_ingredients(item)
        ]
        if item.kind == ItemKind.FORMULA
        else [],
        "yield_text": quantities.display(quantities.from_thousandths(item.yield_thousandths))
        if item.yield_thousandths is not None
        else "",
        "scale_form": scale_form,
        "scaled": scaled,
        "factor": factor,
        "labels": [LABELS_BY_CODE[code] for code in item.labels if code in LABELS_BY_CODE],
        "license_url": LICENSE_URLS.get(License(item.license), ""),
        "links": [
            (relations[relation], other, outgoing, link_id)
            for relation, other, outgoing, link_id in selectors.links_of(request.user, item)
        ],
        "attachments": list(item.attachments.all()),
        "consent": next(iter(item.consents.all()), None),
        "can_change": can_change,
        "may_read_log": selectors.may_read_access_log(request.user, item),
        "collection_form": CollectionAddForm(collections=collections)
        if collections is not None and collections.exists()
        else None,
        "strict": any(p.kind == "strict" for p in item.protocols.all()),
    }
    return render(request, "library/item_detail.html", context)


def _organizations(request: HttpRequest) -> Any:
    return selectors.contributing_organizations(request.user)


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "library.item.create")
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in ItemKind.values:
        return render(request, "library/item_kind.html", {"kinds": ItemKind.choices})
    organizations = _organizations(request)
    data = post_data(request)
    form = ItemForm(
        data,
        kind=kind,
        organizations=organizations,
        initial={"language": (get_language() or "es").split("-")[0], "license": "cc-by-sa"},
    )
    access_form = AccessForm(
        data, protocols=selectors.protocols_for_items(request.user), prefix="access"
    )
    consent_form = ConsentForm(data, prefix="consent") if kind == ItemKind.KNOWLEDGE else None
    consent_given = bool(data and any(data.get(f"consent-{n}") for n in ("given_by", "method")))
    if request.method == "POST":
        valid = form.is_valid() & access_form.is_valid()
        if consent_form is not None and consent_given:
            valid &= consent_form.is_valid()
        if valid:
            organization = form.cleaned_data["organization"]
            try:
                item = services.item_create(
                    actor=request.user,
                    organization=organization,
                    data=form.to_data(),
                    access=access_form.to_access(),
                    consent=consent_form.to_consent()
                    if consent_form is not None and consent_given
                    else None,
                )
            except DomainError as error:
                target = (
                    consent_form
                    if error.field and error.field.startswith("consent") and consent_form
                    else access_form
                    if error.field in access_form.fields
                    else form
                )
                form_error(target, error)
            else:
                messages.success(request, _("The item was added to the library."))
                return redirect(item)
    return render(
        request,
        "library/item_form.html",
        {
            "form": form,
            "access_form": access_form,
            "consent_form": consent_form,
            "kind": kind,
            "kind_label": ItemKind(kind).label,
            "item": None,
        },
    )


@login_required
def item_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    form = ItemForm(post_data(request), kind=item.kind, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                actor=request.user,
                item=item,
                data=form.to_data(),
                note=form.cleaned_data.get("note", ""),
                expected_version=form.cleaned_data.get("version"),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect(item)
    return render(
        request,
        "library/item_form.html",
        {"form": form, "kind": item.kind, "kind_label": item.get_kind_display(), "item": item},
    )


@login_required
def item_access(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    initial = {
        "visibility": item.visibility,
        "protocols": [p.uuid for p in item.protocols.all()],
        "protocol_rule": item.protocol_rule,
        "custodians": ", ".join(u.username for u in item.custodians.all()),
    }
    protocols = selectors.protocols_for_items(request.user) | item.protocols.all()
    form = AccessForm(post_data(request), protocols=protocols.distinct(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_set_access(
                actor=request.user,
                item=item,
                access=form.to_access(list(item.visible_to_organizations.all())),
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Who may read the item was changed."))
            try:
                return redirect(selectors.get_item_for(request.user, uuid=uuid))
            except Http404:
                return redirect("library:index")
    return render(
        request,
        "library/form_page.html",
        {
            "form": form,
            "item": item,
            "title": _("Who may read “%(title)s”") % {"title": item.title},
            "button": _("Save"),
        },
    )


@login_required
def item_delete(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    if request.method == "POST":
        services.item_delete(actor=request.user, item=item, reason=request.POST.get("reason", ""))
        messages.success(request, _("The item was removed from the library."))
        return redirect("library:index")
    return render(request, "library/item_delete.html", {"item": item})


def version_list(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    return render(
        request,
        "library/version_list.html",
        {
            "item": item,
            "versions": selectors.versions_of(item),
            "can_change": has_perm(request.user, "library.item.change", item),
        },
    )


def _rendered(change: Any) -> Any:
    if change.segments:
        parts = []
        for segment in change.segments:
            text = escape(segment.text)
            if segment.operation == "added":
                parts.append(f"<ins>{text}</ins>")
            elif segment.operation == "removed":
                parts.append(f"<del>{text}</del>")
            else:
                parts.append(text)
        return mark_safe("".join(parts))
    return None


def version_detail(request: HttpRequest, uuid: uuid_lib.UUID, number: int) -> HttpResponse:
    """What version ``number`` changed, against the version before it (or ``?against=``)."""
    item = selectors.get_item_for(request.user, uuid=uuid)
    version = selectors.get_version(item, number)
    try:
        against_number = int(request.GET.get("against", number - 1))
    except ValueError:
        against_number = number - 1
    against = item.versions.filter(number=against_number).first()
    from ..content import SNAPSHOT_ORDER

    changes = compare(against.snapshot if against else {}, version.snapshot, SNAPSHOT_ORDER)
    rows = [
        {
            "field": change.field,
            "diff": _rendered(change),
            "before": change.before,
            "after": change.after,
        }
        for change in changes
    ]
    return render(
        request,
        "library/version_detail.html",
        {
            "item": item,
            "version": version,
            "against": against,
            "rows": rows,
            "can_change": has_perm(request.user, "library.item.change", item),
        },
    )


@login_required
@require_POST
def version_restore(request: HttpRequest, uuid: uuid_lib.UUID, number: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    try:
        services.item_restore(actor=request.user, item=item, number=number)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Version %(number)d is the current content again.") % {"number": number}
        )
    return redirect(item)


@login_required
def attachment_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    form = AttachmentForm(post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                item=item,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                language=form.cleaned_data["language"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(item)
    limits = {family: human_size(size) for family, size in upload_limits().items()}
    return render(
        request,
        "library/form_page.html",
        {
            "form": form,
            "item": item,
            "title": _("Attach a file to “%(title)s”") % {"title": item.title},
            "button": _("Attach"),
            "multipart": True,
            "help": _(
                "Images up to %(image)s, documents up to %(document)s, audio up to %(audio)s, "
                "video up to %(video)s. The kind of file is read from its content."
            )
            % limits,
        },
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    attachment = Attachment.objects.select_related("item").filter(uuid=uuid).first()
    if attachment is None or not selectors.can_view_item(request.user, attachment.item):
        raise Http404
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The file was removed."))
    return redirect(attachment.item)


@login_required
def consent_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    form = ConsentForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, item=item, consent=form.to_consent())
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The record of consent was saved."))
            return redirect(item)
    return render(
        request,
        "library/form_page.html",
        {
            "form": form,
            "item": item,
            "title": _("Record the community's consent"),
            "button": _("Save"),
        },
    )


@login_required
def link_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    require(request.user, "library.item.change", item)
    form = LinkForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            target = selectors.get_item_for(request.user, uuid=form.cleaned_data["target"])
        except Http404:
            form.add_error("target", _("There is no item you may read at this address."))
        else:
            try:
                services.link_add(
                    actor=request.user,
                    source=item,
                    target=target,
                    relation=form.cleaned_data["relation"],
                )
            except DomainError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The items were linked."))
                return redirect(item)
    return render(
        request,
        "library/form_page.html",
        {"form": form, "item": item, "title": _("Link to another item"), "button": _("Link")},
    )


@login_required
@require_POST
def link_remove(request: HttpRequest, uuid: uuid_lib.UUID, link_id: int) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    link = (
        ItemLink.objects.filter(pk=link_id, source=item).select_related("source", "target").first()
    )
    if link is None:
        raise Http404
    services.link_remove(actor=request.user, link=link)
    messages.success(request, _("The link was removed."))
    return redirect(item)


@login_required
def item_access_log(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = selectors.get_item_for(request.user, uuid=uuid)
    entries = selectors.access_log_for(request.user, item)[:500]
    return render(request, "library/access_log.html", {"item": item, "entries": entries})
