"""Differential tests against independent implementations from PyPI.

* Instant runoff and Schulze against pref_voting (pinned in requirements/dev.txt).
* Scottish STV against stvpoll 0.5.6 (``pip install stvpoll==0.5.6``), whose
  ``ScottishSTV`` claims the same rules. Reading its source shows three deliberate
  departures from the Order, so the comparison is restricted to where they cannot matter:

  1. it rounds transfer values half-even to 5 places where rule 48(3) truncates; the
     test gives it a truncating rounding function (re-quantized to 20 places first, so
     the last digit of its 28-digit Decimal division cannot tip the truncation);
  2. it elects every candidate over quota at once and transfers their surpluses in one
     batch in which the later surpluses can still reach candidates who passed the quota
     during the batch; rule 49 transfers one surplus per stage. Elections in which our
     count elects two or more candidates at one stage before the end are skipped;
  3. it settles ties it cannot break from earlier rounds at random; elections where
     either count needed a tie-break beyond the earlier stages are skipped.
"""

from __future__ import annotations

import random
from decimal import ROUND_DOWN, Decimal
from typing import Any

import pytest

from minga.core.tally import RankedBallot, TallyResult, irv, schulze, stv

iterative_methods = pytest.importorskip("pref_voting.iterative_methods")
margin_based_methods = pytest.importorskip("pref_voting.margin_based_methods")
profiles = pytest.importorskip("pref_voting.profiles")


def random_election(
    rng: random.Random, complete: bool, max_candidates: int = 6
) -> tuple[list[str], list[RankedBallot]]:
    count = rng.randint(2, max_candidates)
    names = [chr(ord("A") + index) for index in range(count)]
    ballots = []
    for _ in range(rng.randint(1, 12)):
        order = rng.sample(names, count)
        length = count if complete else rng.randint(1, count)
        ballots.append(RankedBallot(tuple(order[:length]), rng.randint(1, 9)))
    return names, ballots


def pref_voting_profile(names: list[str], ballots: list[RankedBallot]) -> Any:
    index = {name: position for position, name in enumerate(names)}
    return profiles.Profile(
        [[index[name] for name in ballot.ranking] for ballot in ballots],
        rcounts=[int(ballot.weight) for ballot in ballots],
    )


def test_irv_winner_is_an_instant_runoff_put_winner() -> None:
    """On 2,000 random complete-ranking elections our IRV winner is one of pref_voting's
    parallel-universe (PUT) IRV winners, and equals it whenever that winner is unique."""
    rng = random.Random(7)
    unique = 0
    for _ in range(2000):
        names, ballots = random_election(rng, complete=True)
        reference = iterative_methods.instant_runoff_put(pref_voting_profile(names, ballots))
        winner = names.index(irv(names, ballots).winners[0])
        assert winner in reference
        if len(reference) == 1:
            unique += 1
            assert [winner] == list(reference)
    assert unique > 1000


def test_schulze_winner_is_a_beat_path_winner() -> None:
    """On 2,000 random complete-ranking elections our Schulze winner is one of
    pref_voting's Beat Path (Schulze) winners, equal to it when that is unique. pref_voting
    measures links by margin; on complete strict rankings margin = 2 x winning votes - n,
    a monotone map, so both strengths give the same strongest-path comparisons."""
    rng = random.Random(11)
    unique = 0
    for _ in range(2000):
        names, ballots = random_election(rng, complete=True)
        reference = margin_based_methods.beat_path_Floyd_Warshall(
            pref_voting_profile(names, ballots)
        )
        result = schulze(names, ballots)
        winner = names.index(result.winners[0])
        assert winner in reference
        unbeaten_first = {
            names.index(name)
            for name in result.ranking
            if result.schulze is not None
            and all(
                result.schulze.strongest_paths[name][other]
                >= result.schulze.strongest_paths[other][name]
                for other in names
                if other != name
            )
        }
        assert unbeaten_first == set(reference)
        if len(reference) == 1:
            unique += 1
    assert unique > 1000


def _truncate(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1e-20")).quantize(Decimal("1e-5"), rounding=ROUND_DOWN)


def _reference_scottish_stv(names: list[str], ballots: list[RankedBallot], seats: int) -> Any:
    scottish_stv = pytest.importorskip("stvpoll.scottish_stv")

    poll = scottish_stv.ScottishSTV(seats=seats, candidates=names, random_in_tiebreaks=True)
    # add_ballot hands self.round to each ballot, so an instance attribute swaps in truncation.
    poll.round = _truncate
    for ballot in ballots:
        poll.add_ballot(ballot.ranking, int(ballot.weight))
    return poll.calculate()


def _comparable(result: TallyResult) -> bool:
    if any("name order" in note for note in result.tie_breaks):
        return False
    return all(len(record.elected) <= 1 for record in result.rounds[:-1])


def test_scottish_stv_agrees_with_stvpoll() -> None:
    """On 2,500 random elections (2-7 candidates, 1-4 seats, truncated rankings) our
    Scottish STV elects the same set as stvpoll's ScottishSTV with truncation, wherever
    the departures listed in the module docstring cannot matter; most elections qualify."""
    pytest.importorskip("stvpoll")
    random.seed(3)  # stvpoll shuffles candidates with the global generator
    rng = random.Random(5)
    compared = 0
    for _ in range(2500):
        names, ballots = random_election(rng, complete=False, max_candidates=7)
        seats = rng.randint(1, min(4, len(names)))
        result = stv(names, ballots, seats)
        if not _comparable(result):
            continue
        reference = _reference_scottish_stv(names, ballots, seats)
        if reference.randomized:
            continue
        compared += 1
        assert set(result.winners) == set(reference), (names, ballots, seats)
    assert compared > 1200
