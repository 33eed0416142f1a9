"""Single-round methods: simple majority, qualified majority, approval and score voting.

This module may import only the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction

from minga.core.tally.ballots import ApprovalBallot, OptionBallot, ScoreBallot
from minga.core.tally.results import Round, TallyResult
from minga.core.tally.tiebreak import name_order_key

ABSTAIN = "abstain"
"""The option that is recorded but is not a valid vote for or against anything."""


def _option_totals(
    ballots: Iterable[OptionBallot], options: Sequence[str] | None
) -> dict[str, Fraction]:
    totals: dict[str, Fraction] = {name: Fraction(0) for name in options or ()}
    for ballot in ballots:
        if options is not None and ballot.option not in totals:
            raise ValueError(f"{ballot.option!r} is not one of the options {list(options)}")
        totals[ballot.option] = totals.get(ballot.option, Fraction(0)) + ballot.weight
    return totals


def _rank_by_total(totals: dict[str, Fraction]) -> tuple[str, ...]:
    return tuple(sorted(totals, key=lambda name: (-totals[name], name_order_key(name))))


def _is_abstention(option: str) -> bool:
    return option.casefold() == ABSTAIN


def _decide_by_share(
    method: str,
    ballots: Iterable[OptionBallot],
    options: Sequence[str] | None,
    threshold: Fraction,
    strictly_more: bool,
) -> TallyResult:
    totals = _option_totals(ballots, options)
    valid = {name: total for name, total in totals.items() if not _is_abstention(name)}
    valid_votes = sum(valid.values(), Fraction(0))
    needed = threshold * valid_votes
    passing = [
        name
        for name, total in valid.items()
        if valid_votes > 0 and (total > needed if strictly_more else total >= needed)
    ]
    winners = tuple(passing[:1])
    comparison = "more than" if strictly_more else "at least"
    note = (
        f"{winners[0]} has {comparison} {threshold} of {valid_votes} valid votes"
        if winners
        else f"no option has {comparison} {threshold} of {valid_votes} valid votes"
    )
    lowered = {name.casefold() for name in valid}
    adopted = (bool(winners) and winners[0].casefold() == "yes") if "yes" in lowered else None
    return TallyResult(
        method=method,
        winners=winners,
        rounds=(Round(1, totals, elected=winners, note=note),),
        candidates=tuple(totals),
        threshold=threshold,
        valid_votes=valid_votes,
        adopted=adopted,
        ranking=_rank_by_total(valid),
    )


def majority(ballots: Iterable[OptionBallot], options: Sequence[str] | None = None) -> TallyResult:
    """Simple majority: the option with more than half of the valid votes wins.

    Abstentions (option "abstain", any case) are recorded but are not valid votes. With
    options yes/no/abstain, `adopted` says whether "yes" won. No option may win.
    """
    return _decide_by_share("majority", ballots, options, Fraction(1, 2), strictly_more=True)


def qualified(
    ballots: Iterable[OptionBallot], threshold: Fraction, options: Sequence[str] | None = None
) -> TallyResult:
    """Qualified majority: the option with at least `threshold` of the valid votes wins.

    The threshold must lie in (1/2, 1], so that at most one option can reach it.
    Abstentions are not valid votes, as in `majority`.
    """
    if not Fraction(1, 2) < threshold <= 1:
        raise ValueError(
            f"a qualified majority threshold must be above 1/2 and at most 1, got {threshold}"
        )
    return _decide_by_share("qualified", ballots, options, threshold, strictly_more=False)


def _top_seats(
    method: str, totals: dict[str, Fraction], seats: int, valid: Fraction
) -> TallyResult:
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    ranking = _rank_by_total(totals)
    winners = ranking[:seats]
    tie_breaks: tuple[str, ...] = ()
    if len(ranking) > seats and winners and totals[ranking[seats]] == totals[winners[-1]]:
        tied = [name for name in ranking if totals[name] == totals[winners[-1]]]
        tie_breaks = (
            f"last seat: tie between {', '.join(tied)} broken by name order, "
            f"choosing {', '.join(name for name in tied if name in winners)}",
        )
    return TallyResult(
        method=method,
        winners=winners,
        rounds=(Round(1, totals, elected=winners, note="; ".join(tie_breaks)),),
        candidates=tuple(totals),
        seats=seats,
        valid_votes=valid,
        ranking=ranking,
        tie_breaks=tie_breaks,
    )


def approval(
    ballots: Iterable[ApprovalBallot], candidates: Sequence[str] | None = None, seats: int = 1
) -> TallyResult:
    """Approval voting: the `seats` candidates approved by the most weight win."""
    totals: dict[str, Fraction] = {name: Fraction(0) for name in candidates or ()}
    valid = Fraction(0)
    for ballot in ballots:
        valid += ballot.weight
        for name in ballot.approved:
            if candidates is not None and name not in totals:
                raise ValueError(f"ballot approves {name!r}, who is not a candidate")
            totals[name] = totals.get(name, Fraction(0)) + ballot.weight
    return _top_seats("approval", totals, seats, valid)


def score(
    ballots: Iterable[ScoreBallot], candidates: Sequence[str] | None = None, seats: int = 1
) -> TallyResult:
    """Score (range) voting: the `seats` candidates with the highest weighted score sum win.

    A candidate a ballot leaves unscored gets zero from it, so sums and averages over all
    ballots rank alike.
    """
    totals: dict[str, Fraction] = {name: Fraction(0) for name in candidates or ()}
    valid = Fraction(0)
    for ballot in ballots:
        valid += ballot.weight
        for name, points in ballot.scores:
            if candidates is not None and name not in totals:
                raise ValueError(f"ballot scores {name!r}, who is not a candidate")
            totals[name] = totals.get(name, Fraction(0)) + ballot.weight * points
    return _top_seats("score", totals, seats, valid)
