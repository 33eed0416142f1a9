"""Permission rules of federation (see ``minga.common.permissions``)."""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role


def _speaks_for(user: Any, organization: Any) -> bool:
    return organization is not None and organization.pk in organization_ids_with_role(
        user, MANAGING_ROLES
    )


@rule("federation.follow.manage")
def can_manage_follows(user: Any, organization: Any) -> bool:
    """Those who speak for an organization choose whom it follows and who follows it."""
    return _speaks_for(user, organization)


@rule("federation.key.rotate")
def can_rotate_key(user: Any, organization: Any) -> bool:
    return _speaks_for(user, organization)


@rule("federation.admin.view")
def can_view_federation_admin(user: Any, _obj: Any = None) -> bool:
    """The deliveries page and blocks are for the server's administrators (staff)."""
    return bool(getattr(user, "is_staff", False))


@rule("federation.block.manage")
def can_manage_blocks(user: Any, _obj: Any = None) -> bool:
    return bool(getattr(user, "is_staff", False))


@rule("federation.delivery.manage")
def can_manage_deliveries(user: Any, _obj: Any = None) -> bool:
    return bool(getattr(user, "is_staff", False))
