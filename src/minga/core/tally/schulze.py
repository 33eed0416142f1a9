"""The Schulze method: a Condorcet method ranking candidates by strongest beatpaths.

This module may import only the standard library.

Link strength is measured by winning votes: the link x->y has strength d[x][y] when more
voters prefer x to y than y to x, and zero otherwise. A ranked candidate is preferred to
every candidate the ballot leaves unranked; unranked candidates are tied with each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from minga.core.tally.ballots import RankedBallots, Weight, counted_rankings
from minga.core.tally.results import Round, SchulzeDetails, TallyResult
from minga.core.tally.tiebreak import name_order_key


def pairwise_preferences(
    count: int, rankings: Sequence[tuple[int, ...]], weights: Sequence[Weight]
) -> list[list[Weight]]:
    """d[x][y]: the weight of ballots preferring x to y."""
    preferences: list[list[Weight]] = [[0] * count for _ in range(count)]
    # A candidate at position i beats everyone not ranked at or above i. Crediting "beats
    # everyone" once per candidate and taking back the few ranked above costs O(len^2)
    # per ranking rather than O(candidates^2).
    beats_everyone: list[Weight] = [0] * count
    for ranking, weight in zip(rankings, weights, strict=True):
        for position, candidate in enumerate(ranking):
            beats_everyone[candidate] += weight
            row = preferences[candidate]
            for above in ranking[: position + 1]:
                row[above] -= weight
    for candidate in range(count):
        row = preferences[candidate]
        for other in range(count):
            row[other] = 0 if other == candidate else row[other] + beats_everyone[candidate]
    return preferences


def strongest_paths(preferences: Sequence[Sequence[Weight]]) -> list[list[Weight]]:
    """p[x][y]: the strength of the strongest path from x to y (widest-path Floyd-Warshall)."""
    count = len(preferences)
    paths: list[list[Weight]] = [
        [
            preferences[x][y] if x != y and preferences[x][y] > preferences[y][x] else 0
            for y in range(count)
        ]
        for x in range(count)
    ]
    for via in range(count):
        through = paths[via]
        for source in range(count):
            if source == via:
                continue
            row = paths[source]
            to_via = row[via]
            if not to_via:
                continue
            for target in range(count):
                if target in (source, via):
                    continue
                candidate_strength = min(to_via, through[target])
                if candidate_strength > row[target]:
                    row[target] = candidate_strength
    return paths


def schulze(candidates: Sequence[str], ballots: RankedBallots, seats: int = 1) -> TallyResult:
    """Rank all candidates by Schulze's beatpath relation; the first `seats` are the winners.

    x ranks above y when p[x][y] > p[y][x]; that relation is transitive, so repeatedly
    taking a candidate unbeaten among those left yields a full ranking. Several unbeaten
    candidates are ordered by name (see `tiebreak`).
    """
    names = tuple(candidates)
    if not names:
        raise ValueError("Schulze needs at least one candidate")
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    rankings, weights = counted_rankings(names, ballots)
    count = len(names)
    preferences = pairwise_preferences(count, rankings, weights)
    paths = strongest_paths(preferences)

    remaining = list(range(count))
    ranking: list[int] = []
    rounds: list[Round] = []
    tie_breaks: list[str] = []
    while remaining:
        wins = {
            x: sum(1 for y in remaining if y != x and paths[x][y] > paths[y][x]) for x in remaining
        }
        unbeaten = [x for x in remaining if not any(paths[y][x] > paths[x][y] for y in remaining)]
        chosen = min(unbeaten, key=lambda index: name_order_key(names[index]))
        note = ""
        if len(unbeaten) > 1:
            listed = ", ".join(names[index] for index in unbeaten)
            note = f"ranking: tie between {listed} broken by name order, choosing {names[chosen]}"
            tie_breaks.append(note)
        rounds.append(
            Round(
                len(rounds) + 1,
                {names[x]: Fraction(wins[x]) for x in remaining},
                elected=(names[chosen],),
                note=note or "unbeaten by strongest paths among the candidates left",
            )
        )
        ranking.append(chosen)
        remaining.remove(chosen)

    def as_matrix(matrix: Sequence[Sequence[Weight]]) -> dict[str, dict[str, Fraction]]:
        return {
            names[x]: {names[y]: Fraction(matrix[x][y]) for y in range(count) if y != x}
            for x in range(count)
        }

    return TallyResult(
        method="schulze",
        winners=tuple(names[index] for index in ranking[:seats]),
        rounds=tuple(rounds),
        candidates=names,
        seats=seats,
        valid_votes=Fraction(sum(weights, 0)),
        ranking=tuple(names[index] for index in ranking),
        tie_breaks=tuple(tie_breaks),
        schulze=SchulzeDetails(pairwise=as_matrix(preferences), strongest_paths=as_matrix(paths)),
    )
