"""API of the registry: organizations, memberships and roles."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, caller, signed_in
from minga.common.search import RankedResults
from minga.people.selectors import active_person

from . import selectors, services
from .models import (
    Organization,
    OrganizationKind,
    OrganizationRelation,
    OrganizationStatus,
    RelationKind,
    Role,
    RoleKind,
)

router = Router(tags=["registry"])


class ContactIn(Schema):
    kind: str
    value: str
    visibility: str = "public"


class ContactOut(Schema):
    kind: str
    value: str
    label: str


class OrganizationOut(Schema):
    uuid: UUID
    url: str
    slug: str
    kind: str
    name: str
    name_language: str
    names: dict[str, str]
    country: str
    region: str
    area: str
    latitude: Decimal | None
    longitude: Decimal | None
    languages: list[str]
    description: str
    description_language: str
    founded_on: date | None
    registry_number: str
    status: str
    visibility: str

    @staticmethod
    def resolve_url(obj: Organization) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_country(obj: Organization) -> str:
        return str(obj.country)

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region.code

    @staticmethod
    def resolve_languages(obj: Organization) -> list[str]:
        return [language.code for language in obj.languages.all()]


class OrganizationDetailOut(OrganizationOut):
    contacts: list[ContactOut]


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrganizationKind
    country: str = Field(..., min_length=2, max_length=2)
    region: str
    slug: str = ""
    name_language: str = "es"
    names: dict[str, str] = {}
    area: str = ""
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    languages: list[str] = []
    description: str = ""
    description_language: str = "es"
    founded_on: date | None = None
    registry_number: str = ""
    status: OrganizationStatus = OrganizationStatus.ACTIVE
    contacts: list[ContactIn] = []


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganizationKind | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    region: str | None = None
    name_language: str | None = None
    names: dict[str, str] | None = None
    area: str | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    languages: list[str] | None = None
    description: str | None = None
    description_language: str | None = None
    founded_on: date | None = None
    registry_number: str | None = None
    status: OrganizationStatus | None = None
    contacts: list[ContactIn] | None = None


class OrganizationFilters(FilterSchema):
    q: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    language: str = ""
    status: str = ""


class RelationOut(Schema):
    uuid: UUID
    member: UUID
    member_name: str
    parent: UUID
    parent_name: str
    kind: str
    status: str
    started_on: date | None
    ended_on: date | None

    @staticmethod
    def resolve_member(obj: OrganizationRelation) -> UUID:
        return obj.member.uuid

    @staticmethod
    def resolve_member_name(obj: OrganizationRelation) -> str:
        return obj.member.name

    @staticmethod
    def resolve_parent(obj: OrganizationRelation) -> UUID:
        return obj.parent.uuid

    @staticmethod
    def resolve_parent_name(obj: OrganizationRelation) -> str:
        return obj.parent.name


class RelationIn(Schema):
    member: UUID
    parent: UUID
    kind: RelationKind = RelationKind.MEMBER_OF
    motivation: str = ""


class DecisionIn(Schema):
    action: str = Field(..., pattern="^(approve|reject|suspend|reinstate|withdraw)$")
    reason: str = ""


class RoleOut(Schema):
    uuid: UUID
    person: str
    organization: UUID
    kind: str
    title: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_person(obj: Role) -> str:
        return obj.person.username

    @staticmethod
    def resolve_organization(obj: Role) -> UUID:
        return obj.organization.uuid


class RoleIn(Schema):
    person: str
    organization: UUID
    kind: RoleKind
    started_on: date
    ended_on: date | None = None
    title: str = ""


class RoleEnd(Schema):
    ended_on: date


def _as_data(payload: OrganizationIn) -> services.OrganizationData:
    return services.OrganizationData(
        **payload.dict(exclude={"contacts"}),
        contacts=[(c.kind, c.value, c.visibility) for c in payload.contacts],
    )


@router.get("/organizations", response=list[OrganizationOut])
@paginate(Pages, page_size=50)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> Any:
    """Organizations the caller may see, filtered; ``q`` searches names and descriptions."""
    chosen = selectors.DirectoryFilters(**filters.dict())
    organizations = selectors.directory_organizations(caller(request), chosen)
    if isinstance(organizations, RankedResults):
        organizations.queryset = organizations.queryset.prefetch_related("languages")
        return organizations
    return organizations.prefetch_related("languages")


@router.get("/organizations/{uuid}", response={200: OrganizationDetailOut, 404: ErrorOut})
def get_organization(request: HttpRequest, uuid: UUID) -> Any:
    organization = selectors.get_organization_for(caller(request), uuid=uuid)
    organization.contacts = list(selectors.visible_contact_channels(caller(request), organization))  # type: ignore[attr-defined]
    return organization


@router.post("/organizations", response={201: OrganizationDetailOut, 422: ErrorOut, 403: ErrorOut})
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Any:
    user = signed_in(request)
    organization = services.organization_create(actor=user, data=_as_data(payload))
    organization.contacts = list(selectors.visible_contact_channels(user, organization))  # type: ignore[attr-defined]
    return Status(201, organization)


@router.patch(
    "/organizations/{uuid}", response={200: OrganizationDetailOut, 422: ErrorOut, 403: ErrorOut}
)
def update_organization(request: HttpRequest, uuid: UUID, payload: OrganizationPatch) -> Any:
    user = signed_in(request)
    organization = selectors.get_organization_for(user, uuid=uuid)
    current = {
        "slug": organization.slug,
        "name": organization.name,
        "kind": organization.kind,
        "country": str(organization.country),
        "region": organization.region.code,
        "name_language": organization.name_language,
        "names": organization.names,
        "area": organization.area,
        "latitude": organization.latitude,
        "longitude": organization.longitude,
        "languages": [language.code for language in organization.languages.all()],
        "description": organization.description,
        "description_language": organization.description_language,
        "founded_on": organization.founded_on,
        "registry_number": organization.registry_number,
        "status": organization.status,
    }
    changes = payload.dict(exclude_unset=True)
    contacts = changes.pop("contacts", None)
    data = services.OrganizationData(**{**current, **changes})
    if contacts is not None:
        data.contacts = [(c["kind"], c["value"], c.get("visibility", "public")) for c in contacts]
    organization = services.organization_update(
        actor=user, organization=organization, data=data, replace_contacts=contacts is not None
    )
    organization.contacts = list(selectors.visible_contact_channels(user, organization))  # type: ignore[attr-defined]
    return organization


@router.get("/organizations/{uuid}/memberships", response=list[RelationOut])
@paginate(Pages, page_size=50)
def list_memberships(request: HttpRequest, uuid: UUID, as_member: bool = True) -> Any:
    """The networks an organization belongs to, or (``as_member=false``) its own members."""
    organization = selectors.get_organization_for(caller(request), uuid=uuid)
    return selectors.organization_relations(caller(request), organization, as_member=as_member)


@router.post(
    "/memberships", response={201: RelationOut, 200: RelationOut, 422: ErrorOut, 403: ErrorOut}
)
def apply_for_membership(request: HttpRequest, payload: RelationIn) -> Any:
    """Apply to join; repeating the same application returns the open one (200)."""
    user = signed_in(request)
    member = selectors.get_organization_for(user, uuid=payload.member)
    parent = selectors.get_organization_for(user, uuid=payload.parent)
    before = OrganizationRelation.objects.filter(
        member=member, parent=parent, status="pending"
    ).exists()
    relation = services.relation_apply(
        actor=user,
        member=member,
        parent=parent,
        motivation=payload.motivation,
        kind=payload.kind,
    )
    return Status(200 if before else 201, relation)


@router.post(
    "/memberships/{uuid}/decision", response={200: RelationOut, 422: ErrorOut, 403: ErrorOut}
)
def decide_membership(request: HttpRequest, uuid: UUID, payload: DecisionIn) -> Any:
    user = signed_in(request)
    relation = selectors.get_relation_for(user, uuid)
    return services.relation_decide(
        actor=user, relation=relation, action=payload.action, reason=payload.reason
    )


@router.get("/organizations/{uuid}/roles", response=list[RoleOut])
@paginate(Pages, page_size=50)
def list_roles(request: HttpRequest, uuid: UUID, current: bool = True) -> Any:
    """People's roles in an organization; only signed-in callers see who holds them."""
    user = signed_in(request)
    organization = selectors.get_organization_for(user, uuid=uuid)
    roles = organization.roles.select_related("person", "organization").order_by("kind", "id")
    return roles.current() if current else roles


@router.post("/roles", response={201: RoleOut, 422: ErrorOut, 403: ErrorOut})
def assign_role(request: HttpRequest, payload: RoleIn) -> Any:
    user = signed_in(request)
    organization = selectors.get_organization_for(user, uuid=payload.organization)
    person = active_person(payload.person)
    if person is None:
        raise FieldError(422, _("Unknown person."), "person", code="unknown_person")
    role = services.role_assign(
        actor=user,
        person=person,
        organization=organization,
        kind=payload.kind,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        title=payload.title,
    )
    return Status(201, role)


@router.patch("/roles/{uuid}", response={200: RoleOut, 422: ErrorOut, 403: ErrorOut})
def end_role(request: HttpRequest, uuid: UUID, payload: RoleEnd) -> Any:
    user = signed_in(request)
    role = get_object_or_404(selectors.visible_roles(user).select_related("person"), uuid=uuid)
    return services.role_end(actor=user, role=role, ended_on=payload.ended_on)
