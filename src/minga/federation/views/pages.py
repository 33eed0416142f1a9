"""Pages: an organization's follows, and the administrators' view of federation."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..models import Delivery
from ..selectors import domain_blocked
from ..types import DeliveryState
from .protocol import organization_for_handle


def organization_follows(request: HttpRequest, slug: str) -> HttpResponse:
    """Whom the organization follows and who follows it; those who speak for it manage both."""
    organization = get_organization_for(request.user, slug=slug)
    may_manage = has_perm(request.user, "federation.follow.manage", organization)
    context = {
        "organization": organization,
        "handle": selectors.handle_of(organization),
        "may_manage": may_manage,
        "following": selectors.following_of(organization)[:200],
        "followers": selectors.followers_of(organization)[:200] if may_manage else [],
        "follower_count": selectors.follower_count(organization),
        "public": organization.visibility == "public",
    }
    return render(request, "federation/organization_follows.html", context)


@login_required
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow by address: ``@name@server`` elsewhere, or an organization here."""
    organization = get_organization_for(request.user, slug=slug)
    require(request.user, "federation.follow.manage", organization)
    handle = request.POST.get("handle", "").strip()
    try:
        target = organization_for_handle(handle)
        if target is None:
            target = services.webfinger(handle)
        result = services.follow_create(
            actor=request.user, organization=organization, target=target
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if result.state == "pending":
            messages.success(request, _("The follow was sent; it waits for an answer."))
        else:
            messages.success(
                request,
                _("%(name)s now follows %(target)s.")
                % {
                    "name": organization.display_name,
                    "target": handle,
                },
            )
    return redirect("federation:organization_follows", slug=organization.slug)


@login_required
@require_POST
def follow_end(request: HttpRequest, slug: str, uuid: uuid_lib.UUID) -> HttpResponse:
    organization = get_organization_for(request.user, slug=slug)
    follow = selectors.get_follow_for(organization, uuid)
    if follow.follower_organization_id == organization.pk:
        services.follow_undo(actor=request.user, follow=follow)
        messages.success(request, _("Stopped following."))
    else:
        services.follower_remove(actor=request.user, follow=follow)
        messages.success(request, _("The follower was removed."))
    return redirect("federation:organization_follows", slug=organization.slug)


@login_required
@require_POST
def key_rotate(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(request.user, slug=slug)
    services.key_rotate(actor=request.user, organization=organization)
    messages.success(request, _("A new signing key is in use; followers' servers are being told."))
    return redirect("federation:organization_follows", slug=organization.slug)


@login_required
def admin_overview(request: HttpRequest) -> HttpResponse:
    """Deliveries and failures per remote server, recent activities received, blocks."""
    require(request.user, "federation.admin.view")
    servers = Paginator(selectors.servers_with_delivery_counts(), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "servers": servers,
        "totals": selectors.delivery_totals(),
        "failures": selectors.deliveries(state=DeliveryState.FAILED)[:30],
        "inbox": selectors.recent_inbox_items(30),
        "domain_blocks": selectors.domain_blocks(),
        "actor_blocks": selectors.actor_blocks(),
    }
    return render(request, "federation/admin_overview.html", context)


@login_required
def admin_server(request: HttpRequest, domain: str) -> HttpResponse:
    require(request.user, "federation.admin.view")
    server = selectors.get_server(domain)
    state = request.GET.get("state", "")
    page = Paginator(selectors.deliveries(server=server, state=state), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "server": server,
        "page": page,
        "state": state,
        "states": DeliveryState.choices,
        "blocked": domain_blocked(server.domain),
    }
    return render(request, "federation/admin_server.html", context)


@login_required
@require_POST
def admin_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("server"), pk=pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery will be tried again now."))
    return redirect("federation:admin_server", domain=delivery.server.domain)


@login_required
@require_POST
def admin_block(request: HttpRequest) -> HttpResponse:
    """Block or unblock a domain or an account."""
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "block_domain":
            services.domain_block(
                actor=request.user, domain=request.POST.get("domain", ""), reason=reason
            )
            messages.success(request, _("The domain is blocked."))
        elif action == "unblock_domain":
            services.domain_unblock(actor=request.user, domain=request.POST.get("domain", ""))
            messages.success(request, _("The domain is no longer blocked."))
        elif action == "block_actor":
            services.actor_block(
                actor=request.user, actor_uri=request.POST.get("actor_uri", ""), reason=reason
            )
            messages.success(request, _("The account is blocked."))
        elif action == "unblock_actor":
            services.actor_unblock(actor=request.user, actor_uri=request.POST.get("actor_uri", ""))
            messages.success(request, _("The account is no longer blocked."))
        else:
            require(request.user, "federation.block.manage")
            messages.error(request, _("Choose what to do."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("federation:admin")
