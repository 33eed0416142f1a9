"""Ballot dataclasses shared by every counting method, and the grouping of identical ballots.

This module may import only the standard library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Weight = int | Fraction
"""A ballot's weight: how many identical papers it stands for (BLT's leading multiplier)."""


def _check_weight(weight: Weight) -> None:
    if isinstance(weight, bool) or not isinstance(weight, int | Fraction):
        raise TypeError(f"ballot weight must be int or Fraction, not {type(weight).__name__}")
    if weight < 0:
        raise ValueError(f"ballot weight must not be negative, got {weight}")


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
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("candidate names must be distinct")
        if self.seats < 1:
            raise ValueError(f"seats must be at least 1, got {self.seats}")
        unknown = self.withdrawn - set(self.candidates)
        if unknown:
            raise ValueError(f"withdrawn candidates are not standing: {sorted(unknown)}")

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
