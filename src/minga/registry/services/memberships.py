"""Writes of memberships: applications to networks (or of councils to communes) and the
decisions on them, each kept in the membership's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded, unguarded

from ..audit_events import RELATION_EVENTS, RegistryEvent
from ..models import (
    OPEN_RELATION_STATUSES,
    Organization,
    OrganizationKind,
    OrganizationRelation,
    RelationEvent,
    RelationKind,
    RelationStatus,
)
from .organizations import _reindex_on_commit

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    RelationStatus.PENDING: {
        RelationStatus.ACTIVE,
        RelationStatus.REJECTED,
        RelationStatus.WITHDRAWN,
    },
    RelationStatus.ACTIVE: {
        RelationStatus.SUSPENDED,
        RelationStatus.WITHDRAWN,
        RelationStatus.ENDED,
    },
    RelationStatus.SUSPENDED: {
        RelationStatus.ACTIVE,
        RelationStatus.WITHDRAWN,
        RelationStatus.ENDED,
    },
}


def _person_or_none(actor: Any) -> Any:
    """The person behind an actor, for the history; None for the server itself."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _move(
    relation: OrganizationRelation, *, to: str, actor: Any, reason: str, on: date | None = None
) -> OrganizationRelation:
    if to not in ALLOWED_TRANSITIONS.get(relation.status, set()):
        raise DomainError(
            _("A membership that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": relation.get_status_display(),
                "target": RelationStatus(to).label,
            },
            "status",
            code="invalid_transition",
            status=409,
        )
    if to in (RelationStatus.REJECTED, RelationStatus.SUSPENDED) and not reason.strip():
        raise DomainError(_("Please give a reason."), "reason", code="reason_required")
    day = on or timezone.localdate()
    previous = relation.status
    relation.status = to
    if to == RelationStatus.ACTIVE and relation.started_on is None:
        relation.started_on = day
    if to in (RelationStatus.WITHDRAWN, RelationStatus.ENDED, RelationStatus.REJECTED):
        relation.ended_on = day
    relation.save(update_fields=["status", "started_on", "ended_on", "updated_at"])
    RelationEvent.objects.create(
        relation=relation,
        from_status=previous,
        to_status=to,
        actor=_person_or_none(actor),
        reason=reason,
    )
    audit.record(
        actor=actor,
        action=RELATION_EVENTS[to],
        target=relation,
        changes={"status": [previous, to]},
        reason=reason,
    )
    return relation


def _apply_for_membership(
    *,
    actor: Any,
    member: Organization,
    parent: Organization,
    motivation: str = "",
    kind: str = RelationKind.MEMBER_OF,
) -> OrganizationRelation:
    """The write itself, for services that have already checked their own permission."""
    if member.pk == parent.pk:
        raise DomainError(_("An organization cannot join itself."), "parent", code="join_self")
    if kind == RelationKind.MEMBER_OF and parent.kind != OrganizationKind.NETWORK:
        raise DomainError(
            _("Organizations can only join networks."), "parent", code="not_a_network"
        )
    if kind == RelationKind.PART_OF and (
        parent.kind != OrganizationKind.COMMUNE or member.kind != OrganizationKind.COMMUNAL_COUNCIL
    ):
        raise DomainError(
            _("Only communal councils belong to communes."), "parent", code="not_a_commune"
        )
    existing = (
        OrganizationRelation.objects.select_for_update()
        .filter(member=member, parent=parent, kind=kind, status__in=OPEN_RELATION_STATUSES)
        .first()
    )
    if existing is not None:
        if existing.status == RelationStatus.PENDING:
            # Retrying an application is safe: the open request is returned as it is.
            return existing
        raise DomainError(
            _("This organization is already a member."),
            "parent",
            code="already_member",
            status=409,
        )
    relation = OrganizationRelation.objects.create(
        member=member,
        parent=parent,
        kind=kind,
        status=RelationStatus.PENDING,
        motivation=motivation,
        requested_by=_person_or_none(actor),
    )
    RelationEvent.objects.create(
        relation=relation,
        to_status=RelationStatus.PENDING,
        actor=_person_or_none(actor),
        reason=motivation,
    )
    audit.record(actor=actor, action=RegistryEvent.RELATION_APPLY, target=relation)
    return relation


@guarded("registry.relation.apply", on="member")
@transaction.atomic
def relation_apply(
    *,
    actor: Any,
    member: Organization,
    parent: Organization,
    motivation: str = "",
    kind: str = RelationKind.MEMBER_OF,
) -> OrganizationRelation:
    """An organization asks to join a network (or a council to belong to a commune)."""
    return _apply_for_membership(
        actor=actor, member=member, parent=parent, motivation=motivation, kind=kind
    )


def _locked(relation: OrganizationRelation) -> OrganizationRelation:
    return (
        OrganizationRelation.objects.select_for_update(of=("self",))
        .select_related("member", "parent")
        .get(pk=relation.pk)
    )


@guarded("registry.relation.decide", on="relation")
@transaction.atomic
def relation_approve(
    *, actor: Any, relation: OrganizationRelation, reason: str = ""
) -> OrganizationRelation:
    relation = _move(_locked(relation), to=RelationStatus.ACTIVE, actor=actor, reason=reason)
    member = relation.member
    if member.visibility != Visibility.PUBLIC and relation.kind == RelationKind.MEMBER_OF:
        # An organization that applied from outside becomes public once it is accepted.
        member.visibility = Visibility.PUBLIC
        member.save(update_fields=["visibility", "updated_at"])
        audit.record(
            actor=actor,
            action=RegistryEvent.ORGANIZATION_PUBLISH,
            target=member,
            changes={"visibility": ["restricted", Visibility.PUBLIC]},
        )
        _reindex_on_commit(member.pk)
    return relation


@guarded("registry.relation.decide", on="relation")
@transaction.atomic
def relation_reject(
    *, actor: Any, relation: OrganizationRelation, reason: str
) -> OrganizationRelation:
    return _move(_locked(relation), to=RelationStatus.REJECTED, actor=actor, reason=reason)


@guarded("registry.relation.decide", on="relation")
@transaction.atomic
def relation_suspend(
    *, actor: Any, relation: OrganizationRelation, reason: str
) -> OrganizationRelation:
    return _move(_locked(relation), to=RelationStatus.SUSPENDED, actor=actor, reason=reason)


@guarded("registry.relation.decide", on="relation")
@transaction.atomic
def relation_reinstate(
    *, actor: Any, relation: OrganizationRelation, reason: str = ""
) -> OrganizationRelation:
    relation = _locked(relation)
    if relation.status != RelationStatus.SUSPENDED:
        raise DomainError(
            _("Only a suspended membership can be reinstated."),
            "status",
            code="not_suspended",
            status=409,
        )
    return _move(relation, to=RelationStatus.ACTIVE, actor=actor, reason=reason)


@guarded("registry.relation.withdraw", on="relation")
@transaction.atomic
def relation_withdraw(
    *, actor: Any, relation: OrganizationRelation, reason: str = ""
) -> OrganizationRelation:
    return _move(_locked(relation), to=RelationStatus.WITHDRAWN, actor=actor, reason=reason)


RELATION_DECISIONS: dict[str, Callable[..., OrganizationRelation]] = {
    "approve": relation_approve,
    "reject": relation_reject,
    "suspend": relation_suspend,
    "reinstate": relation_reinstate,
    "withdraw": relation_withdraw,
}


@unguarded("it hands over to one of the decisions above, each guarded by its own rule")
def relation_decide(
    *, actor: Any, relation: OrganizationRelation, action: str, reason: str = ""
) -> OrganizationRelation:
    """Apply one of the named decisions (the pages and the API offer the same set)."""
    if action not in RELATION_DECISIONS:
        raise DomainError(_("Unknown action."), "action", code="unknown_action")
    return RELATION_DECISIONS[action](actor=actor, relation=relation, reason=reason)
