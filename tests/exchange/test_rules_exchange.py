"""The exchange's permission rules as a matrix: people × rules × objects."""

from __future__ import annotations

from typing import Any

import pytest

from minga.common.permissions import has_perm
from tests.exchange.web_helpers import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


# (rule, object, people who pass). The object is a name resolved against the world.
MATRIX = [
    (
        "exchange.account.view",
        "a",
        {"member", "spokesperson", "maizal_coordinator", "network_coordinator", "superuser"},
    ),
    ("exchange.account.view", "b", {"payee", "network_coordinator", "superuser"}),
    ("exchange.account.debit", "a", {"spokesperson", "maizal_coordinator", "superuser"}),
    ("exchange.account.debit", "b", {"payee", "superuser"}),
    ("exchange.account.debit", None, {"superuser"}),
    ("exchange.unit.manage", "unit", {"network_coordinator", "superuser"}),
    ("exchange.unit.manage", "network", {"network_coordinator", "superuser"}),
    ("exchange.unit.manage", "maizal", {"superuser"}),
    ("exchange.unit.manage", None, {"network_coordinator", "other_coordinator", "superuser"}),
]


@pytest.mark.parametrize(("name", "target", "allowed"), MATRIX)
def test_permission_matrix(world: World, name: str, target: str | None, allowed: set[str]) -> None:
    """Each rule lets exactly the expected people through, and nobody else."""
    obj: Any = getattr(world, target) if target else None
    results = {who: has_perm(user, name, obj) for who, user in world.people.items()}
    assert {who for who, passed in results.items() if passed} == allowed


def test_coordinator_of_a_commune_does_not_manage_units(world: World) -> None:
    """Coordinating a commune (not a network) gives no power over units of account."""
    assert not has_perm(world.people["maizal_coordinator"], "exchange.unit.manage")


def test_ended_roles_give_no_rights(world: World) -> None:
    """A spokesperson whose role has ended may neither see nor debit the account."""
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories

    former = factories.person("former")
    factories.role(
        former,
        world.maizal,
        "spokesperson",
        started_on=timezone.localdate() - timedelta(days=90),
        ended_on=timezone.localdate() - timedelta(days=1),
    )
    assert not has_perm(former, "exchange.account.view", world.a)
    assert not has_perm(former, "exchange.account.debit", world.a)


def test_inactive_people_may_not_debit(world: World) -> None:
    """Deactivated accounts of people keep no write rights, whatever their roles."""
    spokesperson = world.people["spokesperson"]
    spokesperson.is_active = False
    assert not has_perm(spokesperson, "exchange.account.debit", world.a)


def test_visible_accounts_agree_with_the_view_rule(world: World) -> None:
    """The list filter (SQL) and the rule (one object) give every person the same answer."""
    from minga.exchange import selectors
    from minga.exchange.models import Account

    accounts = list(Account.objects.select_related("unit"))
    for who, user in world.people.items():
        listed = set(selectors.visible_accounts(user).values_list("pk", flat=True))
        allowed = {a.pk for a in accounts if has_perm(user, "exchange.account.view", a)}
        assert listed == allowed, who
