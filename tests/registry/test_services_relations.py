"""Memberships: applying, deciding, suspending and withdrawing, with their history."""

from __future__ import annotations

from typing import Any

import pytest

from minga.common.errors import DomainError
from minga.common.models import AuditEntry, Visibility
from minga.common.permissions import SYSTEM
from minga.common.visibility import filter_visible, viewer_for
from minga.registry import services
from minga.registry.models import Organization, OrganizationRelation, RelationStatus, Role
from tests import factories


def _data(**overrides: Any) -> services.OrganizationData:
    fields = {
        "name": "Cooperativa La Semilla",
        "kind": "cooperative",
        "country": "BO",
        "region": "south-america",
    }
    fields.update(overrides)
    return services.OrganizationData(**fields)


def test_join_request_creates_a_restricted_organization(
    confederation: Any, coordinator: Any, newcomer: Any
) -> None:
    """A newcomer's organization is seen only by them and the network until approval."""
    relation = services.join_request_submit(
        actor=newcomer, network=confederation, data=_data(), motivation="Queremos sumarnos."
    )
    organization = relation.member
    assert relation.status == RelationStatus.PENDING
    assert organization.visibility == Visibility.ORGANIZATIONS
    assert Role.objects.filter(
        person=newcomer, organization=organization, kind="spokesperson"
    ).exists()
    stranger = factories.person()

    def visible(user: Any) -> bool:
        return filter_visible(
            Organization.objects.filter(pk=organization.pk), viewer_for(user)
        ).exists()

    assert visible(newcomer)
    assert visible(coordinator)
    assert not visible(stranger)

    services.relation_approve(actor=coordinator, relation=relation)
    relation.refresh_from_db()
    organization.refresh_from_db()
    assert relation.status == RelationStatus.ACTIVE
    assert relation.started_on is not None
    assert organization.visibility == Visibility.PUBLIC
    assert [e.to_status for e in relation.events.all()] == ["pending", "active"]
    assert AuditEntry.objects.filter(action="registry.relation.active", actor=coordinator).exists()


def test_join_request_without_motivation_leaves_nothing(confederation: Any, newcomer: Any) -> None:
    """A refused request creates no organization, role, membership or audit entry."""
    before = (
        Organization.objects.count(),
        Role.objects.count(),
        OrganizationRelation.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(DomainError) as error:
        services.join_request_submit(
            actor=newcomer, network=confederation, data=_data(), motivation="  "
        )
    assert error.value.field == "motivation"
    after = (
        Organization.objects.count(),
        Role.objects.count(),
        OrganizationRelation.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before


def test_join_request_with_unknown_region_leaves_nothing(confederation: Any, newcomer: Any) -> None:
    """A bad field names itself and rolls the whole request back."""
    count = Organization.objects.count()
    with pytest.raises(DomainError) as error:
        services.join_request_submit(
            actor=newcomer, network=confederation, data=_data(region="atlantis"), motivation="x"
        )
    assert error.value.field == "region"
    assert Organization.objects.count() == count


def test_rejection_needs_a_reason_and_keeps_history(
    confederation: Any, coordinator: Any, newcomer: Any
) -> None:
    """Rejecting without a reason is refused; with one, it is recorded in the history."""
    relation = services.join_request_submit(
        actor=newcomer, network=confederation, data=_data(), motivation="m"
    )
    with pytest.raises(DomainError):
        services.relation_reject(actor=coordinator, relation=relation, reason="")
    relation.refresh_from_db()
    assert relation.status == RelationStatus.PENDING
    services.relation_reject(actor=coordinator, relation=relation, reason="Falta documentación.")
    relation.refresh_from_db()
    assert relation.status == RelationStatus.REJECTED
    assert relation.events.last().reason == "Falta documentación."
    assert relation.member.visibility == Visibility.ORGANIZATIONS


def test_applying_twice_returns_the_open_request(confederation: Any) -> None:
    """Retrying an application is safe: the same pending membership comes back."""
    member = factories.organization()
    first = services.relation_apply(actor=SYSTEM, member=member, parent=confederation)
    second = services.relation_apply(actor=SYSTEM, member=member, parent=confederation)
    assert first.pk == second.pk
    assert OrganizationRelation.objects.filter(member=member).count() == 1


@pytest.mark.parametrize(
    ("start", "action", "allowed"),
    [
        ("pending", "relation_approve", True),
        ("active", "relation_approve", False),
        ("active", "relation_suspend", True),
        ("suspended", "relation_reinstate", True),
        ("active", "relation_reinstate", False),
        ("rejected", "relation_withdraw", False),
        ("active", "relation_withdraw", True),
        ("withdrawn", "relation_suspend", False),
    ],
)
def test_status_transitions(
    confederation: Any, coordinator: Any, start: str, action: str, allowed: bool
) -> None:
    """Only the documented transitions happen; a refused one changes nothing."""
    member = factories.organization()
    relation = factories.membership(member, confederation, status=start)
    handler = getattr(services, action)
    # The network decides; withdrawing is the member's own decision.
    actor = coordinator
    if action == "relation_withdraw":
        actor = factories.person()
        factories.role(actor, member, "spokesperson")
    if allowed:
        handler(actor=actor, relation=relation, reason="motivo")
        relation.refresh_from_db()
        assert relation.status != start
        assert relation.events.count() == 1
    else:
        with pytest.raises(DomainError):
            handler(actor=actor, relation=relation, reason="motivo")
        relation.refresh_from_db()
        assert relation.status == start
        assert relation.events.count() == 0


def test_after_withdrawal_a_new_application_is_a_new_membership(
    confederation: Any, coordinator: Any
) -> None:
    """The old membership stays as history; applying again opens a new one."""
    member = factories.organization()
    old = factories.membership(member, confederation)
    services.relation_withdraw(actor=SYSTEM, relation=old, reason="")
    new = services.relation_apply(actor=SYSTEM, member=member, parent=confederation)
    assert new.pk != old.pk
    assert OrganizationRelation.objects.filter(member=member).count() == 2


def test_only_networks_take_members_and_only_councils_join_communes(confederation: Any) -> None:
    """Joining a commune as a network member, or a commune joining a commune, is refused."""
    commune = factories.organization(kind="commune")
    with pytest.raises(DomainError):
        services.relation_apply(actor=SYSTEM, member=factories.organization(), parent=commune)
    with pytest.raises(DomainError):
        services.relation_apply(
            actor=SYSTEM,
            member=factories.organization(kind="commune"),
            parent=commune,
            kind="part_of",
        )
    council = factories.organization(kind="communal_council")
    relation = services.relation_apply(actor=SYSTEM, member=council, parent=commune, kind="part_of")
    assert relation.status == "pending"
