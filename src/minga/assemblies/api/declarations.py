"""API of declarations and endorsements."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..models import (
    Declaration,
    DeclarationKind,
    Endorsement,
)
from .inputs import Input, Text

router = Router(tags=["assemblies"])


class EndorsementOut(Schema):
    uuid: UUID
    organization: UUID
    organization_name: str
    endorsed_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str

    @staticmethod
    def resolve_organization(obj: Endorsement) -> UUID:
        return obj.organization.uuid

    @staticmethod
    def resolve_organization_name(obj: Endorsement) -> str:
        return obj.organization.name


class DeclarationOut(Schema):
    uuid: UUID
    url: str
    body: str
    proposal: UUID
    kind: str
    title: str
    language: str
    text: str
    published_at: datetime
    signatory_count: int

    @staticmethod
    def resolve_url(obj: Declaration) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: Declaration) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_proposal(obj: Declaration) -> UUID:
        return obj.proposal.uuid


class PublishIn(Input):
    kind: DeclarationKind = DeclarationKind.RESOLUTION


class EndorseIn(Input):
    organization: UUID


class WithdrawIn(Input):
    reason: str = ""


@router.get("/declarations", response=list[DeclarationOut])
@paginate(Pages, page_size=50)
def list_declarations(request: HttpRequest, body: Text = "") -> Any:
    user = caller(request)
    chosen = selectors.get_body_for(user, slug=body) if body else None
    return selectors.visible_declarations(user, chosen).select_related("proposal")


@router.get("/declarations/{uuid}", response={200: DeclarationOut, 404: ErrorOut})
def get_declaration(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_declaration_for(caller(request), uuid)


@router.get(
    "/declarations/{uuid}/endorsements", response={200: list[EndorsementOut], 404: ErrorOut}
)
def list_endorsements(request: HttpRequest, uuid: UUID) -> Any:
    """Every signature, standing or withdrawn (with when and why), oldest first."""
    user = caller(request)
    return list(selectors.visible_signatories(user, selectors.get_declaration_for(user, uuid)))


@router.post(
    "/proposals/{uuid}/declaration",
    response={201: DeclarationOut, 200: DeclarationOut, 403: ErrorOut, 422: ErrorOut},
)
def publish_declaration(request: HttpRequest, uuid: UUID, payload: PublishIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.declaration.publish", proposal)
    existed = Declaration.objects.filter(proposal=proposal).exists()
    declaration = services.declaration_publish(actor=user, proposal=proposal, kind=payload.kind)
    return Status(200 if existed else 201, selectors.get_declaration_for(user, declaration.uuid))


@router.post(
    "/declarations/{uuid}/endorsements",
    response={201: EndorsementOut, 200: EndorsementOut, 403: ErrorOut, 422: ErrorOut},
)
def endorse(request: HttpRequest, uuid: UUID, payload: EndorseIn) -> Any:
    user = signed_in(request)
    declaration = selectors.get_declaration_for(user, uuid)
    require(user, "assemblies.declaration.endorse", declaration)
    organization = get_organization_for(user, uuid=payload.organization)
    existed = declaration.endorsements.filter(
        organization=organization, withdrawn_at__isnull=True
    ).exists()
    endorsement = services.endorsement_add(
        actor=user, declaration=declaration, organization=organization
    )
    return Status(200 if existed else 201, endorsement)


@router.post(
    "/endorsements/{uuid}/withdraw", response={200: EndorsementOut, 403: ErrorOut, 422: ErrorOut}
)
def withdraw_endorsement(request: HttpRequest, uuid: UUID, payload: WithdrawIn) -> Any:
    user = signed_in(request)
    endorsement = get_object_or_404(
        Endorsement.objects.select_related("declaration", "organization"), uuid=uuid
    )
    selectors.get_declaration_for(user, endorsement.declaration.uuid)
    require(user, "assemblies.declaration.endorse", endorsement.declaration)
    return services.endorsement_withdraw(actor=user, endorsement=endorsement, reason=payload.reason)
