"""Writes for clearing rounds (service functions): open, consent, apply, cancel.

The optimizer is the pure core ``minga.core.clearing``; this module loads a network's open
obligations into it, keeps the proposed set-off with its report, and applies it to the
obligations and, as one linked batch, to the ledger, where the set-off is recorded as
transfers that leave every balance where it was.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.core.clearing import Obligation as CoreObligation
from minga.core.clearing import clear

from ..audit_events import ExchangeEvent
from ..client_ids import new_platform_client_id
from ..models import (
    ClearingConsent,
    ClearingRound,
    ClearingRoundStatus,
    ClearingSetoff,
    Obligation,
    ObligationStatus,
    Unit,
)
from ..selectors import (
    clearing_round_participants,
    missing_consents,
    network_and_member_ids,
    open_obligations,
)
from . import ledger
from .accounts import _open_account
from .agreements import _person


def _unit_of(clearing_round: ClearingRound) -> Unit:
    return clearing_round.unit


@guarded("exchange.unit.manage", on="unit")
@transaction.atomic
def clearing_round_open(*, actor: Any, unit: Unit) -> ClearingRound:
    """Compute the optimal set-off of the open obligations among the unit's network."""
    network = unit.network
    if ClearingRound.objects.filter(
        unit=unit, status=ClearingRoundStatus.AWAITING_CONSENT
    ).exists():
        raise DomainError(
            _("A round for this unit is already waiting for consent."),
            "unit",
            code="round_waiting",
        )
    obligations = list(open_obligations(unit, network_and_member_ids(network)))
    if not obligations:
        raise DomainError(
            _("There are no open obligations to clear."), "unit", code="nothing_to_clear"
        )
    # Each obligation is its own edge: keying by id lets the result map back exactly.
    result = clear(
        [
            CoreObligation(
                debtor=str(o.debtor.uuid), creditor=str(o.creditor.uuid), amount=o.remaining
            )
            for o in obligations
        ]
    )
    by_pair: dict[tuple[str, str], list[Obligation]] = {}
    for obligation in obligations:
        by_pair.setdefault((str(obligation.debtor.uuid), str(obligation.creditor.uuid)), []).append(
            obligation
        )
    names = {str(o.debtor.uuid): o.debtor.name for o in obligations} | {
        str(o.creditor.uuid): o.creditor.name for o in obligations
    }
    clearing_round = ClearingRound.objects.create(
        network=network,
        unit=unit,
        consent_rule=unit.clearing_consent,
        total_before=result.total_before,
        total_after=result.total_after,
        created_by=_person(actor),
        report=_report(result, names),
    )
    setoffs = []
    for edge in result.setoff:
        remaining_to_clear = edge.amount_cleared
        # Parallel obligations between the same pair share the edge's set-off, oldest first.
        for obligation in sorted(by_pair[(edge.debtor, edge.creditor)], key=lambda o: o.created_at):
            if remaining_to_clear == 0:
                break
            take = min(obligation.remaining, remaining_to_clear)
            if take:
                setoffs.append(
                    ClearingSetoff(
                        round=clearing_round,
                        obligation=obligation,
                        remaining_before=obligation.remaining,
                        cleared=take,
                        ledger_client_id=new_platform_client_id("clr:"),
                    )
                )
                remaining_to_clear -= take
    ClearingSetoff.objects.bulk_create(setoffs)
    audit.record(
        actor=actor,
        action=ExchangeEvent.CLEARING_OPEN,
        target=clearing_round,
        changes={
            "total_before": [None, result.total_before],
            "total_after": [None, result.total_after],
        },
    )
    return clearing_round


def _report(result: Any, names: dict[str, str]) -> dict[str, Any]:
    return {
        "total_before": result.total_before,
        "total_after": result.total_after,
        "cleared": result.cleared,
        "percent_cleared": result.percent_cleared_text(),
        "organizations": [
            {
                "id": position.organization,
                "name": names.get(position.organization, position.organization),
                "payable_before": position.payable_before,
                "receivable_before": position.receivable_before,
                "payable_after": position.payable_after,
                "receivable_after": position.receivable_after,
                "net": position.net,
            }
            for position in result.positions
        ],
    }


@guarded("exchange.organization.act_for", on="organization")
@transaction.atomic
def clearing_round_consent(
    *,
    actor: Any,
    clearing_round: ClearingRound,
    organization: Any,
    consents: bool,
    reason: str = "",
) -> ClearingRound:
    clearing_round = ClearingRound.objects.select_for_update().get(pk=clearing_round.pk)
    if clearing_round.status != ClearingRoundStatus.AWAITING_CONSENT:
        raise DomainError(
            _("This round is not waiting for consent."),
            "status",
            code="round_not_waiting",
        )
    if organization.pk not in clearing_round_participants(clearing_round):
        raise DomainError(
            _("This organization takes no part in the round."),
            "organization",
            code="not_a_participant",
        )
    if not consents and not reason.strip():
        raise DomainError(_("Please give a reason."), "reason", code="reason_required")
    ClearingConsent.objects.update_or_create(
        round=clearing_round,
        organization=organization,
        defaults={"consents": consents, "reason": reason, "given_by": _person(actor)},
    )
    audit.record(
        actor=actor,
        action=ExchangeEvent.CLEARING_CONSENT if consents else ExchangeEvent.CLEARING_OBJECT,
        target=clearing_round,
        reason=reason,
    )
    if not consents:
        clearing_round.status = ClearingRoundStatus.REJECTED
        clearing_round.save(update_fields=["status", "updated_at"])
    return clearing_round


@guarded("exchange.unit.manage", on="clearing_round", via=_unit_of)
@transaction.atomic
def clearing_round_apply(
    *, actor: Any, clearing_round: ClearingRound, access_token: Any = None
) -> ClearingRound:
    """Apply the consented set-off: obligations reduced, set-off recorded in the ledger."""
    clearing_round = (
        ClearingRound.objects.select_for_update(of=("self",))
        .select_related("unit", "network")
        .get(pk=clearing_round.pk)
    )
    if clearing_round.status != ClearingRoundStatus.AWAITING_CONSENT:
        raise DomainError(_("This round cannot be applied."), "status", code="round_not_waiting")
    if missing_consents(clearing_round):
        raise DomainError(
            _("Some organizations have not consented yet."),
            "consents",
            code="consents_missing",
        )
    setoffs = list(
        clearing_round.setoffs.select_related("obligation__debtor", "obligation__creditor")
    )
    obligations = {
        o.pk: o
        for o in Obligation.objects.select_for_update().filter(
            pk__in=[s.obligation_id for s in setoffs]
        )
    }
    if any(obligations[s.obligation_id].remaining != s.remaining_before for s in setoffs):
        raise DomainError(
            _("Obligations changed since the round was computed; open a new round."),
            "round",
            code="obligations_changed",
        )
    unit = clearing_round.unit
    accounts: dict[int, Any] = {}
    for setoff in setoffs:
        for organization in (setoff.obligation.debtor, setoff.obligation.creditor):
            if organization.pk not in accounts:
                accounts[organization.pk] = _open_account(
                    actor=actor, organization=organization, unit=unit
                )
    inputs = [
        ledger.TransferInput(
            client_id=setoff.ledger_client_id,
            debit=str(accounts[setoff.obligation.debtor_id].uuid),
            credit=str(accounts[setoff.obligation.creditor_id].uuid),
            unit=unit.code,
            amount=setoff.cleared,
            memo=f"clearing round {clearing_round.uuid}",
        )
        for setoff in setoffs
    ]
    if inputs:
        outcome = ledger.transfers_submit(
            actor=actor,
            access_token=access_token,
            inputs=inputs,
            linked=True,
            limits_at_end=True,
            platform=ledger.PLATFORM,
        )
        refused = [
            o for o in outcome.outcomes if o.status == "refused" and o.code != "linked_batch_failed"
        ]
        if refused:
            raise DomainError(
                _("The ledger refused: %(reason)s") % {"reason": refused[0].message},
                "ledger",
                code="ledger_refused",
            )
    for setoff in setoffs:
        obligation = obligations[setoff.obligation_id]
        obligation.remaining -= setoff.cleared
        if obligation.remaining == 0:
            obligation.status = ObligationStatus.SETTLED
        obligation.save(update_fields=["remaining", "status", "updated_at"])
    clearing_round.status = ClearingRoundStatus.APPLIED
    clearing_round.applied_at = timezone.now()
    clearing_round.save(update_fields=["status", "applied_at", "updated_at"])
    audit.record(
        actor=actor,
        action=ExchangeEvent.CLEARING_APPLY,
        target=clearing_round,
        changes={"cleared": [None, clearing_round.cleared]},
    )
    return clearing_round
