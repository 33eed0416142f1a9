"""Writes of the assemblies. Each function is keyword-only, atomic, audited, and checks the
domain's own rules (a vote outside its window is refused, a proposal moves only along its
workflow …). Permission checks happen in the callers with ``minga.common.permissions``.

``now`` parameters exist so that tests and the demo can act at a given moment; callers
normally leave them out.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.markdown import render_markdown
from minga.common.models import Visibility
from minga.core import tally as core
from minga.registry.models import Body, Organization, Role
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from . import selectors
from .models import (
    AgendaItem,
    Amendment,
    AmendmentStatus,
    Attendance,
    BodyMembership,
    BodyRules,
    Comment,
    DebateSpace,
    DecisionKind,
    Declaration,
    DeclarationKind,
    Delegation,
    Endorsement,
    FollowUpResult,
    Meeting,
    MeetingDecision,
    Milestone,
    OpenBallot,
    Proposal,
    ProposalStatus,
    ProposalTranslation,
    ProposalVersion,
    ProposerKind,
    QuorumBasis,
    ResultReminder,
    ResultStatus,
    SecretBallot,
    SupportingDocument,
    Tally,
    Vote,
    VoteParticipation,
    VotingMethod,
    WorkingTable,
)
from .models.bodies import PROPOSAL_METHODS, RANKED_METHODS


class AssemblyError(Exception):
    """A request the assemblies' rules refuse; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _fraction(text: str, field_name: str) -> tuple[int, int]:
    try:
        value = Fraction(str(text))
    except (ValueError, ZeroDivisionError) as error:
        raise AssemblyError(_("Write a share such as 1/2 or 2/3."), field_name) from error
    if not 0 <= value <= 1:
        raise AssemblyError(_("A share lies between 0 and 1."), field_name)
    return value.numerator, value.denominator


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

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> RulesData:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(payload) - known)
        if unknown:
            raise AssemblyError(
                _("Unknown rule(s): %(names)s.") % {"names": ", ".join(unknown)}, "rules"
            )
        return cls(**payload)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _rules_row(body: Body, version: int, data: RulesData) -> BodyRules:
    if data.quorum_basis not in QuorumBasis.values:
        raise AssemblyError(_("Unknown quorum basis."), "quorum_basis")
    if data.proposers not in ProposerKind.values:
        raise AssemblyError(_("Unknown kind of proposer."), "proposers")
    for flag in ("delegation_allowed", "ballot_change_allowed"):
        if not isinstance(getattr(data, flag), bool):
            raise AssemblyError(_("Answer yes or no."), flag)
    days = data.amendment_window_days
    if isinstance(days, bool) or not isinstance(days, int):
        raise AssemblyError(_("The amendment window is 0 to 365 days."), "amendment_window_days")
    if not isinstance(data.allowed_methods, list | tuple):
        raise AssemblyError(_("Choose voting methods among the known ones."), "allowed_methods")
    methods = list(dict.fromkeys(data.allowed_methods))
    if not methods or any(method not in VotingMethod.values for method in methods):
        raise AssemblyError(_("Choose voting methods among the known ones."), "allowed_methods")
    thresholds = {}
    for name in ("ordinary", "statute_change", "rules_change"):
        numerator, denominator = _fraction(getattr(data, name), name)
        if Fraction(numerator, denominator) < Fraction(1, 2):
            raise AssemblyError(_("A majority is at least half of the valid votes."), name)
        thresholds[name] = (numerator, denominator)
    quorum = _fraction(data.quorum, "quorum")
    if not 0 <= data.amendment_window_days <= 365:
        raise AssemblyError(_("The amendment window is 0 to 365 days."), "amendment_window_days")
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
    )


def rules_data_of(rules: BodyRules) -> RulesData:
    return RulesData(
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
    )


@transaction.atomic
def body_rules_establish(*, actor: Any, body: Body, data: RulesData) -> BodyRules:
    """The first rules of a body. Later versions come only from the body's own decisions."""
    Body.objects.select_for_update(of=("self",)).filter(pk=body.pk).first()
    if BodyRules.objects.filter(body=body).exists():
        raise AssemblyError(
            _("This body has rules already; it changes them only by its own decision."), "rules"
        )
    rules = _rules_row(body, 1, data)
    rules.save()
    audit.record(
        actor=actor,
        action="assemblies.rules.establish",
        target=rules,
        changes={"rules": [None, data.to_json()]},
    )
    return rules


@transaction.atomic
def rules_change_apply(*, actor: Any, proposal: Proposal) -> BodyRules:
    """Create the next rules version from an adopted ``rules_change`` proposal (once)."""
    if proposal.kind != DecisionKind.RULES_CHANGE or proposal.status != ProposalStatus.ADOPTED:
        raise AssemblyError(_("Only an adopted change of the rules changes the rules."), "proposal")
    existing = BodyRules.objects.filter(adopted_by=proposal).first()
    if existing is not None:
        return existing
    current = selectors.rules_in_force(proposal.body)
    if current is None:
        raise AssemblyError(_("This body has no rules yet."), "rules")
    merged = {**rules_data_of(current).to_json(), **proposal.rules_payload}
    rules = _rules_row(proposal.body, current.version + 1, RulesData.from_json(merged))
    rules.adopted_by = proposal
    rules.save()
    audit.record(
        actor=actor,
        action="assemblies.rules.change",
        target=rules,
        changes={"version": [current.version, rules.version], "rules": [None, merged]},
        reason=proposal.title,
    )
    return rules


def _validate_payload(body: Body, rules: BodyRules, payload: dict[str, Any]) -> dict[str, Any]:
    """Check the proposed rules now, so that adopting them later cannot fail."""
    if not isinstance(payload, dict) or not payload:
        raise AssemblyError(
            _("A change of the rules must say which rules change."), "rules_payload"
        )
    merged = {**rules_data_of(rules).to_json(), **payload}
    try:
        _rules_row(body, rules.version + 1, RulesData.from_json(merged))
    except (TypeError, ValueError) as error:
        raise AssemblyError(_("The proposed rules are not valid."), "rules_payload") from error
    return payload


@transaction.atomic
def body_membership_add(
    *,
    actor: Any,
    body: Body,
    organization: Organization,
    weight: int = 1,
    started_on: date | None = None,
) -> BodyMembership:
    """Seat an organization in a body; an existing open seat gets the new weight."""
    if weight < 1:
        raise AssemblyError(_("A voting weight is at least 1."), "weight")
    seat = BodyMembership.objects.filter(
        body=body, organization=organization, ended_on__isnull=True
    ).first()
    if seat is not None:
        if seat.weight != weight:
            audit.record(
                actor=actor,
                action="assemblies.membership.weight",
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
        action="assemblies.membership.add",
        target=seat,
        changes={"weight": [None, weight]},
    )
    return seat


# Meetings


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_url: str = "",
    description: str = "",
    agenda: Sequence[str] = (),
    visibility: str = Visibility.PUBLIC,
) -> Meeting:
    if not place.strip() and not online_url.strip():
        raise AssemblyError(_("Give a place, an online link, or both."), "place")
    meeting = Meeting(
        body=body,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url.strip(),
        description=description,
        visibility=visibility,
    )
    if ends_at <= starts_at:
        raise AssemblyError(_("A meeting ends after it starts."), "ends_at")
    try:
        meeting.full_clean(exclude=["uuid", "body"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise AssemblyError(" ".join(messages), name) from error
    meeting.save()
    for position, item in enumerate(agenda, start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=item.strip())
    audit.record(
        actor=actor,
        action="assemblies.meeting.create",
        target=meeting,
        changes={"agenda": [None, list(agenda)]},
    )
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    description: str = "",
    proposal: Proposal | None = None,
) -> AgendaItem:
    if proposal is not None and proposal.body_id != meeting.body_id:
        raise AssemblyError(_("The proposal belongs to another body."), "proposal")
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        title=title.strip(),
        description=description,
        proposal=proposal,
    )
    audit.record(
        actor=actor,
        action="assemblies.agenda.add",
        target=meeting,
        changes={"item": [None, item.title]},
    )
    return item


def _seat_for(person: Any, body: Body, membership: BodyMembership | None) -> BodyMembership:
    seats = selectors.seats_of(person, body)
    if membership is not None:
        if membership.pk not in {seat.pk for seat in seats}:
            raise AssemblyError(_("You are not accredited for this member."), "membership")
        return membership
    if not seats:
        raise AssemblyError(
            _("Only delegates accredited to this body for one of its members may do this."),
            "membership",
        )
    if len(seats) > 1:
        raise AssemblyError(_("Say which member you act for."), "membership")
    return seats[0]


@transaction.atomic
def attendance_register(
    *, actor: Any, meeting: Meeting, membership: BodyMembership | None = None
) -> Attendance:
    """Announce that a delegate will come; registering twice changes nothing."""
    seat = _seat_for(actor, meeting.body, membership)
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting,
        membership=seat,
        defaults={"person": actor, "registered_at": timezone.now()},
    )
    if created:
        audit.record(
            actor=actor,
            action="assemblies.meeting.register",
            target=meeting,
            changes={"member": [None, str(seat.organization)]},
        )
    return attendance


@transaction.atomic
def attendance_check_in(
    *,
    actor: Any,
    meeting: Meeting,
    person: Any = None,
    membership: BodyMembership | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Check a delegate in (the delegate themself, or a person at the door for them).

    Only accredited delegates of current members; checking in twice changes nothing.
    """
    delegate = person or actor
    seat = _seat_for(delegate, meeting.body, membership)
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, membership=seat)
        .first()
    )
    moment = _now(now)
    if attendance is not None and attendance.checked_in_at is not None:
        return attendance
    if attendance is None:
        attendance = Attendance(
            meeting=meeting, membership=seat, person=delegate, registered_at=moment
        )
    attendance.person = delegate
    attendance.checked_in_at = moment
    attendance.save()
    audit.record(
        actor=actor,
        action="assemblies.meeting.check_in",
        target=meeting,
        changes={"member": [None, str(seat.organization)], "person": [None, str(delegate)]},
    )
    return attendance


@transaction.atomic
def meeting_minutes_write(
    *, actor: Any, meeting: Meeting, minutes: str, language: str = "es"
) -> Meeting:
    before = meeting.minutes
    meeting.minutes = minutes
    meeting.minutes_language = language
    meeting.save(update_fields=["minutes", "minutes_language", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.meeting.minutes",
        target=meeting,
        changes={"minutes": [len(before), len(minutes)]},
    )
    return meeting


@transaction.atomic
def decision_record(
    *, actor: Any, agenda_item: AgendaItem, text: str, vote: Vote | None = None
) -> MeetingDecision:
    if not text.strip():
        raise AssemblyError(_("Write the decision."), "text")
    if vote is not None and vote.body_id != agenda_item.meeting.body_id:
        raise AssemblyError(_("The vote belongs to another body."), "vote")
    decision = MeetingDecision.objects.create(
        agenda_item=agenda_item, text=text, vote=vote, recorded_by=actor, recorded_at=timezone.now()
    )
    audit.record(
        actor=actor,
        action="assemblies.meeting.decision",
        target=agenda_item.meeting,
        changes={"decision": [None, text[:200]]},
    )
    return decision


# Proposals


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    body: Body,
    on_behalf_of: Organization,
    title: str,
    text: str,
    language: str = "es",
    kind: str = DecisionKind.ORDINARY,
    rules_payload: dict[str, Any] | None = None,
    visibility: str = Visibility.PUBLIC,
) -> Proposal:
    rules = selectors.rules_in_force(body)
    if rules is None:
        raise AssemblyError(_("This body has no rules of operation yet."), "body")
    if on_behalf_of.pk not in selectors.may_propose(actor, body, rules):
        raise AssemblyError(
            _("Under this body's rules you may not propose on behalf of this organization."),
            "on_behalf_of",
        )
    if kind not in DecisionKind.values:
        raise AssemblyError(_("Unknown kind of decision."), "kind")
    if not title.strip():
        raise AssemblyError(_("Give the proposal a title."), "title")
    if not text.strip():
        raise AssemblyError(_("Write the text of the proposal."), "text")
    payload = (
        _validate_payload(body, rules, rules_payload or {})
        if kind == DecisionKind.RULES_CHANGE
        else {}
    )
    proposal = Proposal.objects.create(
        body=body,
        on_behalf_of=on_behalf_of,
        author=actor,
        title=title.strip(),
        language=language,
        kind=kind,
        rules_payload=payload,
        visibility=visibility,
    )
    ProposalVersion.objects.create(proposal=proposal, number=1, text=text, created_by=actor)
    audit.record(
        actor=actor,
        action="assemblies.proposal.create",
        target=proposal,
        changes={"title": [None, proposal.title], "kind": [None, kind]},
    )
    return proposal


TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProposalStatus.DRAFT: (ProposalStatus.OPEN, ProposalStatus.WITHDRAWN),
    ProposalStatus.OPEN: (ProposalStatus.DEBATE, ProposalStatus.WITHDRAWN),
    ProposalStatus.DEBATE: (ProposalStatus.TO_VOTE, ProposalStatus.OPEN, ProposalStatus.WITHDRAWN),
    ProposalStatus.TO_VOTE: (ProposalStatus.WITHDRAWN,),
    ProposalStatus.ADOPTED: (),
    ProposalStatus.REJECTED: (),
    ProposalStatus.WITHDRAWN: (),
}
"""Moves people may make; adopted and rejected come only from a closed vote."""


def allowed_transitions(proposal: Proposal) -> tuple[str, ...]:
    return TRANSITIONS.get(proposal.status, ())


@transaction.atomic
def proposal_transition(
    *, actor: Any, proposal: Proposal, to_status: str, reason: str = "", now: datetime | None = None
) -> Proposal:
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if to_status not in allowed_transitions(proposal):
        raise AssemblyError(
            _("A proposal that is “%(status)s” cannot move to “%(target)s”.")
            % {
                "status": proposal.get_status_display(),
                "target": ProposalStatus(to_status).label
                if to_status in ProposalStatus.values
                else to_status,
            },
            "status",
        )
    if (
        to_status == ProposalStatus.WITHDRAWN
        and proposal.votes.filter(closed_at__isnull=True).exists()
    ):
        raise AssemblyError(
            _("A proposal cannot be withdrawn while a vote on it is open."), "status"
        )
    before = proposal.status
    proposal.status = to_status
    if to_status == ProposalStatus.OPEN and proposal.amendments_close_at is None:
        rules = selectors.rules_in_force(proposal.body)
        days = rules.amendment_window_days if rules else 0
        proposal.amendments_close_at = _now(now) + timedelta(days=days)
    proposal.save(update_fields=["status", "amendments_close_at", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.proposal.transition",
        target=proposal,
        changes={"status": [before, to_status]},
        reason=reason,
    )
    return proposal


def _settle(proposal: Proposal, adopted: bool, actor: Any) -> None:
    before = proposal.status
    proposal.status = ProposalStatus.ADOPTED if adopted else ProposalStatus.REJECTED
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.proposal.transition",
        target=proposal,
        changes={"status": [before, proposal.status]},
        reason="vote",
    )
    if adopted and proposal.kind == DecisionKind.RULES_CHANGE:
        rules_change_apply(actor=actor, proposal=proposal)


@transaction.atomic
def comment_add(
    *,
    actor: Any,
    proposal: Proposal,
    text: str,
    parent: Comment | None = None,
    language: str = "es",
) -> Comment:
    if not text.strip():
        raise AssemblyError(_("Write a comment."), "text")
    if parent is not None and parent.proposal_id != proposal.pk:
        raise AssemblyError(_("You can only reply to a comment on the same proposal."), "parent")
    status = Proposal.objects.values_list("status", flat=True).get(pk=proposal.pk)
    if status in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN):
        raise AssemblyError(_("This proposal is not open for comments."), "proposal")
    return _comment_create(
        actor=actor, thread=proposal, text=text, parent=parent, language=language
    )


def _comment_create(
    *, actor: Any, thread: Proposal | DebateSpace, text: str, parent: Comment | None, language: str
) -> Comment:
    """The part of commenting shared by proposals and debates, once each has checked its own."""
    owner = {"proposal": thread} if isinstance(thread, Proposal) else {"debate": thread}
    comment = Comment.objects.create(
        **owner,
        parent=parent,
        author=actor,
        text=text,
        text_html=render_markdown(text),
        language=language,
    )
    audit.record(
        actor=actor,
        action="assemblies.comment.add",
        target=thread,
        changes={"comment": [None, comment.pk]},
    )
    return comment


def _new_version(
    proposal: Proposal, text: str, actor: Any, amendment: Amendment | None
) -> ProposalVersion:
    last = selectors.current_version(proposal)
    return ProposalVersion.objects.create(
        proposal=proposal,
        number=last.number + 1,
        text=text,
        created_by=actor,
        from_amendment=amendment,
    )


@transaction.atomic
def amendment_propose(
    *,
    actor: Any,
    proposal: Proposal,
    base_version: ProposalVersion,
    new_text: str,
    on_behalf_of: Organization,
    rationale: str = "",
    now: datetime | None = None,
) -> Amendment:
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if proposal.status != ProposalStatus.OPEN:
        raise AssemblyError(_("This proposal is not open for amendments."), "proposal")
    if proposal.amendments_close_at and _now(now) > proposal.amendments_close_at:
        raise AssemblyError(_("The amendment window has closed."), "proposal")
    if base_version.proposal_id != proposal.pk:
        raise AssemblyError(_("That version belongs to another proposal."), "base_version")
    if new_text.strip() == base_version.text.strip():
        raise AssemblyError(_("The amendment does not change the text."), "new_text")
    rules = selectors.rules_in_force(proposal.body)
    if on_behalf_of.pk not in selectors.may_propose(actor, proposal.body, rules):
        raise AssemblyError(
            _("Under this body's rules you may not amend on behalf of this organization."),
            "on_behalf_of",
        )
    amendment = Amendment.objects.create(
        proposal=proposal,
        base_version=base_version,
        author=actor,
        on_behalf_of=on_behalf_of,
        new_text=new_text,
        rationale=rationale,
    )
    audit.record(
        actor=actor,
        action="assemblies.amendment.propose",
        target=amendment,
        changes={"base_version": [None, base_version.number]},
    )
    return amendment


def _merge(amendment: Amendment, actor: Any) -> ProposalVersion:
    from .diff import merge_texts

    current = selectors.current_version(amendment.proposal)
    if current.pk == amendment.base_version_id:
        text = amendment.new_text
    else:
        merged = merge_texts(amendment.base_version.text, current.text, amendment.new_text)
        if merged is None:
            raise AssemblyError(
                _("The text changed where this amendment changes it; it cannot be merged."),
                "amendment",
            )
        text = merged
    version = _new_version(amendment.proposal, text, actor, amendment)
    amendment.result_version = version
    return version


AMENDMENT_ACTIONS = ("accept", "decline", "to_vote", "withdraw")


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
        raise AssemblyError(_("Unknown action."), "action")
    if amendment.status != AmendmentStatus.PROPOSED:
        raise AssemblyError(_("This amendment was already decided."), "action")
    if amendment.proposal.status not in (ProposalStatus.OPEN, ProposalStatus.DEBATE):
        raise AssemblyError(_("The proposal is no longer being amended."), "action")
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
        action="assemblies.amendment.decide",
        target=amendment,
        changes={"status": [before, amendment.status]},
    )
    return amendment


# Delegation


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
        raise AssemblyError(_("This body's rules do not allow delegation."), "delegate")
    _seat_for(actor, body, delegator)
    if delegate.body_id != body.pk or delegate.ended_on is not None:
        raise AssemblyError(_("Delegate only to a current member of the same body."), "delegate")
    if delegate.pk == delegator.pk:
        raise AssemblyError(_("A member cannot delegate to itself."), "delegate")
    if proposal is not None and proposal.body_id != body.pk:
        raise AssemblyError(_("The proposal belongs to another body."), "proposal")
    now = timezone.now()
    Delegation.objects.filter(
        delegator=delegator, proposal=proposal, revoked_at__isnull=True
    ).update(revoked_at=now)
    delegation = Delegation.objects.create(
        body=body, delegator=delegator, delegate=delegate, proposal=proposal, created_by=actor
    )
    audit.record(
        actor=actor,
        action="assemblies.delegation.set",
        target=delegation,
        changes={"delegate": [None, str(delegate.organization)]},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: Any, delegation: Delegation) -> Delegation:
    _seat_for(actor, delegation.body, delegation.delegator)
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor=actor, action="assemblies.delegation.revoke", target=delegation)
    return delegation


# Votes


DEFAULT_OPTIONS = ["yes", "no", "abstain"]


@transaction.atomic
def vote_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    method: str,
    opens_at: datetime,
    closes_at: datetime,
    secret: bool = False,
    proposal: Proposal | None = None,
    amendment: Amendment | None = None,
    choices: Iterable[str] = (),
    seats: int = 1,
    meeting: Meeting | None = None,
) -> Vote:
    rules = selectors.rules_in_force(body)
    if rules is None:
        raise AssemblyError(_("This body has no rules of operation yet."), "body")
    if method not in rules.allowed_methods:
        raise AssemblyError(_("This body's rules do not allow that voting method."), "method")
    if closes_at <= opens_at:
        raise AssemblyError(_("A vote closes after it opens."), "closes_at")
    names = [name.strip() for name in choices if name.strip()]
    if amendment is not None:
        amendment = Amendment.objects.select_related("proposal").get(pk=amendment.pk)
        proposal = amendment.proposal
        if amendment.status != AmendmentStatus.TO_VOTE:
            raise AssemblyError(_("This amendment was not put to a vote."), "amendment")
    elif proposal is not None:
        proposal = Proposal.objects.get(pk=proposal.pk)
    if proposal is not None:
        if proposal.body_id != body.pk:
            raise AssemblyError(_("The proposal belongs to another body."), "proposal")
        if method not in PROPOSAL_METHODS:
            raise AssemblyError(_("A proposal is decided by majority or consent."), "method")
        if amendment is None and proposal.status != ProposalStatus.TO_VOTE:
            raise AssemblyError(_("Only a proposal sent to vote can be voted on."), "proposal")
        if proposal.votes.filter(amendment=amendment, closed_at__isnull=True).exists():
            raise AssemblyError(_("A vote on this is already open."), "proposal")
        names = [] if method == VotingMethod.CONSENT else DEFAULT_OPTIONS
    else:
        if method in PROPOSAL_METHODS and method != VotingMethod.CONSENT:
            names = names or DEFAULT_OPTIONS
        if method != VotingMethod.CONSENT and len(names) < 2:
            raise AssemblyError(_("Give at least two options or candidates."), "choices")
        if len(set(names)) != len(names) or any('"' in name for name in names):
            raise AssemblyError(_("Options must be distinct and without quotes."), "choices")
    if not 1 <= seats <= max(1, len(names)):
        raise AssemblyError(_("There are more seats than candidates."), "seats")
    vote = Vote.objects.create(
        body=body,
        proposal=proposal,
        amendment=amendment,
        meeting=meeting,
        title=title.strip(),
        method=method,
        choices=names,
        seats=seats,
        opens_at=opens_at,
        closes_at=closes_at,
        secret=secret,
        changeable=rules.ballot_change_allowed,
        rules=rules,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="assemblies.vote.create",
        target=vote,
        changes={
            "method": [None, method],
            "secret": [None, secret],
            "rules_version": [None, rules.version],
        },
    )
    return vote


def clean_contents(vote: Vote, contents: dict[str, Any]) -> dict[str, Any]:
    """A ballot's contents in the one shape each method stores, or a refusal."""
    names = list(vote.choices)
    method = vote.method
    if not isinstance(contents, dict):
        raise AssemblyError(_("The ballot is not readable."), "contents")
    if method in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        option = contents.get("option")
        if option not in names:
            raise AssemblyError(_("Choose one of the options."), "option")
        return {"option": option}
    if method == VotingMethod.CONSENT:
        position = contents.get("position")
        if position not in core.ballots.CONSENT_POSITIONS:
            raise AssemblyError(_("Choose a position."), "position")
        reason = str(contents.get("reason", "")).strip()[:2000]
        if position in ("objection", "block") and not reason:
            raise AssemblyError(_("An objection or a block needs a reason."), "reason")
        return {"position": position, "reason": reason}
    if method == VotingMethod.APPROVAL:
        approved = contents.get("approved", [])
        if not isinstance(approved, list) or any(name not in names for name in approved):
            raise AssemblyError(_("Approve only candidates on the ballot."), "approved")
        return {"approved": sorted(set(approved))}
    if method == VotingMethod.SCORE:
        scores = contents.get("scores", {})
        if not isinstance(scores, dict) or any(name not in names for name in scores):
            raise AssemblyError(_("Score only candidates on the ballot."), "scores")
        try:
            cleaned = {
                name: int(value) for name, value in scores.items() if value not in ("", None)
            }
        except (TypeError, ValueError) as error:
            raise AssemblyError(_("Scores are whole numbers from 0 to 10."), "scores") from error
        if any(not 0 <= value <= 10 for value in cleaned.values()):
            raise AssemblyError(_("Scores are whole numbers from 0 to 10."), "scores")
        return {"scores": cleaned}
    ranking = contents.get("ranking", [])
    if not isinstance(ranking, list) or any(name not in names for name in ranking):
        raise AssemblyError(_("Rank only candidates on the ballot."), "ranking")
    if len(set(ranking)) != len(ranking):
        raise AssemblyError(_("Rank each candidate at most once."), "ranking")
    return {"ranking": ranking}


@dataclass(frozen=True)
class CastResult:
    """What a voter gets back: for a secret ballot the receipt code, shown only once."""

    receipt: str | None
    replaced: bool
    weight: int


@transaction.atomic
def ballot_cast(
    *,
    actor: Any,
    vote: Vote,
    contents: dict[str, Any],
    membership: BodyMembership | None = None,
    receipt: str = "",
    now: datetime | None = None,
) -> CastResult:
    """Cast (or, where the rules allow, change) the ballot of the seat the actor acts for.

    Secret ballots are stored without their voter; the weight a delegate casts is the seat's
    own plus what delegations carry to it *at that moment* (seats whose weight it carries
    are marked as having taken part, so they cannot also vote). Roll-call votes resolve
    delegations when the vote closes, so there a later direct vote always overrides.
    """
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("rules", "body", "proposal")
        .get(pk=vote.pk)
    )
    moment = _now(now)
    if vote.closed_at is not None or not vote.opens_at <= moment < vote.closes_at:
        raise AssemblyError(_("This vote is not open now."), "vote")
    seat = _seat_for(actor, vote.body, membership)
    cleaned = clean_contents(vote, contents)
    participation = VoteParticipation.objects.filter(vote=vote, membership=seat).first()
    if vote.secret:
        return _cast_secret(actor, vote, seat, cleaned, participation, receipt)
    ballot = OpenBallot.objects.filter(vote=vote, membership=seat).first()
    if ballot is not None:
        if not vote.changeable:
            raise AssemblyError(_("This member has already voted."), "vote")
        before = ballot.contents
        ballot.contents, ballot.cast_by, ballot.cast_at = cleaned, actor, moment
        ballot.save()
        audit.record(
            actor=actor,
            action="assemblies.ballot.change",
            target=vote,
            changes={"member": [None, str(seat.organization)], "choice": [before, cleaned]},
        )
        return CastResult(receipt=None, replaced=True, weight=seat.weight)
    if participation is None:
        VoteParticipation.objects.create(vote=vote, membership=seat, cast_by=actor)
    OpenBallot.objects.create(
        vote=vote, membership=seat, cast_by=actor, contents=cleaned, cast_at=moment
    )
    audit.record(
        actor=actor,
        action="assemblies.ballot.cast",
        target=vote,
        changes={"member": [None, str(seat.organization)], "choice": [None, cleaned]},
    )
    return CastResult(receipt=None, replaced=False, weight=seat.weight)


def _cast_secret(
    actor: Any,
    vote: Vote,
    seat: BodyMembership,
    cleaned: dict[str, Any],
    participation: VoteParticipation | None,
    receipt: str,
) -> CastResult:
    if participation is not None:
        if participation.via_id is not None:
            raise AssemblyError(
                _("Your delegate's secret ballot already carried this member's weight."), "vote"
            )
        if not vote.changeable:
            raise AssemblyError(_("This member has already voted."), "vote")
        ballot = (
            SecretBallot.objects.filter(
                vote=vote, receipt_hash=selectors.receipt_digest(receipt)
            ).first()
            if receipt.strip()
            else None
        )
        if ballot is None:
            raise AssemblyError(_("To change a secret ballot, give its receipt code."), "receipt")
        ballot.contents = cleaned
        ballot.save(update_fields=["contents"])
        audit.record(
            actor=actor,
            action="assemblies.ballot.change",
            target=vote,
            changes={"secret": [None, True]},
        )
        return CastResult(receipt=receipt.strip(), replaced=True, weight=ballot.weight)
    already = selectors.participated(vote)
    resolution = selectors.delegation_resolution(vote, already | {seat.pk})
    weight = resolution.weights.get(seat.pk, seat.weight)
    carried = [
        member
        for member, chain in resolution.chains.items()
        if chain.carrier == seat.pk and member != seat.pk and member not in already
    ]
    VoteParticipation.objects.create(vote=vote, membership=seat, cast_by=actor)
    VoteParticipation.objects.bulk_create(
        [VoteParticipation(vote=vote, membership_id=member, via=seat) for member in carried]
    )
    code = secrets.token_urlsafe(18)
    try:
        with transaction.atomic():
            SecretBallot.objects.create(
                vote=vote,
                contents=cleaned,
                weight=weight,
                receipt_hash=selectors.receipt_digest(code),
            )
    except IntegrityError as error:  # pragma: no cover - a 144-bit collision
        raise AssemblyError(_("Please try again."), "vote") from error
    # Only the fact of taking part: nothing about the choice, the weight or the receipt.
    audit.record(
        actor=actor, action="assemblies.ballot.cast", target=vote, changes={"secret": [None, True]}
    )
    return CastResult(receipt=code, replaced=False, weight=weight)


def _entries(vote: Vote) -> tuple[list[tuple[dict[str, Any], int]], int, int]:
    """(contents, weight) of every counted ballot, the weight and seats that took part."""
    if vote.secret:
        secret = SecretBallot.objects.filter(vote=vote).order_by("id")
        entries = [(ballot.contents, ballot.weight) for ballot in secret]
        seats = VoteParticipation.objects.filter(vote=vote).count()
        return entries, sum(weight for _c, weight in entries), seats
    ballots = {ballot.membership_id: ballot for ballot in vote.open_ballots.all()}
    resolution = selectors.delegation_resolution(vote, set(ballots))
    entries = [(ballots[member].contents, weight) for member, weight in resolution.weights.items()]
    seats = sum(1 for chain in resolution.chains.values() if chain.carrier is not None)
    return entries, sum(weight for _c, weight in entries), seats


def _rewrite_in_key_order(vote: Vote) -> None:
    """Write a closed vote's secret ballots again, in the order of their random keys.

    Databases keep rows physically in insertion order (SQLite's hidden rowid, PostgreSQL's
    heap), which an operator reading the files could line up with the order of
    participations. Rewriting on close leaves only the random order. While a vote is open
    that physical order exists; see docs in ``models/votes.py``.
    """
    ballots = list(SecretBallot.objects.filter(vote=vote).order_by("id"))
    SecretBallot.objects.filter(vote=vote).delete()
    SecretBallot.objects.bulk_create(
        [
            SecretBallot(
                id=ballot.id,
                vote=vote,
                contents=ballot.contents,
                weight=ballot.weight,
                receipt_hash=ballot.receipt_hash,
            )
            for ballot in ballots
        ]
    )


def count(vote: Vote, entries: list[tuple[dict[str, Any], int]]) -> core.TallyResult:
    """Count ballots with the tally core, applying the threshold the rules give the decision."""
    method = vote.method
    names = list(vote.choices)
    if method in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        options = [core.OptionBallot(c["option"], w) for c, w in entries if w]
        kind = vote.proposal.kind if vote.proposal and not vote.amendment else DecisionKind.ORDINARY
        threshold = vote.rules.threshold_for(kind)
        if threshold > Fraction(1, 2):
            return core.qualified(options, threshold, names)
        return core.majority(options, names)
    if method == VotingMethod.CONSENT:
        return core.consent(
            [core.ConsentBallot(c["position"], c.get("reason", ""), w) for c, w in entries if w]
        )
    if method == VotingMethod.APPROVAL:
        return core.approval(
            [core.ApprovalBallot(frozenset(c["approved"]), w) for c, w in entries if w],
            names,
            vote.seats,
        )
    if method == VotingMethod.SCORE:
        return core.score(
            [
                core.ScoreBallot(tuple((n, Fraction(s)) for n, s in sorted(c["scores"].items())), w)
                for c, w in entries
                if w
            ],
            names,
            vote.seats,
        )
    ranked = ranked_ballots(entries)
    if method == VotingMethod.IRV:
        return core.irv(names, ranked)
    if method == VotingMethod.STV:
        return core.stv(names, ranked, vote.seats)
    return core.schulze(names, ranked, vote.seats)


def ranked_ballots(entries: list[tuple[dict[str, Any], int]]) -> list[core.RankedBallot]:
    return [core.RankedBallot(tuple(c["ranking"]), w) for c, w in entries if w]


@transaction.atomic
def vote_close(*, actor: Any, vote: Vote, now: datetime | None = None) -> Tally:
    """Count a vote whose window has ended and store the result with the rules it applied.

    Closing twice returns the stored tally. An adopted proposal or amendment takes effect:
    an amendment becomes a new version, a change of the rules a new rules version.
    """
    vote = (
        Vote.objects.select_for_update(of=("self",))
        .select_related("rules", "body", "proposal", "amendment")
        .get(pk=vote.pk)
    )
    existing = Tally.objects.filter(vote=vote).first()
    if existing is not None:
        return existing
    moment = _now(now)
    if moment < vote.closes_at:
        raise AssemblyError(_("The vote is still open; it closes at its set time."), "vote")
    entries, weight, seats = _entries(vote)
    if vote.secret:
        _rewrite_in_key_order(vote)
    members = list(selectors.current_memberships(vote.body))
    total_weight = sum(seat.weight for seat in members)
    rules = vote.rules
    share = (
        Fraction(weight, total_weight or 1)
        if rules.quorum_basis == QuorumBasis.WEIGHT
        else Fraction(seats, len(members) or 1)
    )
    quorum_met = weight > 0 and share >= rules.quorum
    result = count(vote, entries)
    adopted = bool(result.adopted) and quorum_met if result.adopted is not None else None
    winners = list(result.winners) if quorum_met else []
    tally = Tally.objects.create(
        vote=vote,
        rules=rules,
        rules_version=rules.version,
        result=result.to_json(),
        winners=winners,
        adopted=adopted,
        quorum_met=quorum_met,
        participating_weight=weight,
        total_weight=total_weight,
        counted_at=moment,
    )
    vote.closed_at = moment
    vote.save(update_fields=["closed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.vote.close",
        target=vote,
        changes={
            "winners": [None, winners],
            "adopted": [None, adopted],
            "quorum_met": [None, quorum_met],
            "rules_version": [None, rules.version],
        },
    )
    if vote.amendment is not None:
        amendment = vote.amendment
        if adopted:
            _merge(amendment, actor)
        amendment.status = AmendmentStatus.ADOPTED if adopted else AmendmentStatus.REJECTED
        amendment.save(update_fields=["status", "result_version", "updated_at"])
    elif vote.proposal is not None and vote.proposal.status == ProposalStatus.TO_VOTE:
        _settle(vote.proposal, bool(adopted), actor)
    return tally


@transaction.atomic
def vote_close_now(*, actor: Any, vote: Vote, now: datetime | None = None) -> Tally:
    """End an open vote early (the chair closes it in the meeting), then count it.

    The window's end becomes now, so the record shows when it really closed. A vote that
    has not opened yet cannot be closed: nobody could have voted.
    """
    vote = Vote.objects.select_for_update(of=("self",)).get(pk=vote.pk)
    moment = _now(now)
    if vote.closed_at is not None:
        return Tally.objects.get(vote=vote)
    if moment <= vote.opens_at:
        raise AssemblyError(_("The vote has not opened yet."), "vote")
    if moment < vote.closes_at:
        before = vote.closes_at
        vote.closes_at = moment
        vote.save(update_fields=["closes_at", "updated_at"])
        audit.record(
            actor=actor,
            action="assemblies.vote.close_now",
            target=vote,
            changes={"closes_at": [before.isoformat(), moment.isoformat()]},
        )
    return vote_close(actor=actor, vote=vote, now=moment)


def election_for_blt(vote: Vote) -> core.RankedElection:
    """The closed secret ranked vote as an anonymous election (for ``write_blt``)."""
    vote.refresh_from_db(fields=["closed_at"])
    if vote.method not in RANKED_METHODS or not vote.secret or vote.closed_at is None:
        raise AssemblyError(_("Only closed secret ranked votes are exported as BLT."), "vote")
    entries = [
        (b.contents, b.weight) for b in SecretBallot.objects.filter(vote=vote).order_by("id")
    ]
    return core.RankedElection(
        candidates=tuple(vote.choices),
        seats=vote.seats,
        ballots=tuple(ranked_ballots(entries)),
        title=vote.title.replace('"', "'").replace("\n", " "),
    )


def write_blt_of(vote: Vote) -> str:
    """The anonymized BLT file of a closed secret ranked vote."""
    return core.write_blt(election_for_blt(vote))


# Declarations and endorsements


@transaction.atomic
def declaration_publish(
    *, actor: Any, proposal: Proposal, kind: str = DeclarationKind.RESOLUTION
) -> Declaration:
    """Publish an adopted proposal as a resolution or declaration (once; again returns it)."""
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    existing = Declaration.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if proposal.status != ProposalStatus.ADOPTED:
        raise AssemblyError(_("Only an adopted proposal can be published."), "proposal")
    if kind not in DeclarationKind.values:
        raise AssemblyError(_("Unknown kind of text."), "kind")
    declaration = Declaration.objects.create(
        body=proposal.body,
        proposal=proposal,
        kind=kind,
        title=proposal.title,
        text=selectors.current_version(proposal).text,
        language=proposal.language,
        published_at=timezone.now(),
        published_by=actor,
        visibility=proposal.visibility,
    )
    declaration.visible_to_organizations.set(proposal.visible_to_organizations.all())
    audit.record(
        actor=actor,
        action="assemblies.declaration.publish",
        target=declaration,
        changes={"kind": [None, kind]},
    )
    return declaration


def _speaks_for(actor: Any, organization: Organization) -> None:
    if organization.pk not in organization_ids_with_role(actor, MANAGING_ROLES):
        raise AssemblyError(
            _("Only a spokesperson, coordinator or administrator speaks for this organization."),
            "organization",
        )


@transaction.atomic
def endorsement_add(
    *, actor: Any, declaration: Declaration, organization: Organization
) -> Endorsement:
    """An organization signs, by a person holding a role that speaks for it; signing again
    while the signature stands returns it."""
    _speaks_for(actor, organization)
    existing = Endorsement.objects.filter(
        declaration=declaration, organization=organization, withdrawn_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    endorsement = Endorsement.objects.create(
        declaration=declaration,
        organization=organization,
        endorsed_by=actor,
        endorsed_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="assemblies.endorsement.add",
        target=declaration,
        changes={"organization": [None, str(organization)]},
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, actor: Any, endorsement: Endorsement, reason: str = "") -> Endorsement:
    """Withdraw a signature; the row stays, with when and why, for the history."""
    endorsement = (
        Endorsement.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=endorsement.pk)
    )
    _speaks_for(actor, endorsement.organization)
    if endorsement.withdrawn_at is not None:
        raise AssemblyError(_("This endorsement was already withdrawn."), "endorsement")
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_by = actor
    endorsement.withdrawal_reason = reason.strip()
    endorsement.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    audit.record(
        actor=actor,
        action="assemblies.endorsement.withdraw",
        target=endorsement.declaration,
        changes={"organization": [str(endorsement.organization), None]},
        reason=reason,
    )
    return endorsement


# Follow-up of agreements


@transaction.atomic
def result_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    responsible: Organization,
    parent: FollowUpResult | None = None,
    declaration: Declaration | None = None,
    description: str = "",
    starts_on: date | None = None,
    due_on: date | None = None,
    weight: int = 1,
    reminder_days: int = 7,
) -> FollowUpResult:
    if not title.strip():
        raise AssemblyError(_("Give the result a title."), "title")
    if parent is not None and parent.body_id != body.pk:
        raise AssemblyError(_("The parent result belongs to another body."), "parent")
    if declaration is not None and declaration.body_id != body.pk:
        raise AssemblyError(_("The resolution belongs to another body."), "declaration")
    if starts_on and due_on and due_on < starts_on:
        raise AssemblyError(_("A result is due after it starts."), "due_on")
    if weight < 1:
        raise AssemblyError(_("A weight is at least 1."), "weight")
    if not 0 <= reminder_days <= 365:
        raise AssemblyError(_("A reminder comes 0 to 365 days before."), "reminder_days")
    result = FollowUpResult.objects.create(
        body=body,
        title=title.strip(),
        responsible=responsible,
        parent=parent,
        declaration=declaration or (parent.declaration if parent else None),
        description=description,
        starts_on=starts_on,
        due_on=due_on,
        weight=weight,
        reminder_days=reminder_days,
    )
    audit.record(
        actor=actor,
        action="assemblies.result.create",
        target=result,
        changes={"responsible": [None, str(responsible)]},
    )
    return result


@transaction.atomic
def result_update(
    *, actor: Any, result: FollowUpResult, status: str, progress: int | None = None
) -> FollowUpResult:
    """New status, and optionally a progress; without one the status's usual progress shows."""
    if status not in ResultStatus.values:
        raise AssemblyError(_("Unknown status."), "status")
    if progress is not None and not 0 <= progress <= 100:
        raise AssemblyError(_("Progress is a percentage from 0 to 100."), "progress")
    before = {"status": result.status, "progress": result.progress}
    result.status = status
    result.progress = progress
    result.save(update_fields=["status", "progress", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.result.update",
        target=result,
        changes=audit.field_changes(before, {"status": status, "progress": progress}),
    )
    return result


@transaction.atomic
def milestone_add(
    *, actor: Any, result: FollowUpResult, title: str, due_on: date | None = None
) -> Milestone:
    if not title.strip():
        raise AssemblyError(_("Give the milestone a title."), "title")
    milestone = Milestone.objects.create(result=result, title=title.strip(), due_on=due_on)
    audit.record(
        actor=actor,
        action="assemblies.milestone.add",
        target=result,
        changes={"milestone": [None, milestone.title]},
    )
    return milestone


@transaction.atomic
def milestone_reach(
    *,
    actor: Any,
    milestone: Milestone,
    reached_on: date,
    evidence: str = "",
    evidence_url: str = "",
) -> Milestone:
    """Record that a milestone was reached, with evidence (a text, a link, or both)."""
    if not evidence.strip() and not evidence_url.strip():
        raise AssemblyError(_("Give the evidence: a text, a link, or both."), "evidence")
    milestone.reached_on = reached_on
    milestone.evidence = evidence
    milestone.evidence_url = evidence_url.strip()
    try:
        milestone.full_clean(exclude=["result", "recorded_by"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise AssemblyError(" ".join(messages), name) from error
    milestone.recorded_by = actor
    milestone.save()
    audit.record(
        actor=actor,
        action="assemblies.milestone.reach",
        target=milestone.result,
        changes={"milestone": [None, milestone.title], "reached_on": [None, str(reached_on)]},
    )
    return milestone


# Working tables


@transaction.atomic
def working_table_create(
    *,
    actor: Any,
    meeting: Meeting,
    name: str,
    theme: str = "",
    agenda_items: Sequence[AgendaItem] = (),
    rapporteur: Any = None,
) -> WorkingTable:
    """A table of the meeting; its agenda items must be the meeting's own."""
    if not name.strip():
        raise AssemblyError(_("Give the working table a name."), "name")
    if WorkingTable.objects.filter(meeting=meeting, name=name.strip()).exists():
        raise AssemblyError(_("This meeting already has a table with that name."), "name")
    if any(item.meeting_id != meeting.pk for item in agenda_items):
        raise AssemblyError(_("Link only items of this meeting's agenda."), "agenda_items")
    table = WorkingTable.objects.create(meeting=meeting, name=name.strip(), theme=theme.strip())
    table.agenda_items.set(agenda_items)
    audit.record(
        actor=actor,
        action="assemblies.table.create",
        target=table,
        changes={"name": [None, table.name], "agenda_items": [None, len(agenda_items)]},
    )
    if rapporteur is not None:
        working_table_assign_rapporteur(actor=actor, table=table, rapporteur=rapporteur)
    return table


@transaction.atomic
def working_table_assign_rapporteur(
    *, actor: Any, table: WorkingTable, rapporteur: Any
) -> WorkingTable:
    """Name (or change) the person who writes the table's report."""
    if rapporteur is None or not getattr(rapporteur, "is_active", False):
        raise AssemblyError(_("Choose an active person as rapporteur."), "rapporteur")
    table = WorkingTable.objects.select_for_update(of=("self",)).get(pk=table.pk)
    before = table.rapporteur_id
    if before == rapporteur.pk:
        return table
    table.rapporteur = rapporteur
    table.save(update_fields=["rapporteur", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.table.rapporteur",
        target=table,
        changes={"rapporteur": [before, rapporteur.pk]},
    )
    return table


@transaction.atomic
def working_table_report_write(
    *,
    actor: Any,
    table: WorkingTable,
    report: str,
    language: str = "es",
    now: datetime | None = None,
) -> WorkingTable:
    """The rapporteur writes (or rewrites) the table's report, in Markdown."""
    table = WorkingTable.objects.select_for_update(of=("self",)).get(pk=table.pk)
    if not report.strip():
        raise AssemblyError(_("Write the report."), "report")
    if len(language) > 16 or not language.strip():
        raise AssemblyError(_("Give the language of the report."), "language")
    before = len(table.report)
    table.report = report
    table.report_language = language
    table.reported_at = _now(now)
    table.save(update_fields=["report", "report_language", "reported_at", "updated_at"])
    audit.record(
        actor=actor,
        action="assemblies.table.report",
        target=table,
        changes={"report": [before, len(report)]},
    )
    return table


# Translations and supporting documents


@transaction.atomic
def proposal_translation_save(
    *, actor: Any, proposal: Proposal, language: str, text: str, title: str = ""
) -> ProposalTranslation:
    """Translate the proposal's current version into another language (again: replace it)."""
    language = language.strip()
    if not language or len(language) > 16:
        raise AssemblyError(_("Give the language of the translation."), "language")
    if language == proposal.language:
        raise AssemblyError(_("This is the language of the original."), "language")
    if not text.strip():
        raise AssemblyError(_("Write the translated text."), "text")
    version = selectors.current_version(proposal)
    translation = (
        ProposalTranslation.objects.select_for_update(of=("self",))
        .filter(proposal=proposal, language=language)
        .first()
    )
    before = translation.version.number if translation else None
    if translation is None:
        translation = ProposalTranslation(proposal=proposal, language=language)
    translation.text = text
    translation.title = title.strip()[:200]
    translation.version = version
    translation.translator = actor
    translation.save()
    audit.record(
        actor=actor,
        action="assemblies.proposal.translate",
        target=proposal,
        changes={"language": [None, language], "version": [before, version.number]},
    )
    return translation


DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_KINDS = ("pdf", "odt", "docx", "png", "jpg", "jpeg", "webp")


def _zip_names(head: Any) -> set[str]:
    import zipfile

    try:
        with zipfile.ZipFile(head) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()


def _zip_member(upload: Any, name: str) -> bytes:
    import zipfile

    try:
        with zipfile.ZipFile(upload) as archive, archive.open(name) as member:
            data: bytes = member.read(100)
            return data
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return b""


def document_kind(upload: Any) -> str:
    """The kind of an uploaded file, by its extension *and* its first bytes, or a refusal.

    ODT and DOCX are zip archives; their contents say which (ODT's ``mimetype`` member,
    DOCX's ``word/document.xml``), so a renamed archive is refused.
    """
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in DOCUMENT_KINDS:
        raise AssemblyError(
            _("Upload a PDF, ODT or DOCX document, or a PNG, JPEG or WebP image."), "file"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == "pdf":
        ok = head.startswith(b"%PDF-")
    elif extension == "png":
        ok = head.startswith(b"\x89PNG\r\n\x1a\n")
    elif extension in ("jpg", "jpeg"):
        ok = head.startswith(b"\xff\xd8\xff")
    elif extension == "webp":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    elif not head.startswith(b"PK\x03\x04"):
        ok = False
    elif extension == "odt":
        ok = _zip_member(upload, "mimetype").strip() == b"application/vnd.oasis.opendocument.text"
    else:
        ok = "word/document.xml" in _zip_names(upload)
    upload.seek(0)
    if not ok:
        raise AssemblyError(_("The file's contents do not match its extension."), "file")
    return "jpg" if extension == "jpeg" else extension


@transaction.atomic
def proposal_document_add(
    *, actor: Any, proposal: Proposal, upload: Any, title: str = ""
) -> SupportingDocument:
    """Attach a supporting document (≤ 5 MB; checked by extension and by its first bytes)."""
    import uuid as uuid_lib

    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise AssemblyError(_("The file is empty."), "file")
    if size > DOCUMENT_MAX_BYTES:
        raise AssemblyError(_("A document is at most 5 MB."), "file")
    kind = document_kind(upload)
    original = str(upload.name).rsplit("/", 1)[-1][:255]
    document = SupportingDocument(
        proposal=proposal,
        title=(title.strip() or original)[:200],
        original_name=original,
        kind=kind,
        size=size,
        uploaded_by=actor,
    )
    document.file.save(f"{uuid_lib.uuid4().hex}.{kind}", upload, save=False)
    document.save()
    audit.record(
        actor=actor,
        action="assemblies.proposal.document",
        target=proposal,
        changes={"document": [None, document.title], "size": [None, size]},
    )
    return document


# Debate spaces


@transaction.atomic
def debate_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    theme: str = "",
    language: str = "es",
    visibility: str = Visibility.PUBLIC,
) -> DebateSpace:
    """Open a forum of the body on a theme; nothing is voted there."""
    if not title.strip():
        raise AssemblyError(_("Give the debate a title."), "title")
    if visibility not in Visibility.values:
        raise AssemblyError(_("Unknown visibility."), "visibility")
    debate = DebateSpace.objects.create(
        body=body,
        title=title.strip(),
        theme=theme,
        language=language,
        visibility=visibility,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="assemblies.debate.create",
        target=debate,
        changes={"title": [None, debate.title]},
    )
    return debate


@transaction.atomic
def debate_comment_add(
    *,
    actor: Any,
    debate: DebateSpace,
    text: str,
    parent: Comment | None = None,
    language: str = "es",
) -> Comment:
    """Take part in a debate: a comment or a reply in the same debate."""
    if not text.strip():
        raise AssemblyError(_("Write a comment."), "text")
    if parent is not None and parent.debate_id != debate.pk:
        raise AssemblyError(_("You can only reply to a comment in the same debate."), "parent")
    return _comment_create(actor=actor, thread=debate, text=text, parent=parent, language=language)


# Reminders before deadlines

REMINDED_ROLES = ("spokesperson", "coordinator")


def _reminder_recipients(result: FollowUpResult) -> list[Any]:
    roles = (
        Role.objects.current()
        .filter(organization=result.responsible, kind__in=REMINDED_ROLES)
        .select_related("person")
        .order_by("person_id")
    )
    people = {role.person_id: role.person for role in roles}
    return [person for person in people.values() if person.is_active and person.email]


def _send_reminder(result: FollowUpResult, person: Any, due: date, days_left: int) -> None:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("Reminder: “%(title)s” is due on %(date)s") % {
            "title": result.title,
            "date": formats.date_format(due, "DATE_FORMAT"),
        }
        body = _(
            "Hello %(name)s,\n\n%(organization)s is responsible for “%(title)s” (%(body)s), "
            "due in %(days)s day(s), on %(date)s. Its status is: %(status)s.\n\n"
            "Report its progress here: %(url)s\n"
        ) % {
            "name": person.display_name or person.username,
            "organization": result.responsible.name,
            "title": result.title,
            "body": result.body.name,
            "days": days_left,
            "date": formats.date_format(due, "DATE_FORMAT"),
            "status": result.get_status_display(),
            "url": settings.SITE_URL + result.get_absolute_url(),
        }
    send_mail(subject, body, None, [person.email])


def result_reminders_send(*, today: date | None = None) -> int:
    """Email the responsible organization's spokespeople and coordinators about results due
    within their reminder window; once per result and due date. Returns how many results
    were reminded.

    Each result is its own transaction: the row that records the reminder is written first
    (its unique constraint stops a second run or a parallel worker), and a failing mail
    server rolls it back so the next run tries again.
    """
    day = today or timezone.localdate()
    candidates = (
        FollowUpResult.objects.filter(due_on__isnull=False, due_on__gte=day)
        .exclude(status__in=[ResultStatus.DONE, ResultStatus.DROPPED])
        .exclude(reminders__due_on=F("due_on"))
        .select_related("responsible", "body")
        .order_by("due_on", "id")
    )
    sent = 0
    for result in candidates:
        if result.due_on is None:  # filtered above; for the type checker
            continue
        days_left = (result.due_on - day).days
        if days_left > result.reminder_days:
            continue
        people = _reminder_recipients(result)
        try:
            with transaction.atomic():
                ResultReminder.objects.create(
                    result=result,
                    due_on=result.due_on,
                    sent_at=timezone.now(),
                    recipients=len(people),
                )
                for person in people:
                    _send_reminder(result, person, result.due_on, days_left)
                audit.record(
                    actor=None,
                    action="assemblies.result.remind",
                    target=result,
                    changes={
                        "due_on": [None, str(result.due_on)],
                        "recipients": [None, len(people)],
                    },
                )
        except IntegrityError:
            continue  # another run reminded it meanwhile
        sent += 1
    return sent
