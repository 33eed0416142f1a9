"""Votes: creation, ballots (open and secret), counting with the tally core, closing, BLT export."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.core import tally as core
from minga.registry.models import Body

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
from ..models.bodies import PROPOSAL_METHODS, RANKED_METHODS
from .amendments import _merge
from .base import AssemblyError, _now
from .meetings import _seat_for
from .proposals import _settle

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
        action=AssembliesEvent.VOTE_CREATE,
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
            action=AssembliesEvent.BALLOT_CHANGE,
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
        actor=actor,
        action=AssembliesEvent.BALLOT_CAST,
        target=vote,
        changes={"secret": [None, True]},
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
            action=AssembliesEvent.VOTE_CLOSE_NOW,
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
