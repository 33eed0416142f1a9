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
from ..models.bodies import BLANK_METHODS, PROPOSAL_METHODS, RANKED_METHODS
from .amendments import _merge
from .base import AssemblyError, _now, _storable
from .meetings import _seat_for
from .proposals import _settle

# Votes


DEFAULT_OPTIONS = ["yes", "no", "abstain"]


def default_options(rules: Any) -> list[str]:
    """Yes, no, and abstain where the body's rules allow abstention."""
    return DEFAULT_OPTIONS if rules.abstention_allowed else DEFAULT_OPTIONS[:2]


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
        names = [] if method == VotingMethod.CONSENT else default_options(rules)
    else:
        if method in PROPOSAL_METHODS and method != VotingMethod.CONSENT:
            names = names or default_options(rules)
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


def shown(value: Any, limit: int = 40) -> str:
    """A value the voter sent, short enough to quote back in a refusal."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty_ballot(vote: Vote, field_name: str) -> AssemblyError:
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
    return AssemblyError(message, field_name)


def _candidate(names: list[str], name: Any, field_name: str) -> str:
    if not isinstance(name, str) or name not in names:
        raise AssemblyError(
            _("“%(name)s” is not a candidate on this ballot.") % {"name": shown(name)}, field_name
        )
    return name


def clean_contents(vote: Vote, contents: Any) -> dict[str, Any]:
    """A ballot's contents in the one shape each method stores, or a refusal saying exactly
    which field or candidate is wrong and why.

    A blank ballot (``{"blank": true}``) is accepted only for the methods that have no option
    for it and only where the body's rules allow abstention; it is stored as blank, takes
    part in the quorum and counts for nobody.
    """
    names = list(vote.choices)
    method = vote.method
    if not isinstance(contents, dict):
        raise AssemblyError(_("The ballot is not readable."), "contents")
    fields = BALLOT_FIELDS[method]
    unknown = sorted(str(key) for key in contents if key not in (*fields, "blank"))
    if unknown:
        raise AssemblyError(
            _("A ballot of this vote has no field “%(field)s”.") % {"field": shown(unknown[0])},
            "contents",
        )
    blank = contents.get("blank", False)
    if blank is not True and blank is not False:
        raise AssemblyError(_("Say true or false for a blank ballot."), "blank")
    if blank:
        if method not in BLANK_METHODS:
            raise AssemblyError(
                _("A ballot of this vote cannot be blank: choose an option or a position."),
                "blank",
            )
        if not vote.rules.abstention_allowed:
            raise AssemblyError(_("This body's rules do not allow blank ballots."), "blank")
        if any(contents.get(name) not in (None, "", [], {}) for name in fields):
            raise AssemblyError(
                _("A blank ballot chooses nothing: clear your choices, or do not vote blank."),
                "blank",
            )
        return {"blank": True}
    if method in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        option = contents.get("option")
        if option in (None, ""):
            raise AssemblyError(_("Choose one of the options."), "option")
        if not isinstance(option, str) or option not in names:
            raise AssemblyError(
                _("“%(option)s” is not one of the options of this vote.")
                % {"option": shown(option)},
                "option",
            )
        return {"option": option}
    if method == VotingMethod.CONSENT:
        position = contents.get("position")
        if position in (None, ""):
            raise AssemblyError(_("Choose a position."), "position")
        if not isinstance(position, str) or position not in core.ballots.CONSENT_POSITIONS:
            raise AssemblyError(
                _("“%(position)s” is not a position of consent decision-making.")
                % {"position": shown(position)},
                "position",
            )
        reason = contents.get("reason")
        if reason is None:
            reason = ""
        if not isinstance(reason, str):
            raise AssemblyError(_("Write the reason as text."), "reason")
        reason = _storable(reason.strip(), "reason")
        if len(reason) > MAX_REASON_LENGTH:
            raise AssemblyError(
                _("A reason is at most %(count)d characters.") % {"count": MAX_REASON_LENGTH},
                "reason",
            )
        if position in ("objection", "block") and not reason:
            raise AssemblyError(_("An objection or a block needs a reason."), "reason")
        return {"position": position, "reason": reason}
    if method == VotingMethod.APPROVAL:
        approved = contents.get("approved")
        if approved is None:
            approved = []
        if not isinstance(approved, list):
            raise AssemblyError(_("List the candidates you approve."), "approved")
        seen: set[str] = set()
        for name in approved:
            _candidate(names, name, "approved")
            if name in seen:
                raise AssemblyError(
                    _("“%(name)s” is approved more than once.") % {"name": name}, "approved"
                )
            seen.add(name)
        if not seen:
            raise _empty_ballot(vote, "approved")
        return {"approved": sorted(seen)}
    if method == VotingMethod.SCORE:
        scores = contents.get("scores")
        if scores is None:
            scores = {}
        if not isinstance(scores, dict):
            raise AssemblyError(
                _("Give the scores as pairs of a candidate and a whole number."), "scores"
            )
        cleaned: dict[str, int] = {}
        for name, value in scores.items():
            _candidate(names, name, "scores")
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SCORE:
                raise AssemblyError(
                    _("The score of “%(name)s” must be a whole number from 0 to %(max)d.")
                    % {"name": name, "max": MAX_SCORE},
                    "scores",
                )
            cleaned[name] = value
        if not cleaned:
            raise _empty_ballot(vote, "scores")
        return {"scores": cleaned}
    ranking = contents.get("ranking")
    if ranking is None:
        ranking = []
    if not isinstance(ranking, list):
        raise AssemblyError(
            _("Give the ranking as a list of candidates, the one you prefer most first."),
            "ranking",
        )
    ranked: list[str] = []
    for name in ranking:
        _candidate(names, name, "ranking")
        if name in ranked:
            raise AssemblyError(
                _("“%(name)s” is ranked more than once; give each candidate one rank.")
                % {"name": name},
                "ranking",
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
    """A new secret ballot, or (where the rules allow) a change proved by its receipt.

    The voter proves the earlier ballot is theirs with its receipt code; the server keeps
    neither the code nor which ballot it opened, only that this seat changed its vote.
    """
    if participation is not None:
        if participation.via_id is not None:
            raise AssemblyError(
                _("Your delegate's secret ballot already carried this member's weight."), "vote"
            )
        if not vote.changeable:
            raise AssemblyError(_("This member has already voted."), "vote")
        if not receipt.strip():
            raise AssemblyError(
                _("To change a secret ballot, give the receipt code you got when you cast it."),
                "receipt",
            )
        ballots = list(SecretBallot.objects.filter(vote=vote))
        digest = selectors.receipt_digest(receipt)
        mine = next((ballot for ballot in ballots if ballot.receipt_hash == digest), None)
        if mine is None:
            raise AssemblyError(_("No ballot of this vote has that receipt code."), "receipt")
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
        raise AssemblyError(_("Please try again."), "vote") from error
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


def is_blank(contents: dict[str, Any]) -> bool:
    return contents.get("blank") is True


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


def count(vote: Vote, entries: list[tuple[dict[str, Any], int]]) -> core.TallyResult:
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
    result = count(vote, entries)
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
    """The closed secret ranked vote as an anonymous election: one ballot per distinct
    ranking, with the total weight of the ballots that chose it (blank ballots left out)."""
    vote.refresh_from_db(fields=["closed_at"])
    if vote.method not in RANKED_METHODS or not vote.secret or vote.closed_at is None:
        raise AssemblyError(_("Only closed secret ranked votes are exported as BLT."), "vote")
    totals: dict[tuple[str, ...], int] = {}
    for contents, weight in SecretBallot.objects.filter(vote=vote).values_list(
        "contents", "weight"
    ):
        if weight and not is_blank(contents):
            ranking = tuple(contents["ranking"])
            totals[ranking] = totals.get(ranking, 0) + weight
    return core.RankedElection(
        candidates=tuple(vote.choices),
        seats=vote.seats,
        ballots=tuple(
            core.RankedBallot(ranking, weight) for ranking, weight in sorted(totals.items())
        ),
        title=vote.title.replace('"', "'").replace("\n", " "),
    )


def write_blt_of(vote: Vote) -> str:
    """The anonymized BLT file of a closed secret ranked vote, as unit ballots.

    Each unit of weight is written as a ballot of its own ("1 2 3 0"), sorted by ranking:
    no line carries the weight of a seat, and the order says nothing about who voted when.
    (How many lines share a ranking is still the weight that chose it, as any recountable
    export must say; the rules' bound on seat weights keeps weights from naming a seat.)
    """
    return _as_unit_ballots(core.write_blt(election_for_blt(vote)))


def _as_unit_ballots(text: str) -> str:
    """Split each grouped ballot line of a BLT file ("3 2 1 0") into unit lines."""
    lines = text.splitlines()
    end = lines.index("0", 1)
    units: list[str] = []
    for line in lines[1:end]:
        weight, *ranking = line.split()
        if weight.startswith("-"):  # withdrawn candidates, not a ballot
            units.append(line)
            continue
        units.extend([" ".join(["1", *ranking])] * int(weight))
    return "\n".join([lines[0], *units, *lines[end:]]) + "\n"
