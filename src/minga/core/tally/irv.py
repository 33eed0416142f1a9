"""Instant-runoff voting: eliminate the weakest candidate until one holds a majority.

This module may import only the standard library and `minga.core.tally` (the piles may use
numpy).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from minga.core.tally.ballots import RankedBallots, Weight
from minga.core.tally.piles import piles_for
from minga.core.tally.results import Round, TallyResult
from minga.core.tally.tiebreak import break_tie


def irv(candidates: Sequence[str], ballots: RankedBallots) -> TallyResult:
    """Count a single-winner instant runoff.

    A candidate holding more than half of the votes still on continuing candidates wins;
    otherwise the candidate with the fewest votes is eliminated (ties: see `tiebreak`) and
    each of their ballots moves whole to its next continuing preference, or is exhausted.
    """
    names = tuple(candidates)
    if not names:
        raise ValueError("instant runoff needs at least one candidate")
    count = len(names)
    continuing = [True] * count
    # Each candidate's pile holds the ballots currently sitting with them, so an
    # elimination touches only that candidate's ballots instead of recounting everything.
    piles, valid = piles_for(names, ballots, 1)
    tallies: list[Weight] = list(piles.first_totals)
    valid_votes = Fraction(valid)

    history: list[list[Weight]] = []
    rounds: list[Round] = []
    tie_breaks: list[str] = []
    while True:
        standing = [index for index in range(count) if continuing[index]]
        snapshot = {names[index]: Fraction(tallies[index]) for index in standing}
        active_votes = sum((tallies[index] for index in standing), 0)
        leader_votes = max(tallies[index] for index in standing)
        if 2 * leader_votes > active_votes or len(standing) == 1:
            winner = next(index for index in standing if tallies[index] == leader_votes)
            note = (
                "last continuing candidate"
                if len(standing) == 1
                else "majority of the votes on continuing candidates"
            )
            rounds.append(Round(len(rounds) + 1, snapshot, elected=(names[winner],), note=note))
            break
        fewest = min(tallies[index] for index in standing)
        tied = [index for index in standing if tallies[index] == fewest]
        loser, tie_note = break_tie(tied, history, names, lowest=True, purpose="elimination")
        if tie_note:
            tie_breaks.append(tie_note)
        history.append(list(tallies))
        continuing[loser] = False
        moved, exhausted = piles.move(loser, continuing)
        tallies[loser] = 0
        for receiver, amount in moved.items():
            tallies[receiver] += amount
        rounds.append(
            Round(
                len(rounds) + 1,
                snapshot,
                eliminated=(names[loser],),
                transferred_from=names[loser],
                transfers={names[index]: Fraction(amount) for index, amount in moved.items()},
                exhausted=Fraction(exhausted),
                note=tie_note,
            )
        )

    return TallyResult(
        method="irv",
        winners=(names[winner],),
        rounds=tuple(rounds),
        candidates=names,
        seats=1,
        valid_votes=valid_votes,
        tie_breaks=tuple(tie_breaks),
    )
