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

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Exists, Min, OuterRef, Q

from minga.common.visibility import (
    ANONYMOUS,
    AccessRule,
    Viewer,
    access_rules_for,
    filter_visible,
)

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


# Access groups --------------------------------------------------------------------------
#
# Apart from an item's custodians, the rule reads four things of an item: its visibility
# level and the organizations it is shown to (the base rule), its protocols and how they
# combine (this rule). Items alike in those four are readable by exactly the same people,
# custodians aside. The search index carries each restricted item's group as a token, so a
# reader's search lets through whole groups after the rule was asked about one item of
# each, instead of listing every restricted item the reader may read.


def access_group_key(
    visibility: str,
    protocol_rule: str,
    protocol_ids: Iterable[int],
    organization_ids: Iterable[int],
) -> str:
    text = "|".join(
        (
            visibility,
            protocol_rule,
            ",".join(str(pk) for pk in sorted(protocol_ids)),
            ",".join(str(pk) for pk in sorted(organization_ids)),
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def access_groups_of(item_ids: list[int]) -> dict[int, str]:
    from .models import Item

    protocols: dict[int, list[int]] = defaultdict(list)
    for item_id, protocol_id in (
        _through().objects.filter(item_id__in=item_ids).values_list("item_id", "protocol_id")
    ):
        protocols[item_id].append(protocol_id)
    shown_to: dict[int, list[int]] = defaultdict(list)
    for item_id, organization_id in Item.visible_to_organizations.through.objects.filter(
        item_id__in=item_ids
    ).values_list("item_id", "organization_id"):
        shown_to[item_id].append(organization_id)
    return {
        pk: access_group_key(visibility, rule, protocols[pk], shown_to[pk])
        for pk, visibility, rule in Item.objects.filter(pk__in=item_ids).values_list(
            "pk", "visibility", "protocol_rule"
        )
    }


def _groups_decide() -> bool:
    """Whether access groups may stand for the rule: only while the rules on items are the
    base rule and this one (another rule could read other columns)."""
    from .models import Item

    return [rule.name for rule in access_rules_for(Item)] == [NAME]


def readable_restricted(viewer: Viewer) -> tuple[frozenset[str], frozenset[int]]:
    """The access groups of restricted items the viewer may read, and the keys of the
    restricted items the viewer may read beyond them (those in their custody, and any whose
    group is not yet known). The rule is asked about one item of each group, never one the
    viewer keeps (custody opens an item whatever its group). While groups cannot stand for
    the rule, no group, and every restricted item the rule lets the viewer read by key."""
    from .models import Item
    from .types import Audience

    if not viewer.is_authenticated:
        return frozenset(), frozenset()
    restricted = Item.objects.filter(audience=Audience.RESTRICTED).order_by()
    if not _groups_decide():
        return frozenset(), frozenset(
            filter_visible(restricted, viewer).values_list("pk", flat=True)
        )
    user_id: int = viewer.user_id or 0  # a signed-in viewer always has one
    kept = Item.custodians.through.objects.filter(user_id=user_id).values("item_id")
    representatives = (
        restricted.exclude(access_group="")
        .exclude(pk__in=kept)
        .values("access_group")
        .annotate(first=Min("pk"))
        .values("first")
    )
    groups = frozenset(
        filter_visible(Item.objects.filter(pk__in=representatives), viewer)
        .order_by()
        .values_list("access_group", flat=True)
    )
    keys = frozenset(restricted.filter(pk__in=kept).values_list("pk", flat=True))
    ungrouped = restricted.filter(access_group="")
    if ungrouped.exists():  # asked first: the rule's SQL costs more to build than to run
        keys |= frozenset(filter_visible(ungrouped, viewer).values_list("pk", flat=True))
    return groups, keys
