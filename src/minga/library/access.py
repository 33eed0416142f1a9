"""The library's access rule: community protocols, plugged into the one visibility rule.

Registered on :class:`~minga.library.models.Item` with
``common.visibility.register_access_rule`` (in ``apps.py``), so that every list, count,
search, feed, OAI-PMH answer, sitemap, export and page of items applies it with no code of
its own. For a reader, a protocol *passes* when it is open, or when the reader is a member
or steward of it, or belongs to its community and the protocol lets the community's members
in. Then:

- **restrict**: an item under protocols is visible only when they pass under its rule —
  *any* (one passing protocol is enough) or *all* (every one must pass) — or to its
  custodians. This binds superusers too: a community's secret or sacred knowledge is not
  the server operators' to read.
- **grant**: a member of a strict protocol of the item may read it whatever its visibility
  level (the protocol says who reads it), still subject to the restriction above.

:func:`audience_of` summarises the rule for the search index by *asking* it about an
anonymous reader and about a signed-in reader with no memberships (never restating it).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from minga.common.visibility import ANONYMOUS, AccessRule, Viewer, filter_visible

from .types import Audience, ProtocolKind, ProtocolRule

NAME = "library.protocols"

# A signed-in reader who holds nothing: no role, no membership, no custody.
SIGNED_IN_STRANGER = Viewer(
    user_id=0, is_authenticated=True, sees_everything=False, organization_ids=frozenset()
)


def _through() -> Any:
    from .models import Item

    return Item.protocols.through


def _member_q(viewer: Viewer, protocol_ref: str) -> Any:
    """A condition on a row with a protocol key at ``protocol_ref``: the viewer is in it."""
    from .models import Protocol, ProtocolMembership

    if not viewer.is_authenticated:
        return Q(pk__in=[])
    condition: Any = Exists(
        ProtocolMembership.objects.filter(
            protocol_id=OuterRef(protocol_ref), person_id=viewer.user_id
        )
    )
    if viewer.organization_ids:
        condition |= Exists(
            Protocol.objects.filter(
                pk=OuterRef(protocol_ref),
                include_community_members=True,
                community_id__in=viewer.organization_ids,
            )
        )
    return condition


def _passing_q(viewer: Viewer) -> Any:
    """On rows of the item–protocol table: the protocol lets the viewer in."""
    return Q(protocol__kind=ProtocolKind.OPEN) | _member_q(viewer, "protocol_id")


def _custodian_q(viewer: Viewer) -> Any:
    from .models import Item

    if not viewer.is_authenticated:
        return Q(pk__in=[])
    through = Item.custodians.through
    user_id: int = viewer.user_id or 0  # a signed-in viewer always has one
    return Exists(through.objects.filter(item_id=OuterRef("pk"), user_id=user_id))


def restrict(model: type[models.Model], viewer: Viewer) -> Any:
    rows = _through().objects.filter(item_id=OuterRef("pk"))
    passing = rows.filter(_passing_q(viewer))
    failing = rows.exclude(_passing_q(viewer))
    under_any = Q(protocol_rule=ProtocolRule.ANY) & (~Exists(rows) | Exists(passing))
    under_all = Q(protocol_rule=ProtocolRule.ALL) & ~Exists(failing)
    return under_any | under_all | _custodian_q(viewer)


def grant(model: type[models.Model], viewer: Viewer) -> Any:
    if not viewer.is_authenticated:
        return None
    strict_member = _through().objects.filter(
        Q(item_id=OuterRef("pk")),
        Q(protocol__kind=ProtocolKind.STRICT),
        _member_q(viewer, "protocol_id"),
    )
    return Exists(strict_member)


RULE = AccessRule(
    name=NAME, grant=grant, restrict=restrict, binds_superusers=True, viewer_only=True
)


def audiences_of(item_ids: list[int]) -> dict[int, str]:
    """Who may read each item, as the visibility rule answers for two model readers."""
    from .models import Item

    items = Item.objects.filter(pk__in=item_ids)
    everyone = set(filter_visible(items, ANONYMOUS).values_list("pk", flat=True))
    signed_in = set(filter_visible(items, SIGNED_IN_STRANGER).values_list("pk", flat=True))
    return {
        pk: Audience.EVERYONE
        if pk in everyone
        else Audience.SIGNED_IN
        if pk in signed_in
        else Audience.RESTRICTED
        for pk in item_ids
    }


def audience_of(item: Any) -> str:
    return audiences_of([item.pk])[item.pk]
