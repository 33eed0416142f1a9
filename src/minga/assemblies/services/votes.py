"""Votes: creation, ballots (open and secret), counting with the tally core, closing, BLT export."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.core import tally as core

from .. import selectors
from ..models import (
    Amendment,
    AmendmentStatus,
    BodyMembership,
    DecisionKind,
    Meeting,
    OpenBallot,
    Proposal,
    ProposalStatus,
    QuorumBasis,
    SecretBallot,
    Tally,
    Vote,
    VoteParticipation,
    VotingMethod,
)
from ..models.bodies import BLANK_METHODS, PROPOSAL_METHODS
from ..outcomes import is_blank
from .amendments import _merge
from .base import _now, _storable
from .meetings import _seat_for
from .proposals import _settle

if TYPE_CHECKING:
    from minga.registry.models import Body

# Votes


DEFAULT_OPTIONS = ["yes", "no", "abstain"]


def _default_options(rules: Any) -> list[str]:
    """Yes, no, and abstain where the body's rules allow abstention."""
    return DEFAULT_OPTIONS if rules.abstention_allowed else DEFAULT_OPTIONS[:2]


@guarded("assemblies.body.manage", on="body")
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
        raise DomainError(
            _("This body has no rules of operation yet."), "body", code="body_without_rules"
        )
    if method not in rules.allowed_methods:
        raise DomainError(
            _("This body's rules do not allow that voting method."),
            "method",
            code="method_not_allowed",
        )
    if closes_at <= opens_at:
        raise DomainError(
            _("A vote closes after it opens."), "closes_at", code="vote_closes_before_opening"
        )
    proposal, amendment = _subject_of_vote(body, method, proposal, amendment)
    names = _vote_choices(rules, method, choices, proposal)
    if not 1 <= seats <= max(1, len(names)):
        raise DomainError(
            _("There are more seats than candidates."), "seats", code="more_seats_than_candidates"
        )
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
        action=AssembliesEvent.VOTE_CREATE,
        target=vote,
        changes={
            "method": [None, method],
            "secret": [None, secret],
            "rules_version": [None, rules.version],
        },
    )
    return vote


def _subject_of_vote(
    body: Body, method: str, proposal: Proposal | None, amendment: Amendment | None
) -> tuple[Proposal | None, Amendment | None]:
    """The proposal (and amendment) a vote decides, read again and checked; none for an
    election."""
    if amendment is not None:
        amendment = Amendment.objects.select_related("proposal").get(pk=amendment.pk)
        proposal = amendment.proposal
        if amendment.status != AmendmentStatus.TO_VOTE:
            raise DomainError(
                _("This amendment was not put to a vote."),
                "amendment",
                code="amendment_not_to_vote",
            )
    elif proposal is not None:
        proposal = Proposal.objects.get(pk=proposal.pk)
    if proposal is None:
        return None, None
    if proposal.body_id != body.pk:
        raise DomainError(
            _("The proposal belongs to another body."),
            "proposal",
            code="proposal_of_another_body",
        )
    if method not in PROPOSAL_METHODS:
        raise DomainError(
            _("A proposal is decided by majority or consent."),
            "method",
            code="method_not_for_proposals",
        )
    if amendment is None and proposal.status != ProposalStatus.TO_VOTE:
        raise DomainError(
            _("Only a proposal sent to vote can be voted on."),
            "proposal",
            code="proposal_not_sent_to_vote",
        )
    if proposal.votes.filter(amendment=amendment, closed_at__isnull=True).exists():
        raise DomainError(
            _("A vote on this is already open."), "proposal", code="vote_already_open"
        )
    return proposal, amendment


def _vote_choices(
    rules: Any, method: str, choices: Iterable[str], proposal: Proposal | None
) -> list[str]:
    """The options or candidates of a vote: the rules' options for a proposal, none for
    consent, else the given names (at least two, distinct, without quotes)."""
    names = [name.strip() for name in choices if name.strip()]
    if proposal is not None:
        return [] if method == VotingMethod.CONSENT else _default_options(rules)
    if method in PROPOSAL_METHODS and method != VotingMethod.CONSENT:
        names = names or _default_options(rules)
    if method != VotingMethod.CONSENT and len(names) < 2:
        raise DomainError(
            _("Give at least two options or candidates."), "choices", code="too_few_choices"
        )
    if len(set(names)) != len(names) or any('"' in name for name in names):
        raise DomainError(
            _("Options must be distinct and without quotes."),
            "choices",
            code="choices_not_distinct",
        )
    return names


BALLOT_FIELDS: dict[str, tuple[str, ...]] = {
    VotingMethod.MAJORITY: ("option",),
    VotingMethod.QUALIFIED: ("option",),
    VotingMethod.CONSENT: ("position", "reason"),
    VotingMethod.APPROVAL: ("approved",),
    VotingMethod.SCORE: ("scores",),
    VotingMethod.IRV: ("ranking",),
    VotingMethod.STV: ("ranking",),
    VotingMethod.SCHULZE: ("ranking",),
}
"""What a ballot of each method holds (besides ``blank``)."""

MAX_SCORE = 10
MAX_REASON_LENGTH = 2000


def _shown(value: Any, limit: int = 40) -> str:
    """A value the voter sent, short enough to quote back in a refusal."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty_ballot(vote: Vote, field_name: str) -> DomainError:
    allowed = vote.method in BLANK_METHODS and vote.rules.abstention_allowed
    if vote.method == VotingMethod.APPROVAL:
        message = (
            _("Approve at least one candidate, or cast a blank ballot.")
            if allowed
            else _("Approve at least one candidate.")
        )
    elif vote.method == VotingMethod.SCORE:
        message = (
            _("Score at least one candidate, or cast a blank ballot.")
            if allowed
            else _("Score at least one candidate.")
        )
    else:
        message = (
            _("Rank at least one candidate, or cast a blank ballot.")
            if allowed
            else _("Rank at least one candidate.")
        )
    return DomainError(message, field_name, code="ballot_empty")


def _candidate(names: list[str], name: Any, field_name: str) -> str:
    if not isinstance(name, str) or name not in names:
        raise DomainError(
            _("“%(name)s” is not a candidate on this ballot.") % {"name": _shown(name)},
            field_name,
            code="not_a_candidate",
        )
    return name


def _clean_contents(vote: Vote, contents: Any) -> dict[str, Any]:
    """A ballot's contents in the one shape each method stores, or a refusal saying exactly
    which field or candidate is wrong and why.

    A blank ballot (``{"blank": true}``) is accepted only for the methods that have no option
    for it and only where the body's rules allow abstention; it is stored as blank, takes
    part in the quorum and counts for nobody.
    """
    names = list(vote.choices)
    method = vote.method
    if not isinstance(contents, dict):
        raise DomainError(_("The ballot is not readable."), "contents", code="ballot_unreadable")
    fields = BALLOT_FIELDS[method]
    unknown = sorted(str(key) for key in contents if key not in (*fields, "blank"))
    if unknown:
        raise DomainError(
            _("A ballot of this vote has no field “%(field)s”.") % {"field": _shown(unknown[0])},
            "contents",
            code="unknown_ballot_field",
        )
    blank = contents.get("blank", False)
    if blank is not True and blank is not False:
        raise DomainError(
            _("Say true or false for a blank ballot."), "blank", code="blank_not_boolean"
        )
    if blank:
        return _clean_blank(vote, contents, fields)
    if method in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        return _clean_option(names, contents)
    if method == VotingMethod.CONSENT:
        return _clean_consent(contents)
    if method == VotingMethod.APPROVAL:
        return _clean_approval(vote, names, contents)
    if method == VotingMethod.SCORE:
        return _clean_scores(vote, names, contents)
    return _clean_ranking(vote, names, contents)


def _clean_blank(vote: Vote, contents: dict[str, Any], fields: Any) -> dict[str, Any]:
    if vote.method not in BLANK_METHODS:
        raise DomainError(
            _("A ballot of this vote cannot be blank: choose an option or a position."),
            "blank",
            code="blank_not_allowed_for_method",
        )
    if not vote.rules.abstention_allowed:
        raise DomainError(
            _("This body's rules do not allow blank ballots."),
            "blank",
            code="blank_not_allowed_by_rules",
        )
    if any(contents.get(name) not in (None, "", [], {}) for name in fields):
        raise DomainError(
            _("A blank ballot chooses nothing: clear your choices, or do not vote blank."),
            "blank",
            code="blank_with_choices",
        )
    return {"blank": True}


def _clean_option(names: list[str], contents: dict[str, Any]) -> dict[str, Any]:
    option = contents.get("option")
    if option in (None, ""):
        raise DomainError(_("Choose one of the options."), "option", code="option_missing")
    if not isinstance(option, str) or option not in names:
        raise DomainError(
            _("“%(option)s” is not one of the options of this vote.") % {"option": _shown(option)},
            "option",
            code="unknown_option",
        )
    return {"option": option}


def _clean_consent(contents: dict[str, Any]) -> dict[str, Any]:
    position = contents.get("position")
    if position in (None, ""):
        raise DomainError(_("Choose a position."), "position", code="position_missing")
    if not isinstance(position, str) or position not in core.ballots.CONSENT_POSITIONS:
        raise DomainError(
            _("“%(position)s” is not a position of consent decision-making.")
            % {"position": _shown(position)},
            "position",
            code="unknown_position",
        )
    reason = contents.get("reason")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise DomainError(_("Write the reason as text."), "reason", code="reason_not_text")
    reason = _storable(reason.strip(), "reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(
            _("A reason is at most %(count)d characters.") % {"count": MAX_REASON_LENGTH},
            "reason",
            code="reason_too_long",
        )
    if position in ("objection", "block") and not reason:
        raise DomainError(
            _("An objection or a block needs a reason."), "reason", code="reason_missing"
        )
    return {"position": position, "reason": reason}


def _clean_approval(vote: Vote, names: list[str], contents: dict[str, Any]) -> dict[str, Any]:
    approved = contents.get("approved")
    if approved is None:
        approved = []
    if not isinstance(approved, list):
        raise DomainError(
            _("List the candidates you approve."), "approved", code="approved_unreadable"
        )
    seen: set[str] = set()
    for name in approved:
        _candidate(names, name, "approved")
        if name in seen:
            raise DomainError(
                _("“%(name)s” is approved more than once.") % {"name": name},
                "approved",
                code="approved_twice",
            )
        seen.add(name)
    if not seen:
        raise _empty_ballot(vote, "approved")
    return {"approved": sorted(seen)}


def _clean_scores(vote: Vote, names: list[str], contents: dict[str, Any]) -> dict[str, Any]:
    scores = contents.get("scores")
    if scores is None:
        scores = {}
    if not isinstance(scores, dict):
        raise DomainError(
            _("Give the scores as pairs of a candidate and a whole number."),
            "scores",
            code="scores_unreadable",
        )
    cleaned: dict[str, int] = {}
    for name, value in scores.items():
        _candidate(names, name, "scores")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SCORE:
            raise DomainError(
                _("The score of “%(name)s” must be a whole number from 0 to %(max)d.")
                % {"name": name, "max": MAX_SCORE},
                "scores",
                code="score_out_of_range",
            )
        cleaned[name] = value
    if not cleaned:
        raise _empty_ballot(vote, "scores")
    return {"scores": cleaned}


def _clean_ranking(vote: Vote, names: list[str], contents: dict[str, Any]) -> dict[str, Any]:
    ranking = contents.get("ranking")
    if ranking is None:
        ranking = []
    if not isinstance(ranking, list):
        raise DomainError(
            _("Give the ranking as a list of candidates, the one you prefer most first."),
            "ranking",
            code="ranking_unreadable",
        )
    ranked: list[str] = []
    for name in ranking:
        _candidate(names, name, "ranking")
        if name in ranked:
            raise DomainError(
                _("“%(name)s” is ranked more than once; give each candidate one rank.")
                % {"name": name},
                "ranking",
                code="ranked_twice",
            )
        ranked.append(name)
    if not ranked:
        raise _empty_ballot(vote, "ranking")
    return {"ranking": ranked}


@dataclass(frozen=True)
class CastResult:
    """What a voter gets back: for a secret ballot the receipt code, shown only once."""

    receipt: str | None
    replaced: bool
    weight: int


@guarded("assemblies.vote.cast", on="vote")
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
        raise DomainError(_("This vote is not open now."), "vote", code="vote_not_open")
    seat = _seat_for(actor, vote.body, membership)
    cleaned = _clean_contents(vote, contents)
    participation = VoteParticipation.objects.filter(vote=vote, membership=seat).first()
    if vote.secret:
        return _cast_secret(actor, vote, seat, cleaned, participation, receipt)
    ballot = OpenBallot.objects.filter(vote=vote, membership=seat).first()
    if ballot is not None:
        if not vote.changeable:
            raise DomainError(_("This member has already voted."), "vote", code="already_voted")
        before = ballot.contents
        ballot.contents, ballot.cast_by, ballot.cast_at = cleaned, actor, moment
        ballot.save()
        audit.record(
            actor=actor,
            action=AssembliesEvent.BALLOT_CHANGE,
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
        action=AssembliesEvent.BALLOT_CAST,
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
    """A new secret ballot, or (where the rules allow) a change proved by its receipt.

    The voter proves the earlier ballot is theirs with its receipt code; the server keeps
    neither the code nor which ballot it opened, only that this seat changed its vote.
    """
    if participation is not None:
        if participation.via_id is not None:
            raise DomainError(
                _("Your delegate's secret ballot already carried this member's weight."),
                "vote",
                code="weight_already_carried",
            )
        if not vote.changeable:
            raise DomainError(_("This member has already voted."), "vote", code="already_voted")
        if not receipt.strip():
            raise DomainError(
                _("To change a secret ballot, give the receipt code you got when you cast it."),
                "receipt",
                code="receipt_missing",
            )
        ballots = list(SecretBallot.objects.filter(vote=vote))
        digest = selectors.receipt_digest(receipt)
        mine = next((ballot for ballot in ballots if ballot.receipt_hash == digest), None)
        if mine is None:
            raise DomainError(
                _("No ballot of this vote has that receipt code."),
                "receipt",
                code="unknown_receipt",
            )
        mine.contents = cleaned
        _store_in_key_order(vote, ballots)
        audit.record(
            actor=actor,
            action=AssembliesEvent.BALLOT_CHANGE,
            target=vote,
            changes={"secret": [None, True]},
        )
        return CastResult(receipt=receipt.strip(), replaced=True, weight=mine.weight)
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
    ballots = list(SecretBallot.objects.filter(vote=vote))
    ballots.append(
        SecretBallot(
            vote=vote, contents=cleaned, weight=weight, receipt_hash=selectors.receipt_digest(code)
        )
    )
    try:
        with transaction.atomic():
            _store_in_key_order(vote, ballots)
    except IntegrityError as error:  # pragma: no cover - a 144-bit collision
        raise DomainError(_("Please try again."), "vote", code="try_again") from error
    # Only the fact of taking part: nothing about the choice, the weight or the receipt.
    audit.record(
        actor=actor,
        action=AssembliesEvent.BALLOT_CAST,
        target=vote,
        changes={"secret": [None, True]},
    )
    return CastResult(receipt=code, replaced=False, weight=weight)


def _store_in_key_order(vote: Vote, ballots: list[SecretBallot]) -> None:
    """Write the vote's secret ballots again, all together, in the order of their random keys.

    Databases keep rows in the order they were written (SQLite's hidden rowid; PostgreSQL's
    heap, and each row's writing transaction in ``xmin``), which someone reading the files
    could line up with the order of participations. So every secret write (a new ballot or
    a change) deletes the vote's ballots and writes them back in one statement, sorted by
    key: their stored order is then random, and every row carries the same, latest,
    transaction. What a database keeps of the deleted rows until it reuses their space is a
    residual risk, written down in docs/security.md. The vote's row is locked meanwhile.
    """
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
            for ballot in sorted(ballots, key=lambda ballot: ballot.id)
        ]
    )


def _entries(vote: Vote) -> tuple[list[tuple[dict[str, Any], int]], int, int]:
    """(contents, weight) of every ballot (blank ones too), the weight and seats that took part."""
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


def _stored_result(vote: Vote, result: core.TallyResult) -> dict[str, Any]:
    """The count as stored and published. For a secret vote, consent positions keep their
    reason but not their weight (a seat's weight could name it), sorted so their order
    says nothing about who cast them or when."""
    data = result.to_json()
    if vote.secret:
        for key in ("blocks", "objections", "stand_asides"):
            if key in data:
                data[key] = sorted(
                    (
                        {"position": item["position"], "reason": item["reason"]}
                        for item in data[key]
                    ),
                    key=lambda item: (item["position"], item["reason"]),
                )
    return data


def _count(vote: Vote, entries: list[tuple[dict[str, Any], int]]) -> core.TallyResult:
    """Count ballots with the tally core, applying the threshold the rules give the decision.

    Blank ballots take part (in the quorum) but count for nobody.
    """
    entries = [(c, w) for c, w in entries if w and not is_blank(c)]
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
    ranked = _ranked_ballots(entries)
    if method == VotingMethod.IRV:
        return core.irv(names, ranked)
    if method == VotingMethod.STV:
        return core.stv(names, ranked, vote.seats)
    return core.schulze(names, ranked, vote.seats)


def _ranked_ballots(entries: list[tuple[dict[str, Any], int]]) -> list[core.RankedBallot]:
    return [core.RankedBallot(tuple(c["ranking"]), w) for c, w in entries if w]


@guarded("assemblies.vote.manage", on="vote")
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
        raise DomainError(
            _("The vote is still open; it closes at its set time."), "vote", code="vote_still_open"
        )
    entries, weight, seats = _entries(vote)
    blank_weight = sum(w for c, w in entries if is_blank(c))
    members = list(selectors.current_memberships(vote.body))
    total_weight = sum(seat.weight for seat in members)
    rules = vote.rules
    share = (
        Fraction(weight, total_weight or 1)
        if rules.quorum_basis == QuorumBasis.WEIGHT
        else Fraction(seats, len(members) or 1)
    )
    quorum_met = weight > 0 and share >= rules.quorum
    result = _count(vote, entries)
    adopted = bool(result.adopted) and quorum_met if result.adopted is not None else None
    winners = list(result.winners) if quorum_met else []
    tally = Tally.objects.create(
        vote=vote,
        rules=rules,
        rules_version=rules.version,
        result=_stored_result(vote, result),
        winners=winners,
        adopted=adopted,
        quorum_met=quorum_met,
        participating_weight=weight,
        blank_weight=blank_weight,
        total_weight=total_weight,
        counted_at=moment,
    )
    vote.closed_at = moment
    vote.save(update_fields=["closed_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AssembliesEvent.VOTE_CLOSE,
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


@guarded("assemblies.vote.manage", on="vote")
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
        raise DomainError(_("The vote has not opened yet."), "vote", code="vote_not_opened_yet")
    if moment < vote.closes_at:
        before = vote.closes_at
        vote.closes_at = moment
        vote.save(update_fields=["closes_at", "updated_at"])
        audit.record(
            actor=actor,
            action=AssembliesEvent.VOTE_CLOSE_NOW,
            target=vote,
            changes={"closes_at": [before.isoformat(), moment.isoformat()]},
        )
    return vote_close(actor=actor, vote=vote, now=moment)
