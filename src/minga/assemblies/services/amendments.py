"""Amendments to proposals: proposed against a version, accepted, declined or put to the vote."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded, require

from .. import selectors
from ..models import (
    Amendment,
    AmendmentStatus,
    ProposalStatus,
    ProposalVersion,
)
from ..rules import amendment_rule
from .proposals import _new_version


def _merge(amendment: Amendment, actor: Any) -> ProposalVersion:
    from ..diff import merge_texts

    current = selectors.current_version(amendment.proposal)
    if current.pk == amendment.base_version_id:
        text = amendment.new_text
    else:
        merged = merge_texts(amendment.base_version.text, current.text, amendment.new_text)
        if merged is None:
            raise DomainError(
                _("The text changed where this amendment changes it; it cannot be merged."),
                "amendment",
                code="amendment_conflicts_with_text",
            )
        text = merged
    version = _new_version(amendment.proposal, text, actor, amendment)
    amendment.result_version = version
    return version


AMENDMENT_ACTIONS = ("accept", "decline", "to_vote", "withdraw")


@guarded("assemblies.amendment.act", on="amendment")
@transaction.atomic
def amendment_decide(*, actor: Any, amendment: Amendment, action: str) -> Amendment:
    """The proposal's author accepts (merges), declines or puts an amendment to a vote;
    the amendment's own author may withdraw it."""
    amendment = (
        Amendment.objects.select_for_update(of=("self",))
        .select_related("proposal", "base_version")
        .get(pk=amendment.pk)
    )
    if action not in AMENDMENT_ACTIONS:
        raise DomainError(_("Unknown action."), "action", code="unknown_action")
    require(actor, amendment_rule(action), amendment)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise DomainError(
            _("This amendment was already decided."), "action", code="amendment_already_decided"
        )
    if amendment.proposal.status not in (ProposalStatus.OPEN, ProposalStatus.DEBATE):
        raise DomainError(
            _("The proposal is no longer being amended."),
            "action",
            code="proposal_not_being_amended",
        )
    before = amendment.status
    if action == "accept":
        _merge(amendment, actor)
        amendment.status = AmendmentStatus.ACCEPTED
    elif action == "decline":
        amendment.status = AmendmentStatus.DECLINED
    elif action == "to_vote":
        amendment.status = AmendmentStatus.TO_VOTE
    else:
        amendment.status = AmendmentStatus.WITHDRAWN
    amendment.save(update_fields=["status", "result_version", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.AMENDMENT_DECIDE,
        target=amendment,
        changes={"status": [before, amendment.status]},
    )
    return amendment
