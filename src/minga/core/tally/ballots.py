"""Ballot dataclasses shared by every counting method, and the grouping of identical ballots.

This module may import only the standard library and `minga.core.tally.table` (numpy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from minga.core.tally.table import RankingTable

Weight = int | Fraction
"""A ballot's weight: how many identical papers it stands for (BLT's leading multiplier)."""


def _check_weight(weight: Weight) -> None:
    if isinstance(weight, bool) or not isinstance(weight, int | Fraction):
        raise TypeError(f"ballot weight must be int or Fraction, not {type(weight).__name__}")
    if weight < 0:
        raise ValueError(f"ballot weight must not be negative, got {weight}")


def _check_election(candidates: tuple[str, ...], seats: int, withdrawn: frozenset[str]) -> None:
    if len(set(candidates)) != len(candidates):
        raise ValueError("candidate names must be distinct")
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    unknown = withdrawn - set(candidates)
    if unknown:
        raise ValueError(f"withdrawn candidates are not standing: {sorted(unknown)}")


@dataclass(frozen=True, slots=True)
class RankedBallot:
    """A strict ranking of candidate names, most preferred first; unranked names come last."""

    ranking: tuple[str, ...]
    weight: Weight = 1

    def __post_init__(self) -> None:
        _check_weight(self.weight)
        if len(set(self.ranking)) != len(self.ranking):
            raise ValueError(f"a candidate is ranked twice in {self.ranking!r}")


@dataclass(frozen=True, slots=True)
class RankedElection:
    """Everything a ranked count needs, as read from a BLT file or collected from a vote."""

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[RankedBallot, ...]
    withdrawn: frozenset[str] = field(default_factory=frozenset)
    title: str = ""

    def __post_init__(self) -> None:
        _check_election(self.candidates, self.seats, self.withdrawn)

    @property
    def standing(self) -> tuple[str, ...]:
        """The candidates that were not withdrawn, in the election's order."""
        return tuple(name for name in self.candidates if name not in self.withdrawn)

    def counted_ballots(self) -> tuple[RankedBallot, ...]:
        """The ballots with withdrawn candidates struck out, as every method's rules require."""
        if not self.withdrawn:
            return self.ballots
        return tuple(
            RankedBallot(
                tuple(name for name in ballot.ranking if name not in self.withdrawn),
                ballot.weight,
            )
            for ballot in self.ballots
        )


@dataclass(frozen=True, slots=True)
class OptionBallot:
    """One choice among options, e.g. yes / no / abstain."""

    option: str
    weight: Weight = 1

    def __post_init__(self) -> None:
        _check_weight(self.weight)


@dataclass(frozen=True, slots=True)
class ApprovalBallot:
    """The set of candidates a voter approves of."""

    approved: frozenset[str]
    weight: Weight = 1

    def __post_init__(self) -> None:
        _check_weight(self.weight)


@dataclass(frozen=True, slots=True)
class ScoreBallot:
    """Scores given to candidates; a candidate left out scores zero."""

    scores: tuple[tuple[str, Fraction], ...]
    weight: Weight = 1

    def __post_init__(self) -> None:
        _check_weight(self.weight)
        names = [name for name, _ in self.scores]
        if len(set(names)) != len(names):
            raise ValueError("a candidate is scored twice on one ballot")
        for name, score in self.scores:
            if score < 0:
                raise ValueError(f"score for {name!r} must not be negative, got {score}")


CONSENT_POSITIONS = ("consent", "stand_aside", "objection", "block")
"""The positions of consent decision-making, from full support to a veto."""


@dataclass(frozen=True, slots=True)
class ConsentBallot:
    """A member's position on a proposal, with the reason given for it (if any)."""

    position: str
    reason: str = ""
    weight: Weight = 1
    voter: str = ""

    def __post_init__(self) -> None:
        _check_weight(self.weight)
        if self.position not in CONSENT_POSITIONS:
            raise ValueError(
                f"position must be one of {', '.join(CONSENT_POSITIONS)}; got {self.position!r}"
            )


class GroupedRankings:
    """Ranked ballots with identical rankings merged, the form the ranked methods count.

    ``rankings[i]`` lists positions (0-based) among `candidate_count` candidates -- those
    passed to the method that counts it -- most preferred first; ``weights[i]`` is the
    total weight of the papers that ranked exactly that. A BLT file of a million papers
    is read into a `RankingTable` of arrays (`from_table`), which the staged counts count
    as it is; the merged `rankings` and `weights` are then worked out from it only when
    something asks for them. No object is ever made per paper. Immutable.
    """

    __slots__ = ("_merged", "_rankings", "_weights", "candidate_count", "table")

    _rankings: tuple[tuple[int, ...], ...] | None
    _weights: tuple[Weight, ...] | None
    candidate_count: int
    table: RankingTable | None
    """The arrays the rankings were read into, or None when given as tuples."""
    _merged: Callable[[], GroupedRankings] | None

    def __init__(
        self,
        rankings: tuple[tuple[int, ...], ...],
        weights: tuple[Weight, ...],
        candidate_count: int,
    ) -> None:
        if len(rankings) != len(weights):
            raise ValueError("rankings and weights must have the same length")
        # Checked with C-level maps: a million rankings cost a fraction of a second.
        ranked = [ranking for ranking in rankings if ranking]
        if ranked and (min(map(min, ranked)) < 0 or max(map(max, ranked)) >= candidate_count):
            raise ValueError(f"candidate positions must be in 0..{candidate_count - 1}")
        if sum(map(len, ranked)) != sum(map(len, map(set, ranked))):
            raise ValueError("a candidate is ranked twice in one ranking")
        for weight in weights:
            if type(weight) is not int:
                _check_weight(weight)
        if weights and min(weights) < 0:
            raise ValueError("ballot weights must not be negative")
        self._set(rankings, weights, candidate_count, None)

    def _set(
        self,
        rankings: tuple[tuple[int, ...], ...] | None,
        weights: tuple[Weight, ...] | None,
        candidate_count: int,
        table: RankingTable | None,
        merged: Callable[[], GroupedRankings] | None = None,
    ) -> None:
        object.__setattr__(self, "_merged", merged)
        object.__setattr__(self, "_rankings", rankings)
        object.__setattr__(self, "_weights", weights)
        object.__setattr__(self, "candidate_count", candidate_count)
        object.__setattr__(self, "table", table)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"GroupedRankings is immutable; cannot set {name}")

    @classmethod
    def from_checked(
        cls,
        rankings: tuple[tuple[int, ...], ...],
        weights: tuple[Weight, ...],
        candidate_count: int,
    ) -> GroupedRankings:
        """Build without the checks of ``__init__``, for a reader that has made them
        itself while reading (the BLT reader): a second pass over a million rankings
        would cost a good part of a second."""
        grouped = object.__new__(cls)
        grouped._set(rankings, weights, candidate_count, None)
        return grouped

    @classmethod
    def from_table(
        cls, table: RankingTable, merged: Callable[[], GroupedRankings] | None = None
    ) -> GroupedRankings:
        """Rankings held in a table whose rows the caller has checked (candidate numbers
        in range, none twice in a row, weights not negative). `merged`, if given, works
        out the merged rankings when they are asked for (instead of the table's rows
        merged in order of first appearance)."""
        grouped = object.__new__(cls)
        grouped._set(None, None, table.candidate_count, table, merged)
        return grouped

    @property
    def rankings(self) -> tuple[tuple[int, ...], ...]:
        return self._rankings if self._rankings is not None else self._merge()[0]

    @property
    def weights(self) -> tuple[Weight, ...]:
        return self._weights if self._weights is not None else self._merge()[1]

    def _merge(self) -> tuple[tuple[tuple[int, ...], ...], tuple[Weight, ...]]:
        """Merge the table's rows into distinct rankings, once."""
        if self._merged is not None:
            other = self._merged()
            rankings, weights = other.rankings, other.weights
        elif self.table is not None:
            rankings, weights = self.table.grouped()
        else:  # never: rankings are given or a table is
            raise RuntimeError("grouped rankings with neither rankings nor a table")
        object.__setattr__(self, "_rankings", rankings)
        object.__setattr__(self, "_weights", weights)
        return rankings, weights

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupedRankings):
            return NotImplemented
        return (self.rankings, self.weights, self.candidate_count) == (
            other.rankings,
            other.weights,
            other.candidate_count,
        )

    def __hash__(self) -> int:
        return hash((self.rankings, self.weights, self.candidate_count))

    def __repr__(self) -> str:
        return (
            f"GroupedRankings(rankings={self.rankings!r}, weights={self.weights!r}, "
            f"candidate_count={self.candidate_count!r})"
        )

    @classmethod
    def from_ballots(
        cls, candidates: Sequence[str], ballots: Iterable[RankedBallot]
    ) -> GroupedRankings:
        """Group ranked ballots by ranking, as positions in `candidates`."""
        rankings, weights = index_rankings(candidates, aggregate_rankings(ballots))
        return cls(tuple(rankings), tuple(weights), len(candidates))

    def counted(self, candidate_count: int) -> tuple[list[tuple[int, ...]], list[Weight]]:
        """The rankings a count credits (non-empty, with weight) and their weights."""
        if candidate_count != self.candidate_count:
            raise ValueError(
                f"the grouped rankings rank {self.candidate_count} candidates, "
                f"but {candidate_count} are counted"
            )
        if () not in self.rankings and 0 not in self.weights:
            return list(self.rankings), list(self.weights)
        rankings: list[tuple[int, ...]] = []
        weights: list[Weight] = []
        for ranking, weight in zip(self.rankings, self.weights, strict=True):
            if ranking and weight:
                rankings.append(ranking)
                weights.append(weight)
        return rankings, weights


@dataclass(frozen=True, slots=True)
class GroupedElection:
    """A ranked election with identical rankings merged: what a BLT file is read into.

    `groups` holds positions in `candidates`, withdrawn candidates included; `counted`
    strikes the withdrawn out for a count. `election()` gives the `RankedElection` with
    one `RankedBallot` per distinct ranking.
    """

    candidates: tuple[str, ...]
    seats: int
    groups: GroupedRankings
    withdrawn: frozenset[str] = field(default_factory=frozenset)
    title: str = ""

    def __post_init__(self) -> None:
        _check_election(self.candidates, self.seats, self.withdrawn)
        if self.groups.candidate_count != len(self.candidates):
            raise ValueError(
                f"the groups rank {self.groups.candidate_count} candidates, "
                f"not the {len(self.candidates)} of the election"
            )

    @property
    def standing(self) -> tuple[str, ...]:
        """The candidates that were not withdrawn, in the election's order."""
        return tuple(name for name in self.candidates if name not in self.withdrawn)

    def counted(self) -> GroupedRankings:
        """The groups as positions in `standing`, withdrawn candidates struck out.

        Rankings that become equal once the withdrawn are struck out are merged.
        """
        if not self.withdrawn:
            return self.groups
        if self.groups.table is not None:
            # Struck out in the arrays, which the counts count; read as rankings, they are
            # the merged groups struck out and merged again, in that order.
            number = 0
            new_number: list[int] = []
            for name in self.candidates:
                if name not in self.withdrawn:
                    number += 1
                new_number.append(0 if name in self.withdrawn else number)
            return GroupedRankings.from_table(
                self.groups.table.struck(new_number), merged=self._struck_groups
            )
        return self._struck_groups()

    def _struck_groups(self) -> GroupedRankings:
        new_position: dict[int, int] = {}
        for position, name in enumerate(self.candidates):
            if name not in self.withdrawn:
                new_position[position] = len(new_position)
        totals: dict[tuple[int, ...], Weight] = {}
        for ranking, weight in zip(self.groups.rankings, self.groups.weights, strict=True):
            struck = tuple(new_position[index] for index in ranking if index in new_position)
            totals[struck] = totals.get(struck, 0) + weight
        return GroupedRankings.from_checked(
            tuple(totals), tuple(totals.values()), len(new_position)
        )

    def election(self) -> RankedElection:
        """The same election with one `RankedBallot` per distinct ranking."""
        names = self.candidates
        return RankedElection(
            candidates=names,
            seats=self.seats,
            ballots=tuple(
                RankedBallot(tuple(names[index] for index in ranking), weight)
                for ranking, weight in zip(self.groups.rankings, self.groups.weights, strict=True)
            ),
            withdrawn=self.withdrawn,
            title=self.title,
        )


RankedBallots = Iterable[RankedBallot] | GroupedRankings
"""What the ranked methods count: ballots one by one, or already grouped by ranking."""


def counted_rankings(
    candidates: Sequence[str], ballots: RankedBallots
) -> tuple[list[tuple[int, ...]], list[Weight]]:
    """The distinct non-empty rankings (as candidate positions) and their total weights."""
    if isinstance(ballots, GroupedRankings):
        return ballots.counted(len(candidates))
    return index_rankings(candidates, aggregate_rankings(ballots))


def aggregate_rankings(
    ballots: Iterable[RankedBallot],
) -> dict[tuple[str, ...], Weight]:
    """Sum the weights of identical rankings, so a count scales with distinct rankings.

    Zero-weight ballots are dropped; empty rankings are kept (some methods count them).
    """
    totals: dict[tuple[str, ...], Weight] = {}
    for ballot in ballots:
        if ballot.weight:
            totals[ballot.ranking] = totals.get(ballot.ranking, 0) + ballot.weight
    return totals


def index_rankings(
    candidates: Sequence[str], rankings: dict[tuple[str, ...], Weight]
) -> tuple[list[tuple[int, ...]], list[Weight]]:
    """Translate rankings of names into rankings of candidate indices, rejecting unknown names.

    Empty rankings are left out: no ranked method credits them to anyone.
    """
    position = {name: index for index, name in enumerate(candidates)}
    indexed: list[tuple[int, ...]] = []
    weights: list[Weight] = []
    for ranking, weight in rankings.items():
        if not ranking:
            continue
        try:
            indexed.append(tuple(position[name] for name in ranking))
        except KeyError as missing:
            raise ValueError(f"ballot ranks {missing.args[0]!r}, who is not a candidate") from None
        weights.append(weight)
    return indexed, weights
