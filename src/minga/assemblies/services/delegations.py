"""Delegation of votes between members of a body (transitive; a direct vote overrides)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded

from .. import selectors
from ..models import (
    BodyMembership,
    Delegation,
    Proposal,
)
from .base import _body_of
from .meetings import _seat_for

# Delegation


@guarded("assemblies.body.take_part", on="delegator", via=_body_of)
@transaction.atomic
def delegation_set(
    *,
    actor: Any,
    delegator: BodyMembership,
    delegate: BodyMembership,
    proposal: Proposal | None = None,
) -> Delegation:
    """Entrust a seat's vote to another member (for the body, or for one proposal).

    Replaces the seat's previous delegation of the same scope. A chain that loops back is
    allowed to exist but never adds weight (see ``delegation.resolve``).
    """
    body = delegator.body
    rules = selectors.rules_in_force(body)
    if rules is None or not rules.delegation_allowed:
        raise DomainError(
            _("This body's rules do not allow delegation."),
            "delegate",
            code="delegation_not_allowed",
        )
    _seat_for(actor, body, delegator)
    if delegate.body_id != body.pk or delegate.ended_on is not None:
        raise DomainError(
            _("Delegate only to a current member of the same body."),
            "delegate",
            code="delegate_not_member",
        )
    if delegate.pk == delegator.pk:
        raise DomainError(
            _("A member cannot delegate to itself."), "delegate", code="delegation_to_itself"
        )
    if proposal is not None and proposal.body_id != body.pk:
        raise DomainError(
            _("The proposal belongs to another body."), "proposal", code="proposal_of_another_body"
        )
    now = timezone.now()
    Delegation.objects.filter(
        delegator=delegator, proposal=proposal, revoked_at__isnull=True
    ).update(revoked_at=now)
    delegation = Delegation.objects.create(
        body=body, delegator=delegator, delegate=delegate, proposal=proposal, created_by=actor
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.DELEGATION_SET,
        target=delegation,
        changes={"delegate": [None, str(delegate.organization)]},
    )
    return delegation


@guarded("assemblies.body.take_part", on="delegation", via=_body_of)
@transaction.atomic
def delegation_revoke(*, actor: Any, delegation: Delegation) -> Delegation:
    _seat_for(actor, delegation.body, delegation.delegator)
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor=actor, action=AssembliesEvent.DELEGATION_REVOKE, target=delegation)
    return delegation
