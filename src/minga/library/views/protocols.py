"""Protocols: the list, a protocol's page (members, requests), asking to join, answering."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import has_perm, require
from minga.registry.selectors import (
    DECIDING_ROLES,
    organization_ids_with_role,
    visible_organizations,
)

from .. import selectors, services
from ..forms import GrantForm, MessageForm, ProtocolForm
from ..types import RequestStatus
from ._shared import form_error, post_data


@login_required
def protocol_list(request: HttpRequest) -> HttpResponse:
    protocols = selectors.visible_protocols(request.user).select_related("community")
    return render(
        request,
        "library/protocol_list.html",
        {
            "protocols": protocols.order_by("community__name", "name"),
            "stewarded": set(
                selectors.stewarded_protocols(request.user).values_list("pk", flat=True)
            ),
            "may_create": has_perm(request.user, "library.protocol.create"),
        },
    )


def _communities(request: HttpRequest):  # type: ignore[no-untyped-def]
    return visible_organizations(request.user).filter(
        pk__in=organization_ids_with_role(request.user, DECIDING_ROLES)
    )


@login_required
def protocol_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "library.protocol.create")
    form = ProtocolForm(post_data(request), communities=_communities(request))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            protocol = services.protocol_create(
                actor=request.user,
                community=values["community"],
                name=values["name"],
                description=values["description"],
                kind=values["kind"],
                include_community_members=values["include_community_members"],
                listed=values["listed"],
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The protocol was created; you are its steward."))
            return redirect(protocol)
    return render(
        request,
        "library/form_page.html",
        {"form": form, "title": _("A new access protocol"), "button": _("Create")},
    )


@login_required
def protocol_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    protocol = selectors.get_protocol_for(request.user, uuid=uuid)
    steward = selectors.is_steward(request.user, protocol)
    mine = selectors.requests_of(request.user).filter(protocol=protocol).first()
    context = {
        "protocol": protocol,
        "steward": steward,
        "member": selectors.is_protocol_member(request.user, protocol),
        "my_request": mine,
        "request_form": MessageForm(),
        "may_request": has_perm(request.user, "library.protocol.request", protocol)
        and not (mine and mine.status == RequestStatus.PENDING),
    }
    if steward:
        context.update(
            members=selectors.protocol_members(protocol),
            requests=selectors.pending_requests_for(request.user).filter(protocol=protocol),
            grant_form=GrantForm(),
            answer_form=MessageForm(),
        )
    return render(request, "library/protocol_detail.html", context)


@login_required
def protocol_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    protocol = selectors.get_protocol_for(request.user, uuid=uuid)
    require(request.user, "library.protocol.steward", protocol)
    initial = {
        "name": protocol.name,
        "description": protocol.description,
        "kind": protocol.kind,
        "include_community_members": protocol.include_community_members,
        "listed": protocol.listed,
    }
    form = ProtocolForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.protocol_update(actor=request.user, protocol=protocol, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The protocol was changed."))
            return redirect(protocol)
    return render(
        request,
        "library/form_page.html",
        {"form": form, "title": protocol.name, "button": _("Save")},
    )


@login_required
@require_POST
def protocol_grant(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    protocol = selectors.get_protocol_for(request.user, uuid=uuid)
    form = GrantForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect(protocol)
    try:
        services.membership_grant(
            actor=request.user,
            protocol=protocol,
            person=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is now in the protocol.") % {"name": form.cleaned_data["username"]},
        )
    return redirect(protocol)


@login_required
@require_POST
def protocol_revoke(request: HttpRequest, uuid: uuid_lib.UUID, person_id: int) -> HttpResponse:
    protocol = selectors.get_protocol_for(request.user, uuid=uuid)
    membership = protocol.memberships.select_related("person").filter(person_id=person_id).first()
    if membership is None:
        raise Http404
    try:
        services.membership_revoke(actor=request.user, protocol=protocol, person=membership.person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is no longer in the protocol.") % {"name": membership.person}
        )
    return redirect(protocol)


@login_required
@require_POST
def protocol_request(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    protocol = selectors.get_protocol_for(request.user, uuid=uuid)
    form = MessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    services.access_request_submit(actor=request.user, protocol=protocol, message=message)
    messages.success(request, _("Your request was sent to the protocol's stewards."))
    return redirect(protocol)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/request_list.html",
        {
            "pending": selectors.pending_requests_for(request.user),
            "mine": selectors.requests_of(request.user).order_by("-created_at")[:50],
            "answer_form": MessageForm(),
        },
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    access_request = selectors.get_request_for(request.user, uuid=uuid)
    form = MessageForm(request.POST)
    grant = request.POST.get("decision") == "grant"
    try:
        services.access_request_decide(
            actor=request.user,
            request=access_request,
            grant=grant,
            answer=form.cleaned_data["message"] if form.is_valid() else "",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s was let in.") % {"name": access_request.person}
            if grant
            else _("The request of %(name)s was refused.") % {"name": access_request.person},
        )
    return redirect(request.POST.get("next") or "library:requests")


@login_required
@require_POST
def request_withdraw(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    access_request = selectors.get_request_for(request.user, uuid=uuid)
    try:
        services.access_request_withdraw(actor=request.user, request=access_request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("library:requests")
