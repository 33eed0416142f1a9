"""Reads of the registry that users see. Every list and every object goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from minga.common.search import RankedResults, get_index
from minga.common.visibility import filter_visible, viewer_for

from .models import (
    ContactChannel,
    Organization,
    OrganizationKind,
    OrganizationRelation,
    RelationKind,
    RelationStatus,
    Role,
    RoleKind,
)

DECIDING_ROLES = (RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR)
MANAGING_ROLES = (RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR, RoleKind.SPOKESPERSON)


def member_organization_ids(user: Any) -> frozenset[int]:
    """The organizations in which the user holds a current role of any kind."""
    return frozenset(
        Role.objects.current().filter(person=user).values_list("organization_id", flat=True)
    )


def organization_ids_with_role(user: Any, kinds: tuple[str, ...]) -> frozenset[int]:
    """Organizations where the user holds one of these roles today; cached on the user object,
    which lives for one request, so permission checks in a list cost one query in all."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[tuple[str, ...], frozenset[int]] = user.__dict__.setdefault("_minga_roles", {})
    if kinds not in cache:
        cache[kinds] = frozenset(
            Role.objects.current()
            .filter(person=user, kind__in=kinds)
            .values_list("organization_id", flat=True)
        )
    return cache[kinds]


def requires_two_factor(user: Any) -> bool:
    """Coordinators and administrators of any organization must use two-factor auth."""
    return Role.objects.current().filter(person=user, kind__in=DECIDING_ROLES).exists()


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    country: str = ""
    region: str = ""
    kind: str = ""
    language: str = ""
    status: str = ""


def visible_organizations(user: Any) -> QuerySet[Organization]:
    return filter_visible(Organization.objects.all(), viewer_for(user))


def countries_present(user: Any) -> list[str]:
    return list(visible_organizations(user).order_by().values_list("country", flat=True).distinct())


RankedOrganizations = RankedResults[Organization]


SEARCH_RESULT_LIMIT = 5000


def directory_organizations(
    user: Any, filters: DirectoryFilters
) -> QuerySet[Organization] | RankedOrganizations:
    """The directory: visible organizations, filtered; search results keep their rank order."""
    organizations = visible_organizations(user).select_related("region")
    if filters.country:
        organizations = organizations.filter(country=filters.country)
    if filters.region:
        organizations = organizations.filter(region__code=filters.region)
    if filters.kind:
        organizations = organizations.filter(kind=filters.kind)
    if filters.status:
        organizations = organizations.filter(status=filters.status)
    if filters.language:
        organizations = organizations.filter(
            Exists(
                Organization.languages.through.objects.filter(
                    organization_id=OuterRef("pk"), language_id=filters.language
                )
            )
        )
    if filters.q.strip():
        # The index answers with keys only; the visibility filter above still applies.
        ranked = get_index("organizations").search(filters.q, limit=SEARCH_RESULT_LIMIT)
        return RankedOrganizations(organizations, ranked)
    return organizations.order_by("name", "id")


def get_organization_for(user: Any, *, slug: str | None = None, uuid: Any = None) -> Organization:
    """The organization if the user may see it; otherwise 404, as if it did not exist."""
    lookup = {"slug": slug} if slug is not None else {"uuid": uuid}
    organization = visible_organizations(user).select_related("region").filter(**lookup).first()
    if organization is None:
        raise Http404
    return organization


def visible_contact_channels(user: Any, organization: Organization) -> QuerySet[ContactChannel]:
    return filter_visible(organization.contact_channels.all(), viewer_for(user))


def organization_relations(
    user: Any, organization: Organization, *, as_member: bool
) -> QuerySet[OrganizationRelation]:
    """Memberships of an organization (or in it), limited to counterparts the user may see."""
    visible = visible_organizations(user)
    if as_member:
        relations = organization.relations_as_member.filter(parent__in=visible)
    else:
        relations = organization.relations_as_parent.filter(member__in=visible)
    return relations.select_related("member", "parent").prefetch_related("events")


def current_roles(organization: Organization) -> QuerySet[Role]:
    return (
        organization.roles.current().select_related("person").order_by("kind", "person__username")
    )


def person_roles(person: Any, user: Any) -> QuerySet[Role]:
    return (
        Role.objects.filter(person=person, organization__in=visible_organizations(user))
        .select_related("organization")
        .order_by("-started_on")
    )


def pending_requests_for(user: Any) -> QuerySet[OrganizationRelation]:
    """The coordinator's queue: open applications to organizations the user coordinates."""
    relations = OrganizationRelation.objects.filter(status=RelationStatus.PENDING)
    if not user.is_superuser:
        relations = relations.filter(parent_id__in=organization_ids_with_role(user, DECIDING_ROLES))
    return relations.select_related("member", "parent", "requested_by", "member__region").order_by(
        "created_at"
    )


def networks_open_to_applications(user: Any) -> QuerySet[Organization]:
    return visible_organizations(user).filter(kind="network", status="active").order_by("name")


def organizations_user_manages(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(
        pk__in=organization_ids_with_role(user, MANAGING_ROLES)
    ).order_by("name")


def recent_organizations(user: Any, limit: int = 8) -> QuerySet[Organization]:
    return visible_organizations(user).select_related("region").order_by("-created_at")[:limit]


def directory_counts(user: Any) -> dict[str, int]:
    visible = visible_organizations(user)
    return {
        "organizations": visible.count(),
        "countries": visible.values("country").distinct().count(),
        "communes": visible.filter(kind="commune").count(),
    }


def network_memberships_prefetch(user: Any) -> Prefetch[Any]:
    return Prefetch(
        "relations_as_member",
        queryset=OrganizationRelation.objects.filter(
            kind=RelationKind.MEMBER_OF, status=RelationStatus.ACTIVE
        ).select_related("parent"),
    )


def organizations_in_good_standing(on: date | None = None) -> QuerySet[Organization]:
    """Organizations that are members in good standing: they hold a current, approved
    membership of a network (status active, started, not ended on that day).

    A pending application, a suspension or an ended membership is not good standing, so an
    organization registered through the join form gains none until a coordinator approves.
    """
    day = on or timezone.localdate()
    return Organization.objects.filter(
        Exists(
            OrganizationRelation.objects.filter(
                Q(started_on__isnull=True) | Q(started_on__lte=day),
                Q(ended_on__isnull=True) | Q(ended_on__gte=day),
                member=OuterRef("pk"),
                kind=RelationKind.MEMBER_OF,
                status=RelationStatus.ACTIVE,
                parent__kind=OrganizationKind.NETWORK,
            )
        )
    )


def is_member_in_good_standing(organization: Organization, on: date | None = None) -> bool:
    """Whether the organization holds a current, approved membership of a network."""
    return organizations_in_good_standing(on).filter(pk=organization.pk).exists()


def is_current_member(organization: Organization, network: Organization) -> bool:
    today = timezone.localdate()
    return OrganizationRelation.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today),
        member=organization,
        parent=network,
        status=RelationStatus.ACTIVE,
    ).exists()
