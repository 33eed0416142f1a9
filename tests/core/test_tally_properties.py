"""Property-based tests (hypothesis) of the ranked counting methods."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.tally import RankedBallot, irv, schulze, stv

NAMES = ("Ana", "Bo", "Cy", "Di", "Ed", "Flo")


@st.composite
def elections(
    draw: st.DrawFn, complete: bool = False
) -> tuple[tuple[str, ...], list[RankedBallot]]:
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    candidates = NAMES[:count]
    ballots = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        order = draw(st.permutations(candidates))
        length = count if complete else draw(st.integers(min_value=1, max_value=count))
        ballots.append(RankedBallot(tuple(order[:length]), draw(st.integers(1, 4))))
    return candidates, ballots


def first_preferences(ballots: list[RankedBallot]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for ballot in ballots:
        totals[ballot.ranking[0]] = totals.get(ballot.ranking[0], 0) + int(ballot.weight)
    return totals


@given(elections())
def test_irv_elects_a_first_preference_majority_winner(
    election: tuple[tuple[str, ...], list[RankedBallot]],
) -> None:
    """A candidate with more than half of the first preferences wins IRV at once."""
    candidates, ballots = election
    totals = first_preferences(ballots)
    total = sum(totals.values())
    leader = max(totals, key=totals.__getitem__)
    result = irv(candidates, ballots)
    if 2 * totals[leader] > total:
        assert result.winners == (leader,)
        assert len(result.rounds) == 1


@given(elections())
def test_schulze_elects_the_condorcet_winner(
    election: tuple[tuple[str, ...], list[RankedBallot]],
) -> None:
    """A candidate beating every other head to head is the Schulze winner."""
    candidates, ballots = election
    result = schulze(candidates, ballots)
    assert result.schulze is not None
    pairwise = result.schulze.pairwise
    condorcet = [
        x for x in candidates if all(pairwise[x][y] > pairwise[y][x] for y in candidates if y != x)
    ]
    if condorcet:
        assert result.winners == (condorcet[0],)
    assert sorted(result.ranking) == sorted(candidates)


@given(elections(), st.integers(min_value=1, max_value=7))
def test_stv_fills_min_of_seats_and_candidates(
    election: tuple[tuple[str, ...], list[RankedBallot]], seats: int
) -> None:
    """STV elects exactly min(seats, candidates) distinct candidates."""
    candidates, ballots = election
    result = stv(candidates, ballots, seats)
    assert len(result.winners) == min(seats, len(candidates))
    assert len(set(result.winners)) == len(result.winners)


@given(elections(), st.randoms(use_true_random=False), st.integers(min_value=1, max_value=3))
def test_ballot_order_does_not_matter(
    election: tuple[tuple[str, ...], list[RankedBallot]], shuffler: random.Random, seats: int
) -> None:
    """Counting the same ballots in another order gives the identical result."""
    candidates, ballots = election
    shuffled = list(ballots)
    shuffler.shuffle(shuffled)
    assert irv(candidates, ballots) == irv(candidates, shuffled)
    assert stv(candidates, ballots, seats) == stv(candidates, shuffled, seats)
    assert schulze(candidates, ballots) == schulze(candidates, shuffled)


@given(elections(), st.integers(min_value=1, max_value=3))
def test_weights_equal_duplicated_ballots(
    election: tuple[tuple[str, ...], list[RankedBallot]], seats: int
) -> None:
    """A ballot of weight w counts exactly as w copies of weight 1."""
    candidates, ballots = election
    copies = [RankedBallot(ballot.ranking) for ballot in ballots for _ in range(int(ballot.weight))]
    assert irv(candidates, ballots) == irv(candidates, copies)
    assert stv(candidates, ballots, seats) == stv(candidates, copies, seats)
    assert schulze(candidates, ballots) == schulze(candidates, copies)


@settings(max_examples=150)
@given(elections(complete=True))
def test_single_seat_stv_equals_irv_on_complete_rankings(
    election: tuple[tuple[str, ...], list[RankedBallot]],
) -> None:
    """With complete rankings nothing exhausts, so the Droop quota is a plain majority."""
    candidates, ballots = election
    assert stv(candidates, ballots, 1).winners == irv(candidates, ballots).winners


@given(elections(), st.integers(min_value=1, max_value=3))
def test_stv_keeps_every_vote_accounted_for(
    election: tuple[tuple[str, ...], list[RankedBallot]], seats: int
) -> None:
    """At every stage, counts plus exhausted plus truncation losses never exceed the papers."""
    candidates, ballots = election
    result = stv(candidates, ballots, seats)
    exhausted = sum((record.exhausted for record in result.rounds), 0)
    for record in result.rounds:
        assert sum(record.counts.values()) <= result.valid_votes
    assert exhausted <= result.valid_votes
