"""Pages of declarations: publishing, endorsing and the printable text."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minga.common.errors import DomainError
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for, organizations_user_manages

from .. import exports, selectors, services
from ..models import (
    Endorsement,
)
from .documents import _document_response
from .inputs import uuid_or_404


@login_required
@require_POST
def declaration_publish(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    proposal = selectors.get_proposal_for(request.user, uuid)
    require(request.user, "assemblies.declaration.publish", proposal)
    try:
        declaration = services.declaration_publish(
            actor=request.user, proposal=proposal, kind=request.POST.get("kind", "resolution")
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(proposal)
    return redirect(declaration)


def declaration_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    declaration = selectors.get_declaration_for(request.user, uuid)
    endorsements = list(selectors.visible_signatories(request.user, declaration))
    context = {
        "declaration": declaration,
        "standing": [e for e in endorsements if e.withdrawn_at is None],
        "withdrawn": [e for e in endorsements if e.withdrawn_at is not None],
        "organizations": list(organizations_user_manages(request.user))
        if request.user.is_authenticated
        else [],
        "may_endorse": selectors.organizations_that_may_endorse(request.user)
        if request.user.is_authenticated
        else [],
    }
    return render(request, "assemblies/declaration_detail.html", context)


@login_required
@require_POST
def endorsement_add(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    declaration = selectors.get_declaration_for(request.user, uuid)
    require(request.user, "assemblies.declaration.endorse", declaration)
    organization = get_organization_for(
        request.user, uuid=uuid_or_404(request.POST.get("organization"))
    )
    try:
        services.endorsement_add(
            actor=request.user, declaration=declaration, organization=organization
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(organization)s now endorses this declaration.")
            % {"organization": organization.display_name},
        )
    return redirect(declaration)


@login_required
@require_POST
def endorsement_withdraw(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    endorsement = get_object_or_404(Endorsement.objects.select_related("declaration"), uuid=uuid)
    declaration = selectors.get_declaration_for(request.user, endorsement.declaration.uuid)
    require(request.user, "assemblies.declaration.endorse", declaration)
    try:
        services.endorsement_withdraw(
            actor=request.user, endorsement=endorsement, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(organization)s no longer endorses this declaration.")
            % {"organization": endorsement.organization.display_name},
        )
    return redirect(declaration)


def declaration_export(request: HttpRequest, uuid: uuid_lib.UUID, fmt: str) -> HttpResponse:
    """An adopted text with its adoption record, as accessible HTML or PDF."""
    declaration = selectors.get_declaration_for(request.user, uuid)
    return _document_response(
        exports.declaration_document(declaration), fmt, f"{declaration.kind}-{declaration.uuid}"
    )
