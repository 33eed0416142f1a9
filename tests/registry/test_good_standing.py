"""Good standing: what the registry says about an organization's membership of networks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from minga.registry.models import OrganizationRelation, RelationStatus
from minga.registry.selectors import is_member_in_good_standing, organizations_in_good_standing
from tests import factories


@pytest.mark.parametrize(
    ("status", "ended", "parent_kind", "standing"),
    [
        (RelationStatus.ACTIVE, None, "network", True),
        (RelationStatus.ACTIVE, 1, "network", True),
        (RelationStatus.ACTIVE, -1, "network", False),
        (RelationStatus.PENDING, None, "network", False),
        (RelationStatus.SUSPENDED, None, "network", False),
        (RelationStatus.ENDED, None, "network", False),
        (RelationStatus.REJECTED, None, "network", False),
        (RelationStatus.ACTIVE, None, "commune", False),
    ],
)
def test_good_standing_is_a_current_approved_membership_of_a_network(
    db: None, status: str, ended: int | None, parent_kind: str, standing: bool
) -> None:
    """Good standing: an active membership of a network that has not ended (today counts)."""
    parent = factories.organization(kind=parent_kind)
    member = factories.organization(kind="cooperative")
    today = timezone.localdate()
    OrganizationRelation.objects.create(
        member=member,
        parent=parent,
        kind="member_of" if parent_kind == "network" else "part_of",
        status=status,
        started_on=today - timedelta(days=30),
        ended_on=None if ended is None else today + timedelta(days=ended),
    )
    assert is_member_in_good_standing(member) is standing


def test_good_standing_as_a_set_agrees_with_the_single_check(db: None) -> None:
    """The queryset of organizations in good standing holds exactly those the check accepts."""
    network = factories.organization(kind="network")
    members = [factories.organization(kind="cooperative") for _ in range(3)]
    factories.membership(members[0], network)
    factories.membership(members[1], network, status=RelationStatus.PENDING)
    standing = set(organizations_in_good_standing())
    assert standing == {org for org in members if is_member_in_good_standing(org)}
    assert standing == {members[0]}
