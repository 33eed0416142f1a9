"""Result dataclasses returned by every counting method, and their plain-JSON form.

This module may import only the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from minga.core.tally.ballots import Weight


@dataclass(frozen=True, slots=True)
class Round:
    """One stage of a count: the standing before its action, and what the action did."""

    number: int
    counts: dict[str, Fraction]
    elected: tuple[str, ...] = ()
    eliminated: tuple[str, ...] = ()
    transferred_from: str | None = None
    transfers: dict[str, Fraction] = field(default_factory=dict)
    exhausted: Fraction = Fraction(0)
    note: str = ""


@dataclass(frozen=True, slots=True)
class SchulzeDetails:
    """Schulze's pairwise preferences d[x][y] and strongest path strengths p[x][y]."""

    pairwise: dict[str, dict[str, Fraction]]
    strongest_paths: dict[str, dict[str, Fraction]]


@dataclass(frozen=True, slots=True)
class ConsentPosition:
    """One recorded objection or block, with who raised it (if known) and why."""

    position: str
    reason: str
    weight: Fraction
    voter: str = ""


@dataclass(frozen=True, slots=True)
class ConsentDetails:
    """What stood in the way of a proposal under consent decision-making."""

    blocks: tuple[ConsentPosition, ...]
    objections: tuple[ConsentPosition, ...]
    stand_asides: tuple[ConsentPosition, ...]


@dataclass(frozen=True, slots=True)
class TallyResult:
    """The outcome of one count: winners in order of election or ranking, and how it went."""

    method: str
    winners: tuple[str, ...]
    rounds: tuple[Round, ...]
    candidates: tuple[str, ...] = ()
    seats: int = 1
    quota: Fraction | None = None
    threshold: Fraction | None = None
    valid_votes: Fraction = Fraction(0)
    adopted: bool | None = None
    ranking: tuple[str, ...] = ()
    tie_breaks: tuple[str, ...] = ()
    schulze: SchulzeDetails | None = None
    consent: ConsentDetails | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; exact numbers become ints, decimal strings or "p/q" strings."""
        data: dict[str, Any] = {
            "method": self.method,
            "winners": list(self.winners),
            "candidates": list(self.candidates),
            "seats": self.seats,
            "valid_votes": json_number(self.valid_votes),
            "rounds": [_round_json(each) for each in self.rounds],
            "tie_breaks": list(self.tie_breaks),
        }
        if self.quota is not None:
            data["quota"] = json_number(self.quota)
        if self.threshold is not None:
            data["threshold"] = json_number(self.threshold)
        if self.adopted is not None:
            data["adopted"] = self.adopted
        if self.ranking:
            data["ranking"] = list(self.ranking)
        if self.schulze is not None:
            data["pairwise"] = _matrix_json(self.schulze.pairwise)
            data["strongest_paths"] = _matrix_json(self.schulze.strongest_paths)
        if self.consent is not None:
            data["blocks"] = [_position_json(each) for each in self.consent.blocks]
            data["objections"] = [_position_json(each) for each in self.consent.objections]
            data["stand_asides"] = [_position_json(each) for each in self.consent.stand_asides]
        return data


def json_number(value: Weight) -> int | str:
    """Render an exact number without losing precision: JSON floats would round it."""
    value = Fraction(value)
    if value.denominator == 1:
        return int(value.numerator)
    denominator = value.denominator
    places = 0
    # A fraction has a finite decimal form exactly when its denominator is 2^a * 5^b.
    while denominator % 10 == 0:
        denominator //= 10
        places += 1
    while denominator % 2 == 0:
        denominator //= 2
        places += 1
    while denominator % 5 == 0:
        denominator //= 5
        places += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    return format_decimal(value, max(places, 1))


def format_decimal(value: Fraction, places: int) -> str:
    """Exact decimal rendering of a fraction whose expansion has at most `places` digits."""
    sign = "-" if value < 0 else ""
    scaled = abs(value) * 10**places
    whole, digits = divmod(int(scaled), 10**places)
    return f"{sign}{whole}.{digits:0{places}d}"


def _round_json(record: Round) -> dict[str, Any]:
    return {
        "number": record.number,
        "counts": {name: json_number(count) for name, count in record.counts.items()},
        "elected": list(record.elected),
        "eliminated": list(record.eliminated),
        "transferred_from": record.transferred_from,
        "transfers": {name: json_number(amount) for name, amount in record.transfers.items()},
        "exhausted": json_number(record.exhausted),
        "note": record.note,
    }


def _matrix_json(matrix: dict[str, dict[str, Fraction]]) -> dict[str, dict[str, int | str]]:
    return {
        row: {col: json_number(value) for col, value in cols.items()}
        for row, cols in matrix.items()
    }


def _position_json(position: ConsentPosition) -> dict[str, Any]:
    return {
        "position": position.position,
        "reason": position.reason,
        "weight": json_number(position.weight),
        "voter": position.voter,
    }
