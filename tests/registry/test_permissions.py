"""Permission rules of the registry, role by role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from minga.common.permissions import has_perm
from minga.registry.models import OrganizationRelation
from tests import factories

ONE_DAY = timedelta(days=1)
ROLES = ["none", "member", "spokesperson", "delegate", "coordinator", "administrator"]


@pytest.fixture
def setting(confederation: Any) -> dict[str, Any]:
    commune = factories.organization(kind="commune")
    factories.membership(commune, confederation)
    other_network = factories.organization(kind="network")
    pending = OrganizationRelation.objects.create(
        member=factories.organization(), parent=confederation, kind="member_of", status="pending"
    )
    return {
        "commune": commune,
        "network": confederation,
        "other": other_network,
        "pending": pending,
    }


@pytest.mark.parametrize("kind", ROLES)
def test_who_may_change_an_organization(setting: dict[str, Any], kind: str) -> None:
    """Managers of the organization itself may edit it; plain members and delegates may not."""
    person = factories.person()
    if kind != "none":
        factories.role(person, setting["commune"], kind)
    expected = kind in {"spokesperson", "coordinator", "administrator"}
    assert has_perm(person, "registry.organization.change", setting["commune"]) is expected


@pytest.mark.parametrize("kind", ROLES)
def test_network_roles_over_member_organizations(setting: dict[str, Any], kind: str) -> None:
    """Coordinators of the network may edit its members and decide on requests; others may not."""
    person = factories.person()
    if kind != "none":
        factories.role(person, setting["network"], kind)
    decides = kind in {"coordinator", "administrator"}
    assert has_perm(person, "registry.organization.change", setting["commune"]) is decides
    assert has_perm(person, "registry.relation.decide", setting["pending"]) is decides
    assert has_perm(person, "registry.role.manage", setting["commune"]) is decides
    assert has_perm(person, "registry.audit.view") is decides


def test_coordinators_of_another_network_have_no_say(setting: dict[str, Any]) -> None:
    """Coordinating one network gives no power over another network's members."""
    person = factories.person()
    factories.role(person, setting["other"], "coordinator")
    assert not has_perm(person, "registry.organization.change", setting["commune"])
    assert not has_perm(person, "registry.relation.decide", setting["pending"])


def test_expired_roles_grant_nothing(setting: dict[str, Any]) -> None:
    """A coordinator whose role has ended loses its powers."""
    from datetime import timedelta

    person = factories.person()
    factories.role(
        person,
        setting["network"],
        "coordinator",
        started_on=timezone.localdate() - timedelta(days=100),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    assert not has_perm(person, "registry.relation.decide", setting["pending"])


def test_anonymous_and_inactive_users_may_only_view(setting: dict[str, Any]) -> None:
    """Without an active account nothing but public reading is allowed."""
    inactive = factories.person(is_active=False)
    factories.role(inactive, setting["network"], "coordinator")
    for user in (AnonymousUser(), inactive):
        assert not has_perm(user, "registry.relation.decide", setting["pending"])
        assert has_perm(user, "registry.organization.view", setting["commune"])


def test_superusers_may_do_everything(setting: dict[str, Any]) -> None:
    """The server's superuser passes every rule."""
    root = factories.person(is_superuser=True)
    assert has_perm(root, "registry.relation.decide", setting["pending"])
    assert has_perm(root, "registry.organization.change", setting["commune"])


def test_a_persons_roles_are_read_once_per_user_object(
    setting: dict[str, Any], django_assert_num_queries: Any
) -> None:
    """Memberships, role checks of any kinds and the two-factor requirement are answered
    from one read of the person's current roles; ``forget_viewer`` makes the next check
    read them again, so a new role counts at once."""
    from minga.common.visibility import forget_viewer
    from minga.registry.selectors import (
        DECIDING_ROLES,
        MANAGING_ROLES,
        member_organization_ids,
        organization_ids_with_role,
        requires_two_factor,
    )

    person = factories.person()
    commune, network = setting["commune"], setting["network"]
    factories.role(person, commune, "spokesperson")
    factories.role(person, network, "coordinator", ended_on=timezone.localdate() - ONE_DAY)
    with django_assert_num_queries(1):
        assert member_organization_ids(person) == {commune.pk}
        assert organization_ids_with_role(person, MANAGING_ROLES) == {commune.pk}
        assert organization_ids_with_role(person, DECIDING_ROLES) == frozenset()
        assert requires_two_factor(person) is False
    factories.role(person, network, "coordinator")
    forget_viewer(person)
    with django_assert_num_queries(1):
        assert organization_ids_with_role(person, DECIDING_ROLES) == {network.pk}
        assert member_organization_ids(person) == {commune.pk, network.pk}
        assert requires_two_factor(person) is True
    assert organization_ids_with_role(AnonymousUser(), MANAGING_ROLES) == frozenset()
