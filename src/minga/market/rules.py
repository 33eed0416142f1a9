"""Permission rules of the marketplace (see ``minga.common.permissions``).

Spokespeople, coordinators and administrators (a current role) of an organization publish
and manage its offers and needs.
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from .models import Listing
from .selectors import can_view_listing


@rule("market.listing.view")
def can_view(user: Any, listing: Listing) -> bool:
    return can_view_listing(user, listing)


@rule("market.listing.create")
def can_create(user: Any, organization: Any = None) -> bool:
    """For an organization: the user manages it. Without one: the user manages any."""
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    if organization is None:
        return bool(managed)
    return organization.pk in managed


@rule("market.listing.change")
def can_change(user: Any, listing: Listing) -> bool:
    return listing.organization_id in organization_ids_with_role(user, MANAGING_ROLES)
