"""Permission rules of the registry (see ``minga.common.permissions``)."""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.common.visibility import can_view, viewer_for

from .models import Organization, OrganizationRelation, RelationKind
from .selectors import (
    DECIDING_ROLES,
    MANAGING_ROLES,
    network_ids_of,
    network_ids_with_role,
    organization_ids_with_role,
)


def _decides_in_its_networks(user: Any, organization: Organization) -> bool:
    """Network powers come only from a real, current membership of a network."""
    deciders = network_ids_with_role(user, DECIDING_ROLES)
    return bool(deciders and deciders & network_ids_of(organization))


@rule("registry.organization.view")
def can_view_organization(user: Any, organization: Organization) -> bool:
    return can_view(organization, viewer_for(user))


@rule("registry.organization.change")
def can_change_organization(user: Any, organization: Organization) -> bool:
    if organization.pk in organization_ids_with_role(user, MANAGING_ROLES):
        return True
    return _decides_in_its_networks(user, organization)


@rule("registry.organization.classify")
def can_classify_organization(user: Any, organization: Organization) -> bool:
    """Changing an organization's type or status is for the networks it belongs to: a
    network's powers follow from its type, so no organization may give them to itself."""
    return _decides_in_its_networks(user, organization)


@rule("registry.organization.make_network")
def can_make_network(user: Any, _organization: Any = None) -> bool:
    """Making an organization a network (or a network something else) grants or takes away
    network powers: only the platform's administrators (superusers) do it."""
    return False


@rule("registry.organization.create")
def can_create_organization(user: Any, _obj: Any = None) -> bool:
    """Coordinators of networks create organizations directly; newcomers apply through a join
    request."""
    return bool(network_ids_with_role(user, DECIDING_ROLES))


@rule("registry.role.manage")
def can_manage_roles(user: Any, organization: Organization) -> bool:
    if organization.pk in organization_ids_with_role(user, DECIDING_ROLES):
        return True
    return _decides_in_its_networks(user, organization)


@rule("registry.relation.apply")
def can_apply(user: Any, organization: Organization) -> bool:
    return organization.pk in organization_ids_with_role(user, MANAGING_ROLES)


@rule("registry.relation.decide")
def can_decide(user: Any, relation: OrganizationRelation) -> bool:
    """A network decides on its members; a commune on its communal councils."""
    if relation.kind == RelationKind.MEMBER_OF:
        return relation.parent_id in network_ids_with_role(user, DECIDING_ROLES)
    return relation.parent_id in organization_ids_with_role(user, DECIDING_ROLES)


@rule("registry.relation.withdraw")
def can_withdraw(user: Any, relation: OrganizationRelation) -> bool:
    return relation.member_id in organization_ids_with_role(user, MANAGING_ROLES)


@rule("registry.coordination.view")
def can_view_coordination(user: Any, _obj: Any = None) -> bool:
    return bool(organization_ids_with_role(user, DECIDING_ROLES))


@rule("registry.audit.view")
def can_view_audit(user: Any, _obj: Any = None) -> bool:
    """Coordinators of networks read the log, and in it only entries about what they may see
    (``minga.common.audit.visible_entries``)."""
    return bool(network_ids_with_role(user, DECIDING_ROLES))


def decision_rule(action: str) -> str:
    """The rule a decision on a membership needs: the member withdraws, the network decides."""
    return "registry.relation.withdraw" if action == "withdraw" else "registry.relation.decide"


@rule("registry.join.submit")
def can_submit_join_request(user: Any, _obj: Any = None) -> bool:
    """Anyone with an account may register an organization and ask a network to admit it."""
    return bool(getattr(user, "is_authenticated", False))


@rule("registry.delegate.accredit")
def can_accredit_delegate(user: Any, body: Any) -> bool:
    """The coordinators of the network a body belongs to accredit its delegates."""
    return body.organization_id in network_ids_with_role(user, DECIDING_ROLES)


@rule("registry.organization.import")
def can_import_organizations(user: Any, _obj: Any = None) -> bool:
    """Importing files creates and rewrites organizations in bulk: for the server's operator
    (the command line) and the platform's administrators (the admin site) only."""
    return False
