"""Pages of the registry. Thin: parse, check permission, call a service or selector, render."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.audit import visible_entries
from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.common.registration import attention_for

from . import selectors, services
from .forms import DecisionForm, DirectoryFilterForm, JoinRequestForm, OrganizationForm
from .models import OPEN_RELATION_STATUSES
from .rules import decision_rule

PAGE_SIZE = 40


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "recent": selectors.organization_cards(selectors.recent_organizations(user)),
        "counts": selectors.directory_counts(user),
        "attention": attention_for(user),
    }
    return render(request, "registry/home.html", context)


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(
        request.GET or None, countries_present=selectors.countries_present(request.user)
    )
    organizations = selectors.directory_organizations(request.user, form.filters())
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "cards": selectors.organization_cards(page)}
    # htmx asks only for the results when a filter changes; a plain request gets the page.
    template = (
        "registry/_directory_results.html"
        if request.headers.get("HX-Request")
        else "registry/directory.html"
    )
    return render(request, template, context)


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.get_organization_for(request.user, slug=slug)
    networks = selectors.organization_relations(request.user, organization, as_member=True)
    context = {
        "organization": organization,
        "contacts": selectors.visible_contact_channels(request.user, organization),
        "networks": networks,
        # Networks it belongs to or has asked to join: no "apply again" button for those.
        "open_parent_ids": {
            relation.parent_id for relation in networks if relation.status in OPEN_RELATION_STATUSES
        },
        "members": selectors.organization_relations(request.user, organization, as_member=False)[
            :50
        ],
        "roles": selectors.current_roles(organization) if request.user.is_authenticated else [],
        "can_change": has_perm(request.user, "registry.organization.change", organization),
    }
    return render(request, "registry/organization_detail.html", context)


def organization_canonical(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    organization = selectors.get_organization_for(request.user, uuid=uuid)
    return redirect(organization, permanent=False)


@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.get_organization_for(request.user, slug=slug)
    require(request.user, "registry.organization.change", organization)
    form = OrganizationForm(request.POST or None, request.FILES or None, organization=organization)
    if not has_perm(request.user, "registry.organization.classify", organization):
        form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=request.user,
                organization=organization,
                data=form.to_data(organization),
                logo=form.cleaned_data.get("logo"),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The organization was updated."))
            return redirect(organization)
    return render(
        request, "registry/organization_form.html", {"form": form, "organization": organization}
    )


@login_required
def join_request(request: HttpRequest) -> HttpResponse:
    networks = selectors.networks_open_to_applications(request.user)
    form = JoinRequestForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            relation = services.join_request_submit(
                actor=request.user,
                network=form.cleaned_data["network"],
                data=form.to_data(),
                motivation=form.cleaned_data["motivation"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Your request was sent. The coordinators of %(network)s will answer it.")
                % {"network": relation.parent},
            )
            return redirect(relation.member)
    return render(request, "registry/join_request.html", {"form": form})


@login_required
def coordination_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "registry.coordination.view")
    pending = selectors.pending_requests_for(request.user)
    return render(request, "registry/coordination_queue.html", {"pending": pending})


@login_required
@require_POST
def relation_decide(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    relation = selectors.get_relation_for(request.user, uuid)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("registry:coordination")
    action = form.cleaned_data["action"]
    require(request.user, decision_rule(action), relation)
    if action == "withdraw" and not form.cleaned_data["confirm"]:
        # Leaving a network is asked twice; the question works without JavaScript.
        return redirect("registry:relation_withdraw", uuid=relation.uuid)
    try:
        decided = services.relation_decide(
            actor=request.user, relation=relation, action=action, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        # The status after the decision, as the service stored it.
        messages.success(
            request,
            _("%(member)s: %(status)s.")
            % {"member": decided.member, "status": decided.get_status_display()},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "registry:coordination"
    return redirect(target)


@login_required
def relation_withdraw(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Asks whether the member really leaves the network, and says how to come back."""
    relation = selectors.get_relation_for(request.user, uuid)
    require(request.user, "registry.relation.withdraw", relation)
    return render(request, "registry/relation_withdraw.html", {"relation": relation})


@login_required
@require_POST
def relation_reapply(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """A member that left (or was refused) asks again to join the same network."""
    relation = selectors.get_relation_for(request.user, uuid)
    try:
        services.relation_apply(
            actor=request.user,
            member=relation.member,
            parent=relation.parent,
            motivation=request.POST.get("motivation", "")[:4000],
            kind=relation.kind,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your request was sent. The coordinators of %(network)s will answer it.")
            % {"network": relation.parent},
        )
    return redirect(relation.member)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "registry.audit.view")
    entries = visible_entries(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "registry/audit_log.html", {"page": page})
