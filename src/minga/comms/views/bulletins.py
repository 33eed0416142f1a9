"""Pages of bulletins: the news, a bulletin in the reader's language, writing, reviewing."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import has_perm, require
from minga.federation import activitypub as ap

from .. import activitypub, selectors, services
from ..cards import event_cards
from ..forms import BulletinForm, MediaForm, PublishForm, TranslationRequestForm
from ..models import BulletinMedia, Campaign, Programme
from ..types import BulletinStatus

PAGE_SIZE = 20


def _form_field(form: Any, field: str | None) -> str | None:
    return field if field in form.fields else None


def news(request: HttpRequest) -> HttpResponse:
    """The network's news: published bulletins the reader may see, newest first."""
    filters = selectors.BulletinFilters(
        organization=request.GET.get("organization", "").strip(),
        tag=request.GET.get("tag", "").strip(),
        language=request.GET.get("language", "").strip(),
        campaign=request.GET.get("campaign", "").strip(),
        origin=request.GET.get("origin", "").strip(),
    )
    page = Paginator(selectors.bulletin_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = get_language() or "es"
    context = {
        "page": page,
        "items": [(bulletin, selectors.reader_version(bulletin, language)) for bulletin in page],
        "filters": filters,
        "upcoming": event_cards(selectors.upcoming_events(request.user, limit=5)),
        "may_write": has_perm(request.user, "comms.bulletin.create"),
    }
    return render(request, "comms/news.html", context)


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    filters = selectors.BulletinFilters(tag=slug)
    page = Paginator(selectors.bulletin_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    language = get_language() or "es"
    context = {
        "page": page,
        "items": [(bulletin, selectors.reader_version(bulletin, language)) for bulletin in page],
        "tag": slug,
    }
    return render(request, "comms/tag.html", context)


def bulletin_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """A bulletin in the reader's language when a translation exists, the original one click
    away; as an ActivityPub object to servers that ask for one (public bulletins only)."""
    if ap.wants_activity_json(request):
        return _as_activity(uuid)
    bulletin = selectors.get_bulletin_for(request.user, uuid)
    language = get_language() or "es"
    asked = request.GET.get("lang", "")
    version = selectors.reader_version(bulletin, language, asked)
    user = request.user
    may_edit = has_perm(user, "comms.bulletin.change", bulletin)
    may_publish = has_perm(user, "comms.bulletin.publish", bulletin)
    translations = list(bulletin.translations.all())
    context = {
        "bulletin": bulletin,
        "version": version,
        "translations": translations,
        "published_translations": [t for t in translations if t.is_published],
        "media": list(bulletin.media.all()),
        "may_edit": may_edit,
        "may_publish": may_publish,
        "may_request": has_perm(user, "comms.translation.request", bulletin),
        "reactions": selectors.reactions_for(bulletin)
        if has_perm(user, "comms.bulletin.moderate", bulletin)
        else None,
        "media_form": MediaForm() if may_edit else None,
        "publish_form": PublishForm() if may_publish else None,
        "translation_form": TranslationRequestForm(),
    }
    return render(request, "comms/bulletin_detail.html", context)


def _as_activity(uuid: uuid_lib.UUID) -> HttpResponse:
    from ..models import Bulletin

    bulletin = (
        Bulletin.objects.select_related("organization", "campaign")
        .prefetch_related("tags", "media")
        .filter(uuid=uuid, remote_actor__isnull=True)
        .first()
    )
    if (
        bulletin is None
        or bulletin.organization is None
        or bulletin.visibility != Visibility.PUBLIC
    ):
        return ap.activity_response({"error": "not found"}, status=404)
    if (
        bulletin.status == BulletinStatus.WITHDRAWN
        and bulletin.organization.visibility == Visibility.PUBLIC
    ):
        return ap.activity_response(activitypub.tombstone(bulletin, "Article"), status=410)
    if (
        bulletin.status != BulletinStatus.PUBLISHED
        or bulletin.organization.visibility != Visibility.PUBLIC
    ):
        return ap.activity_response({"error": "not found"}, status=404)
    return ap.activity_response({"@context": ap.CONTEXT, **activitypub.bulletin_object(bulletin)})


def _form_choices(user: Any, organization: Any = None) -> dict[str, Any]:
    organizations = selectors.organizations_user_writes_for(user)
    campaigns = selectors.campaign_list(user, current_only=True).filter(remote_actor__isnull=True)
    programmes = Programme.objects.filter(organization__in=organizations)
    return {
        "organizations": organizations,
        "campaigns": Campaign.objects.filter(pk__in=campaigns.values("pk")),
        "programmes": programmes,
    }


@login_required
def bulletin_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "comms.bulletin.create")
    choices = _form_choices(request.user)
    initial = {"language": get_language() or "es", "visibility": Visibility.PUBLIC}
    if request.GET.get("organization"):
        initial["organization"] = (
            choices["organizations"].filter(slug=request.GET["organization"]).first()
        )
    form = BulletinForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = services.bulletin_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.to_data(),
            )
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(bulletin)
    return render(request, "comms/bulletin_form.html", {"form": form, "bulletin": None})


@login_required
def bulletin_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    bulletin = selectors.get_bulletin_for(request.user, uuid)
    require(request.user, "comms.bulletin.change", bulletin)
    choices = _form_choices(request.user)
    choices["organizations"] = choices["organizations"].filter(pk=bulletin.organization_id)
    initial = {
        "organization": bulletin.organization,
        "kind": bulletin.kind,
        "title": bulletin.title,
        "summary": bulletin.summary,
        "body": bulletin.body,
        "language": bulletin.language,
        "tags": ", ".join(tag.slug for tag in bulletin.tags.all()),
        "country": bulletin.country,
        "campaign": bulletin.campaign,
        "programme": bulletin.programme,
        "video_links": "\n".join(bulletin.video_links),
        "visibility": bulletin.visibility,
    }
    form = BulletinForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.bulletin_update(actor=request.user, bulletin=bulletin, data=form.to_data())
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The bulletin was saved."))
            return redirect(bulletin)
    return render(request, "comms/bulletin_form.html", {"form": form, "bulletin": bulletin})


@login_required
@require_POST
def bulletin_act(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Send for review, publish (now or at a time), send back, or withdraw."""
    bulletin = selectors.get_bulletin_for(request.user, uuid)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "submit":
            services.bulletin_submit(actor=user, bulletin=bulletin)
            messages.success(request, _("The bulletin was sent to the editors for review."))
        elif action == "publish":
            form = PublishForm(request.POST)
            at = form.cleaned_data["at"] if form.is_valid() else None
            if at is not None and timezone.is_naive(at):
                at = timezone.make_aware(at)
            bulletin = services.bulletin_publish(actor=user, bulletin=bulletin, at=at)
            if bulletin.status == BulletinStatus.SCHEDULED:
                messages.success(request, _("The bulletin will be published at the chosen time."))
            else:
                messages.success(request, _("The bulletin is published."))
        elif action == "return":
            services.bulletin_return(
                actor=user, bulletin=bulletin, note=request.POST.get("note", "")
            )
            messages.success(request, _("The bulletin was sent back to its author."))
        elif action == "withdraw":
            services.bulletin_withdraw(
                actor=user, bulletin=bulletin, reason=request.POST.get("note", "")
            )
            messages.success(request, _("The bulletin was withdrawn."))
        else:
            messages.error(request, _("Choose what to do."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(bulletin)


@login_required
@require_POST
def media_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    bulletin = selectors.get_bulletin_for(request.user, uuid)
    form = MediaForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return redirect(bulletin)
    try:
        services.media_add(
            actor=request.user,
            bulletin=bulletin,
            upload=form.cleaned_data["file"],
            alt_text=form.cleaned_data["alt_text"],
            title=form.cleaned_data["title"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file was added."))
    return redirect(bulletin)


@login_required
@require_POST
def media_remove(request: HttpRequest, uuid: uuid_lib.UUID, pk: int) -> HttpResponse:
    bulletin = selectors.get_bulletin_for(request.user, uuid)
    media = get_object_or_404(BulletinMedia, pk=pk, bulletin=bulletin)
    services.media_remove(actor=request.user, media=media)
    messages.success(request, _("The file was removed."))
    return redirect(bulletin)


@login_required
@require_POST
def translation_request(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    bulletin = selectors.get_bulletin_for(request.user, uuid)
    form = TranslationRequestForm(request.POST)
    languages = form.cleaned_data["languages"] if form.is_valid() else []
    try:
        created = services.translation_request(
            actor=request.user, bulletin=bulletin, languages=languages
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Translations requested: %(languages)s.")
            % {"languages": ", ".join(t.language for t in created) or "—"},
        )
    return redirect(bulletin)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The writer's and editor's desk: drafts, bulletins to review, and where to start."""
    context = {
        "to_review": selectors.bulletins_to_review(request.user),
        "drafts": selectors.my_drafts(request.user),
        "may_write": has_perm(request.user, "comms.bulletin.create"),
        "organizations": selectors.organizations_user_writes_for(request.user),
    }
    return render(request, "comms/desk.html", context)
