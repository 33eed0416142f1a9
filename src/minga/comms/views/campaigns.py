"""Pages of campaigns, radio programmes and organizations' communication."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import has_perm, require
from minga.federation import activitypub as ap
from minga.federation import selectors as federation
from minga.registry.selectors import get_organization_for

from .. import activitypub, selectors, services
from ..cards import event_cards
from ..forms import (
    CampaignForm,
    MaterialForm,
    ParticipationForm,
    ProgrammeForm,
    SubscribeForm,
)
from .bulletins import PAGE_SIZE, _form_field


def campaign_list(request: HttpRequest) -> HttpResponse:
    current = request.GET.get("all") != "1"
    page = Paginator(selectors.campaign_list(request.user, current_only=current), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "current": current,
        "may_create": has_perm(request.user, "comms.campaign.create"),
    }
    return render(request, "comms/campaign_list.html", context)


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if ap.wants_activity_json(request):
        campaign = selectors.get_campaign_for(None, slug=slug)
        if campaign.organization is None or campaign.organization.visibility != Visibility.PUBLIC:
            return ap.activity_response({"error": "not found"}, status=404)
        return ap.activity_response(
            {"@context": ap.CONTEXT, **activitypub.campaign_object(campaign)}
        )
    campaign = selectors.get_campaign_for(request.user, slug=slug)
    user = request.user
    participants = list(selectors.campaign_participants(user, campaign))
    taking_part = {p.organization_id for p in participants if p.left_at is None}
    managed = selectors.organizations_user_manages(user)
    language = get_language() or "es"
    bulletins = selectors.bulletin_list(user, selectors.BulletinFilters(campaign=campaign.slug))[
        :10
    ]
    context = {
        "campaign": campaign,
        "participants": participants,
        "join_form": ParticipationForm(organizations=managed.exclude(pk__in=taking_part))
        if not campaign.is_remote
        else None,
        "leave_form": ParticipationForm(
            organizations=managed.filter(pk__in=taking_part).exclude(pk=campaign.organization_id)
        ),
        "materials": campaign.materials.all(),
        "material_form": MaterialForm(initial={"language": language})
        if has_perm(user, "comms.campaign.add_material", campaign)
        else None,
        "bulletins": [(b, selectors.reader_version(b, language)) for b in bulletins],
        "cards": event_cards(selectors.upcoming_events(user, limit=20, campaign=campaign.slug)),
        "may_change": has_perm(user, "comms.campaign.change", campaign),
    }
    return render(request, "comms/campaign_detail.html", context)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "comms.campaign.create")
    organizations = selectors.organizations_user_manages(request.user)
    form = CampaignForm(
        request.POST or None,
        organizations=organizations,
        initial={"language": get_language() or "es", "visibility": Visibility.PUBLIC},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.to_data(),
            )
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The campaign was started."))
            return redirect(campaign)
    return render(request, "comms/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for(request.user, slug=slug)
    require(request.user, "comms.campaign.change", campaign)
    organizations = selectors.organizations_user_manages(request.user).filter(
        pk=campaign.organization_id
    )
    form = CampaignForm(
        request.POST or None,
        organizations=organizations,
        initial={
            "organization": campaign.organization,
            "title": campaign.title,
            "slug": campaign.slug,
            "summary": campaign.summary,
            "description": campaign.description,
            "goals": campaign.goals,
            "language": campaign.language,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "visibility": campaign.visibility,
        },
    )
    form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, data=form.to_data())
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect(campaign)
    return render(request, "comms/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_POST
def campaign_participation(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for(request.user, slug=slug)
    form = ParticipationForm(
        request.POST, organizations=selectors.organizations_user_manages(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Choose an organization."))
        return redirect(campaign)
    organization = form.cleaned_data["organization"]
    try:
        if request.POST.get("action") == "leave":
            services.campaign_leave(
                actor=request.user, campaign=campaign, organization=organization
            )
            messages.success(
                request, _("%(name)s left the campaign.") % {"name": organization.display_name}
            )
        else:
            services.campaign_join(actor=request.user, campaign=campaign, organization=organization)
            messages.success(
                request,
                _("%(name)s takes part in the campaign.") % {"name": organization.display_name},
            )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(campaign)


@login_required
@require_POST
def material_add(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for(request.user, slug=slug)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return redirect(campaign)
    try:
        services.material_add(
            actor=request.user,
            campaign=campaign,
            data=form.to_data(),
            upload=form.cleaned_data.get("file"),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The material was added."))
    return redirect(campaign)


def organization_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An organization's bulletins, radio programmes, events, feeds and digest."""
    organization = get_organization_for(request.user, slug=slug)
    user = request.user
    language = get_language() or "es"
    page = Paginator(
        selectors.bulletin_list(user, selectors.BulletinFilters(organization=organization.slug)),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    public = organization.visibility == Visibility.PUBLIC
    context = {
        "organization": organization,
        "page": page,
        "items": [(b, selectors.reader_version(b, language)) for b in page],
        "programmes": selectors.programmes_of(organization),
        "cards": event_cards(
            selectors.upcoming_events(user, limit=8, organization=organization.slug)
        ),
        "public": public,
        "handle": federation.handle_of(organization) if public else "",
        "subscribe_form": SubscribeForm(initial={"language": language}) if public else None,
        "may_write": has_perm(user, "comms.bulletin.create", organization),
        "may_manage": has_perm(user, "comms.programme.manage", organization),
        "drafts": selectors.bulletins_of(user, organization).exclude(status="published")[:20]
        if has_perm(user, "comms.bulletin.create", organization)
        else [],
        "subscribers": selectors.subscriber_count(organization)
        if has_perm(user, "comms.subscription.view", organization)
        else None,
    }
    return render(request, "comms/organization.html", context)


def organization_network(request: HttpRequest, slug: str) -> HttpResponse:
    """What the organizations and accounts this organization follows have published."""
    organization = get_organization_for(request.user, slug=slug)
    language = get_language() or "es"
    page = Paginator(selectors.network_bulletins(request.user, organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "organization": organization,
        "page": page,
        "items": [(b, selectors.reader_version(b, language)) for b in page],
    }
    return render(request, "comms/organization_network.html", context)


@login_required
def programme_create(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(request.user, slug=slug)
    require(request.user, "comms.programme.manage", organization)
    form = ProgrammeForm(request.POST or None, initial={"language": get_language() or "es"})
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_save(
                actor=request.user, organization=organization, data=form.to_data()
            )
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect(programme)
    return render(
        request, "comms/programme_form.html", {"form": form, "organization": organization}
    )


def programme_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    programme = selectors.get_programme_for(request.user, uuid)
    episodes = selectors.podcast_episodes(programme.organization, programme)[:50]
    context = {
        "programme": programme,
        "episodes": episodes,
        "podcast_url": reverse("comms:programme_podcast", args=[programme.uuid]),
    }
    return render(request, "comms/programme_detail.html", context)
