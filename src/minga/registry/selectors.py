"""Reads of the registry, and the one place other apps ask membership and role questions.

Every list and object users see goes through here, filtered by visibility. Other apps ask
here, never of the registry's models: which networks an organization belongs to on a date
(:func:`network_ids_of`, :func:`is_network_member`, :func:`network_member_ids`), which
organizations a person acts for (:func:`organization_ids_with_role`), whether a person holds
a role (:func:`holds_role`). Network membership has one strict meaning: a current, approved
``member_of`` relation to an organization whose kind is network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from minga.common.registration import Attention
from minga.common.search import RankedResults, get_index
from minga.common.visibility import filter_visible, viewer_for
from minga.people.profile import ProfileSection

from .models import (
    Body,
    ContactChannel,
    DelegateAccreditation,
    Organization,
    OrganizationKind,
    OrganizationRelation,
    OrganizationStatus,
    RelationKind,
    RelationStatus,
    Role,
    RoleKind,
)

DECIDING_ROLES = (RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR)
"""Roles that decide for an organization (and, in a network, on its members)."""
MANAGING_ROLES = (RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR, RoleKind.SPOKESPERSON)
ANY_ROLE = tuple(RoleKind.values)
"""Every kind of role: holding any of them makes a person one of an organization's people."""


def _current_roles(user: Any) -> tuple[tuple[int, str], ...]:
    """The (organization, kind) of every role the user holds today, read once per user object
    (so once per request): the viewer's memberships, the two-factor check and every role
    check of a page are answered from it (``forget_viewer`` clears it)."""
    rows: tuple[tuple[int, str], ...] | None = user.__dict__.get("_minga_current_roles")
    if rows is None:
        rows = tuple(
            Role.objects.current().filter(person=user).values_list("organization_id", "kind")
        )
        user.__dict__["_minga_current_roles"] = rows
    return rows


def member_organization_ids(user: Any) -> frozenset[int]:
    """The organizations in which the user holds a current role of any kind."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(organization for organization, _kind in _current_roles(user))


def organization_ids_with_role(user: Any, kinds: tuple[str, ...]) -> frozenset[int]:
    """Organizations where the user holds one of these roles today; from the user's roles
    read once per request, so permission checks in a list cost one query in all."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    wanted = set(kinds)
    return frozenset(organization for organization, kind in _current_roles(user) if kind in wanted)


def holds_role(user: Any, organization: Any, kinds: tuple[str, ...] = MANAGING_ROLES) -> bool:
    """Whether the user holds one of these roles in the organization today."""
    return organization.pk in organization_ids_with_role(user, kinds)


def _current_on(day: date) -> Q:
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def network_memberships(on: date | None = None) -> QuerySet[OrganizationRelation]:
    """Every network membership in force on a day: approved, started, not ended, in a network."""
    day = on or timezone.localdate()
    return OrganizationRelation.objects.filter(
        _current_on(day),
        kind=RelationKind.MEMBER_OF,
        status=RelationStatus.ACTIVE,
        parent__kind=OrganizationKind.NETWORK,
    )


def network_ids_of(organization: Any, on: date | None = None) -> frozenset[int]:
    """The networks an organization is a member of on a day (today by default)."""
    return frozenset(
        network_memberships(on).filter(member=organization).values_list("parent_id", flat=True)
    )


def is_network_member(organization: Any, network: Any, on: date | None = None) -> bool:
    return network_memberships(on).filter(member=organization, parent=network).exists()


def network_member_ids(network: Any, on: date | None = None) -> QuerySet[Any]:
    """The members of a network on a day, as a subquery of organization keys."""
    return network_memberships(on).filter(parent=network).values("member_id")


def network_ids_with_role(user: Any, kinds: tuple[str, ...] = DECIDING_ROLES) -> frozenset[int]:
    """The networks (organizations of kind network) where the user holds one of these roles."""
    ids = organization_ids_with_role(user, kinds)
    if not ids:
        return frozenset()
    cache: dict[Any, frozenset[int]] = user.__dict__.setdefault("_minga_roles", {})
    key = ("network", *kinds)
    if key not in cache:
        cache[key] = frozenset(
            Organization.objects.filter(pk__in=ids, kind=OrganizationKind.NETWORK).values_list(
                "pk", flat=True
            )
        )
    return cache[key]


def requires_two_factor(user: Any) -> bool:
    """Coordinators and administrators of any organization must use two-factor auth."""
    return bool(organization_ids_with_role(user, DECIDING_ROLES))


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


def with_admission(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotates ``awaiting_admission``: the organization has asked to join a network and is
    not (yet) a member of any, so its pages say "awaiting approval", not "active"."""
    relations = OrganizationRelation.objects.filter(member_id=OuterRef("pk"))
    return organizations.annotate(
        awaiting_admission=Exists(relations.filter(status=RelationStatus.PENDING))
        & ~Exists(relations.filter(status__in=[RelationStatus.ACTIVE, RelationStatus.SUSPENDED]))
    )


def directory_organizations(
    user: Any, filters: DirectoryFilters
) -> QuerySet[Organization] | RankedOrganizations:
    """The directory: visible organizations, filtered; search results keep their rank order."""
    organizations = with_admission(visible_organizations(user).select_related("region"))
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
    organization = (
        with_admission(visible_organizations(user).select_related("region"))
        .filter(**lookup)
        .first()
    )
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


def roles_section(person: Any, reader: Any) -> ProfileSection:
    """The roles shown on a person's page: those in organizations the reader may see."""
    return ProfileSection("registry/_person_roles.html", {"roles": person_roles(person, reader)})


def pending_requests_for(user: Any) -> QuerySet[OrganizationRelation]:
    """The coordinator's queue: open applications to organizations the user coordinates."""
    relations = OrganizationRelation.objects.filter(status=RelationStatus.PENDING)
    if not user.is_superuser:
        # The same test as the rule ``registry.relation.decide``.
        relations = relations.filter(
            Q(kind=RelationKind.MEMBER_OF, parent_id__in=network_ids_with_role(user))
            | Q(
                kind=RelationKind.PART_OF,
                parent_id__in=organization_ids_with_role(user, DECIDING_ROLES),
            )
        )
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
    return with_admission(visible_organizations(user).select_related("region")).order_by(
        "-created_at"
    )[:limit]


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
    return is_network_member(organization, network)


def visible_relations(user: Any) -> QuerySet[OrganizationRelation]:
    """Memberships whose two organizations the user may both see."""
    visible = visible_organizations(user)
    return OrganizationRelation.objects.filter(member__in=visible, parent__in=visible)


def get_relation_for(user: Any, uuid: Any) -> OrganizationRelation:
    """A membership the user may see; 404 otherwise, as if it did not exist."""
    relation = visible_relations(user).select_related("member", "parent").filter(uuid=uuid).first()
    if relation is None:
        raise Http404
    return relation


def visible_roles(user: Any) -> QuerySet[Role]:
    """Roles in organizations the user may see (who holds them is for signed-in readers)."""
    if not getattr(user, "is_authenticated", False):
        return Role.objects.none()
    return Role.objects.filter(organization__in=visible_organizations(user))


def get_role_for(user: Any, uuid: Any) -> Role:
    role = visible_roles(user).filter(uuid=uuid).select_related("person", "organization").first()
    if role is None:
        raise Http404
    return role


def get_body_for(user: Any, uuid: Any) -> Body:
    """A body of an organization the user may see; 404 otherwise."""
    body = visible_bodies(user).filter(uuid=uuid).first()
    if body is None:
        raise Http404
    return body


def visible_bodies(user: Any) -> QuerySet[Body]:
    """Bodies of the organizations the user may see."""
    return Body.objects.filter(organization__in=visible_organizations(user)).select_related(
        "organization"
    )


def find_body(**lookup: Any) -> Body | None:
    """A body by its slug or uuid, with its network, whoever asks: the caller checks that
    the reader may see the network."""
    return Body.objects.select_related("organization").filter(**lookup).first()


def lock_body(body: Any) -> None:
    """Hold the body's row until the transaction ends, so that writes which must not race
    about one body (its first rules) happen one after the other."""
    Body.objects.select_for_update(of=("self",)).filter(pk=body.pk).first()


def current_accreditations(body: Any, on: date | None = None) -> QuerySet[DelegateAccreditation]:
    """The delegates accredited to a body on a day (today by default), not revoked by then."""
    day = on or timezone.localdate()
    return DelegateAccreditation.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        body=body,
        term_start__lte=day,
        term_end__gte=day,
    )


def organizations_by_ids(ids: Any) -> QuerySet[Organization]:
    """The organizations with these keys (the caller has already chosen which may appear)."""
    return Organization.objects.filter(pk__in=ids)


def organization_ids_with_role_among(
    user: Any, organizations: Any, kinds: tuple[str, ...] = ANY_ROLE
) -> list[int]:
    """Among these organizations (keys or a subquery of keys), those where the user holds one
    of these roles today, sorted. Unlike :func:`organization_ids_with_role` it is not cached."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(
        set(
            Role.objects.current()
            .filter(person=user, organization__in=organizations, kind__in=kinds)
            .values_list("organization_id", flat=True)
        )
    )


def people_with_role(organization: Any, kinds: tuple[str, ...]) -> list[Any]:
    """The people holding one of these roles in the organization today, each once, in the
    order they joined the server."""
    roles = (
        Role.objects.current()
        .filter(organization=organization, kind__in=kinds)
        .select_related("person")
        .order_by("person_id")
    )
    return list({role.person_id: role.person for role in roles}.values())


def visible_accreditations(user: Any) -> QuerySet[DelegateAccreditation]:
    if not getattr(user, "is_authenticated", False):
        return DelegateAccreditation.objects.none()
    return DelegateAccreditation.objects.filter(organization__in=visible_organizations(user))


def attention_for(user: Any) -> list[Attention]:
    """What waits for the user in the registry: membership requests to decide."""
    pending = pending_requests_for(user).count()
    return [
        Attention(
            text=ngettext(
                "%(counter)s join request is waiting for you.",
                "%(counter)s join requests are waiting for you.",
                pending,
            )
            % {"counter": pending},
            url=reverse("registry:coordination"),
            count=pending,
        )
    ]


def organization_picker(
    *, queryset: QuerySet[Organization], network: Any = None, **field_options: Any
) -> Any:
    """A form field choosing one organization of ``queryset`` by typing its name, with
    suggestions as one types (``minga.registry.picker``). Every form that picks an
    organization uses it: no page sends a list of every organization. ``queryset`` is what
    may be chosen, already filtered for the reader; ``network`` narrows the suggestions to
    a network's current members and itself."""
    from .picker import OrganizationPickerField

    return OrganizationPickerField(queryset=queryset, network=network, **field_options)


@dataclass(frozen=True)
class OrganizationCard:
    """What a card of the directory shows of an organization, as plain text."""

    url: str
    name: str
    kind: str
    country: str
    area: str
    region: str
    awaiting_admission: bool
    status: str
    status_label: str


def organization_cards(organizations: Iterable[Organization]) -> list[OrganizationCard]:
    """The cards of a page of organizations (``with_admission``, region read with them).

    Labels (kinds, statuses, countries, regions) are translated once per page rather than
    once per card, and addresses made from one reversed pattern: a page of forty cards
    spent more in those lookups than in the rest of its rendering."""
    kinds = {value: str(label) for value, label in OrganizationKind.choices}
    statuses = {value: str(label) for value, label in OrganizationStatus.choices}
    countries: dict[str, str] = {}
    regions: dict[int | None, str] = {}
    marker = "organization-slug-here"
    pattern = reverse("registry:organization", kwargs={"slug": marker})
    cards = []
    for organization in organizations:
        code = str(organization.country)
        if code not in countries:
            countries[code] = str(organization.country.name)
        if organization.region_id not in regions:
            regions[organization.region_id] = str(organization.region or "")
        cards.append(
            OrganizationCard(
                url=pattern.replace(marker, organization.slug),
                name=organization.display_name,
                kind=kinds.get(organization.kind, organization.kind),
                country=countries[code],
                area=organization.area,
                region=regions[organization.region_id],
                awaiting_admission=bool(getattr(organization, "awaiting_admission", False)),
                status=organization.status,
                status_label=statuses.get(organization.status, organization.status),
            )
        )
    return cards
