"""Rules of operation of bodies (versioned, changed only by an adopted proposal) and their seats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.registry import selectors as registry

from .. import selectors
from ..models import (
    BodyMembership,
    BodyRules,
    DecisionKind,
    Proposal,
    ProposalStatus,
    ProposerKind,
    QuorumBasis,
    VotingMethod,
)
from ..models.bodies import DEFAULT_MAX_SEAT_WEIGHT, MAX_SEAT_WEIGHT_LIMIT
from .base import _body_of, _fraction
from .meetings import meeting_quorums_record

if TYPE_CHECKING:
    from minga.registry.models import Body, Organization

# Rules of operation


@dataclass
class RulesData:
    """Rules of operation as validated input; shares are written "1/2", "2/3" …"""

    quorum: str = "1/2"
    quorum_basis: str = QuorumBasis.MEMBERS
    ordinary: str = "1/2"
    statute_change: str = "2/3"
    rules_change: str = "2/3"
    allowed_methods: list[str] = field(
        default_factory=lambda: [VotingMethod.MAJORITY, VotingMethod.CONSENT, VotingMethod.STV]
    )
    proposers: str = ProposerKind.DELEGATES
    amendment_window_days: int = 14
    delegation_allowed: bool = True
    ballot_change_allowed: bool = False
    abstention_allowed: bool = True
    max_seat_weight: int = DEFAULT_MAX_SEAT_WEIGHT

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> RulesData:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(payload) - known)
        if unknown:
            raise DomainError(
                _("Unknown rule(s): %(names)s.") % {"names": ", ".join(unknown)},
                "rules",
                code="unknown_rules",
            )
        return cls(**payload)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def of(cls, rules: BodyRules) -> RulesData:
        """The data of a version of the rules, as a change of them starts from."""
        return cls(
            quorum=f"{rules.quorum_numerator}/{rules.quorum_denominator}",
            quorum_basis=rules.quorum_basis,
            ordinary=f"{rules.ordinary_numerator}/{rules.ordinary_denominator}",
            statute_change=f"{rules.statute_numerator}/{rules.statute_denominator}",
            rules_change=f"{rules.rules_numerator}/{rules.rules_denominator}",
            allowed_methods=list(rules.allowed_methods),
            proposers=rules.proposers,
            amendment_window_days=rules.amendment_window_days,
            delegation_allowed=rules.delegation_allowed,
            ballot_change_allowed=rules.ballot_change_allowed,
            abstention_allowed=rules.abstention_allowed,
            max_seat_weight=rules.max_seat_weight,
        )


def _rules_row(body: Body, version: int, data: RulesData) -> BodyRules:
    if data.quorum_basis not in QuorumBasis.values:
        raise DomainError(_("Unknown quorum basis."), "quorum_basis", code="unknown_quorum_basis")
    if data.proposers not in ProposerKind.values:
        raise DomainError(_("Unknown kind of proposer."), "proposers", code="unknown_proposer_kind")
    for flag in ("delegation_allowed", "ballot_change_allowed", "abstention_allowed"):
        if not isinstance(getattr(data, flag), bool):
            raise DomainError(_("Answer yes or no."), flag, code="not_yes_or_no")
    days = data.amendment_window_days
    if isinstance(days, bool) or not isinstance(days, int):
        raise DomainError(
            _("The amendment window is 0 to 365 days."),
            "amendment_window_days",
            code="amendment_window_out_of_range",
        )
    if not isinstance(data.allowed_methods, list | tuple):
        raise DomainError(
            _("Choose voting methods among the known ones."),
            "allowed_methods",
            code="unknown_voting_method",
        )
    methods = list(dict.fromkeys(data.allowed_methods))
    if not methods or any(method not in VotingMethod.values for method in methods):
        raise DomainError(
            _("Choose voting methods among the known ones."),
            "allowed_methods",
            code="unknown_voting_method",
        )
    thresholds = {}
    for name in ("ordinary", "statute_change", "rules_change"):
        numerator, denominator = _fraction(getattr(data, name), name)
        if Fraction(numerator, denominator) < Fraction(1, 2):
            raise DomainError(
                _("A majority is at least half of the valid votes."),
                name,
                code="majority_below_half",
            )
        thresholds[name] = (numerator, denominator)
    quorum = _fraction(data.quorum, "quorum")
    if not 0 <= data.amendment_window_days <= 365:
        raise DomainError(
            _("The amendment window is 0 to 365 days."),
            "amendment_window_days",
            code="amendment_window_out_of_range",
        )
    heaviest = data.max_seat_weight
    if (
        isinstance(heaviest, bool)
        or not isinstance(heaviest, int)
        or not 1 <= heaviest <= MAX_SEAT_WEIGHT_LIMIT
    ):
        raise DomainError(
            _("The maximum weight of a seat is a whole number from 1 to %(limit)d.")
            % {"limit": MAX_SEAT_WEIGHT_LIMIT},
            "max_seat_weight",
            code="seat_weight_limit_out_of_range",
        )
    return BodyRules(
        body=body,
        version=version,
        quorum_basis=data.quorum_basis,
        quorum_numerator=quorum[0],
        quorum_denominator=quorum[1],
        ordinary_numerator=thresholds["ordinary"][0],
        ordinary_denominator=thresholds["ordinary"][1],
        statute_numerator=thresholds["statute_change"][0],
        statute_denominator=thresholds["statute_change"][1],
        rules_numerator=thresholds["rules_change"][0],
        rules_denominator=thresholds["rules_change"][1],
        allowed_methods=methods,
        proposers=data.proposers,
        amendment_window_days=data.amendment_window_days,
        delegation_allowed=data.delegation_allowed,
        ballot_change_allowed=data.ballot_change_allowed,
        abstention_allowed=data.abstention_allowed,
        max_seat_weight=data.max_seat_weight,
    )


def _seats_fit(body: Body, rules: BodyRules) -> None:
    """New rules may not leave a current seat heavier than they allow."""
    heaviest = (
        selectors.current_memberships(body).order_by("-weight").values_list("weight", flat=True)
    ).first()
    if heaviest is not None and heaviest > rules.max_seat_weight:
        raise DomainError(
            _(
                "A seat of this body weighs %(weight)d; the maximum weight of a seat "
                "cannot be lower."
            )
            % {"weight": heaviest},
            "max_seat_weight",
            code="seat_weight_limit_below_seat",
        )


@guarded("assemblies.body.manage", on="body")
@transaction.atomic
def body_rules_establish(*, actor: Any, body: Body, data: RulesData) -> BodyRules:
    """The first rules of a body. Later versions come only from the body's own decisions."""
    registry.lock_body(body)
    if BodyRules.objects.filter(body=body).exists():
        raise DomainError(
            _("This body has rules already; it changes them only by its own decision."),
            "rules",
            code="rules_already_established",
        )
    rules = _rules_row(body, 1, data)
    _seats_fit(body, rules)
    meeting_quorums_record(body=body)
    rules.save()
    audit.record(
        actor=actor,
        action=AssembliesEvent.RULES_ESTABLISH,
        target=rules,
        changes={"rules": [None, data.to_json()]},
    )
    return rules


@guarded("assemblies.body.manage", on="proposal", via=_body_of)
@transaction.atomic
def rules_change_apply(*, actor: Any, proposal: Proposal) -> BodyRules:
    """Create the next rules version from an adopted ``rules_change`` proposal (once)."""
    if proposal.kind != DecisionKind.RULES_CHANGE or proposal.status != ProposalStatus.ADOPTED:
        raise DomainError(
            _("Only an adopted change of the rules changes the rules."),
            "proposal",
            code="rules_change_not_adopted",
        )
    existing = BodyRules.objects.filter(adopted_by=proposal).first()
    if existing is not None:
        return existing
    current = selectors.rules_in_force(proposal.body)
    if current is None:
        raise DomainError(_("This body has no rules yet."), "rules", code="body_without_rules")
    merged = {**RulesData.of(current).to_json(), **proposal.rules_payload}
    rules = _rules_row(proposal.body, current.version + 1, RulesData.from_json(merged))
    rules.adopted_by = proposal
    meeting_quorums_record(body=proposal.body)
    rules.save()
    audit.record(
        actor=actor,
        action=AssembliesEvent.RULES_CHANGE,
        target=rules,
        changes={"version": [current.version, rules.version], "rules": [None, merged]},
        reason=proposal.title,
    )
    return rules


def _validate_payload(body: Body, rules: BodyRules, payload: dict[str, Any]) -> dict[str, Any]:
    """Check the proposed rules now, so that adopting them later cannot fail."""
    if not isinstance(payload, dict) or not payload:
        raise DomainError(
            _("A change of the rules must say which rules change."),
            "rules_payload",
            code="rules_change_empty",
        )
    merged = {**RulesData.of(rules).to_json(), **payload}
    try:
        proposed = _rules_row(body, rules.version + 1, RulesData.from_json(merged))
    except (TypeError, ValueError) as error:
        raise DomainError(
            _("The proposed rules are not valid."), "rules_payload", code="rules_change_invalid"
        ) from error
    # Checked when proposed only: adopting the change must not fail on a seat added since
    # (that seat keeps its weight; the next change of its weight meets the new bound).
    _seats_fit(body, proposed)
    return payload


@guarded("assemblies.body.manage", on="body")
@transaction.atomic
def body_membership_add(
    *,
    actor: Any,
    body: Body,
    organization: Organization,
    weight: int = 1,
    started_on: date | None = None,
) -> BodyMembership:
    """Seat an organization in a body; an existing open seat gets the new weight.

    The weight is bounded by the rules in force (or, before the body has rules, by the
    default bound), so that weights stay few and alike.
    """
    rules = selectors.rules_in_force(body)
    heaviest = rules.max_seat_weight if rules is not None else DEFAULT_MAX_SEAT_WEIGHT
    if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= heaviest:
        raise DomainError(
            _("A seat's voting weight is a whole number from 1 to %(max)d under this body's rules.")
            % {"max": heaviest},
            "weight",
            code="seat_weight_out_of_range",
        )
    # Past meetings keep the quorum they had, whatever this changes.
    meeting_quorums_record(body=body)
    seat = BodyMembership.objects.filter(
        body=body, organization=organization, ended_on__isnull=True
    ).first()
    if seat is not None:
        if seat.weight != weight:
            audit.record(
                actor=actor,
                action=AssembliesEvent.MEMBERSHIP_WEIGHT,
                target=seat,
                changes={"weight": [seat.weight, weight]},
            )
            seat.weight = weight
            seat.save(update_fields=["weight", "updated_at"])
        return seat
    seat = BodyMembership.objects.create(
        body=body,
        organization=organization,
        weight=weight,
        started_on=started_on or timezone.localdate(),
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.MEMBERSHIP_ADD,
        target=seat,
        changes={"weight": [None, weight]},
    )
    return seat
