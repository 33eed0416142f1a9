"""Permission rules of the registry (see ``minga.common.permissions``)."""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.common.visibility import can_view, viewer_for

from .models import Organization, OrganizationKind, OrganizationRelation, RelationStatus
from .selectors import DECIDING_ROLES, MANAGING_ROLES, organization_ids_with_role


def _parent_network_ids(organization: Organization) -> set[int]:
    return set(
        organization.relations_as_member.filter(status=RelationStatus.ACTIVE).values_list(
            "parent_id", flat=True
        )
    )


@rule("registry.organization.view")
def can_view_organization(user: Any, organization: Organization) -> bool:
    return can_view(organization, viewer_for(user))


@rule("registry.organization.change")
def can_change_organization(user: Any, organization: Organization) -> bool:
    if organization.pk in organization_ids_with_role(user, MANAGING_ROLES):
        return True
    deciders = organization_ids_with_role(user, DECIDING_ROLES)
    return bool(deciders & _parent_network_ids(organization))


@rule("registry.organization.classify")
def can_classify_organization(user: Any, organization: Organization) -> bool:
    """Changing an organization's type or status is for the networks it belongs to: a
    network's powers follow from its type, so no organization may give them to itself."""
    deciders = organization_ids_with_role(user, DECIDING_ROLES)
    return bool(deciders & _parent_network_ids(organization))


@rule("registry.organization.create")
def can_create_organization(user: Any, _obj: Any = None) -> bool:
    """Coordinators create organizations directly; newcomers apply through a join request."""
    return bool(organization_ids_with_role(user, DECIDING_ROLES))


@rule("registry.role.manage")
def can_manage_roles(user: Any, organization: Organization) -> bool:
    deciders = organization_ids_with_role(user, DECIDING_ROLES)
    return organization.pk in deciders or bool(deciders & _parent_network_ids(organization))


@rule("registry.relation.apply")
def can_apply(user: Any, organization: Organization) -> bool:
    return organization.pk in organization_ids_with_role(user, MANAGING_ROLES)


@rule("registry.relation.decide")
def can_decide(user: Any, relation: OrganizationRelation) -> bool:
    return relation.parent_id in organization_ids_with_role(user, DECIDING_ROLES)


@rule("registry.relation.withdraw")
def can_withdraw(user: Any, relation: OrganizationRelation) -> bool:
    return relation.member_id in organization_ids_with_role(user, MANAGING_ROLES)


@rule("registry.coordination.view")
def can_view_coordination(user: Any, _obj: Any = None) -> bool:
    return bool(organization_ids_with_role(user, DECIDING_ROLES))


@rule("registry.audit.view")
def can_view_audit(user: Any, _obj: Any = None) -> bool:
    """The whole log names restricted objects, so only coordinators of networks read it."""
    deciders = organization_ids_with_role(user, DECIDING_ROLES)
    return Organization.objects.filter(pk__in=deciders, kind=OrganizationKind.NETWORK).exists()


def decision_rule(action: str) -> str:
    """The rule a decision on a membership needs: the member withdraws, the network decides."""
    return "registry.relation.withdraw" if action == "withdraw" else "registry.relation.decide"
