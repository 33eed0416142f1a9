"""Marking scales of a course, stored as data, and what a mark is worth on them.

A course marks its assignments on one scale:

- ``pass_fail``: the teacher says passed or not passed;
- ``points``: a whole number of points from 0 to ``max_points``, passed from ``pass_points``;
- ``rubric``: criteria, each with levels worth points; the mark is one level per criterion,
  its points the sum of the levels chosen, passed from ``pass_points``.

Scales are stored as plain data (:func:`to_data` / :func:`from_data`). A rubric is written on a
page as text, a criterion a line, its levels after bars, each level ending with its points::

    Clarity | Unclear 0 | Clear 2 | Very clear 4
    Sources | None 0 | Some 1 | Many 3

:func:`parse_rubric` reads that text and refuses it with the line and the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PASS_FAIL = "pass_fail"  # noqa: S105 - a kind of scale, not a password
POINTS = "points"
RUBRIC = "rubric"
KINDS = (PASS_FAIL, POINTS, RUBRIC)

MAX_POINTS = 10_000
MAX_CRITERIA = 30
MAX_LEVELS = 10
MAX_NAME = 120


class ScaleError(ValueError):
    """A scale or a mark that cannot be used; ``line`` (1-based, 0 when none) and ``field``
    say where, ``code`` says what (for the API)."""

    def __init__(self, message: str, *, field: str, code: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.line = line


@dataclass(frozen=True)
class Level:
    name: str
    points: int


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> int:
        return max(level.points for level in self.levels)


@dataclass(frozen=True)
class Scale:
    kind: str = PASS_FAIL
    max_points: int = 0
    pass_points: int = 0
    criteria: tuple[Criterion, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ScaleError("unknown kind of scale", field="kind", code="unknown_scale")
        if self.kind == RUBRIC:
            if not self.criteria:
                raise ScaleError("a rubric needs criteria", field="rubric", code="rubric_empty")
            object.__setattr__(self, "max_points", sum(c.max_points for c in self.criteria))
        if self.kind in (POINTS, RUBRIC):
            if not 0 < self.max_points <= MAX_POINTS:
                raise ScaleError(
                    "the most points is between 1 and 10000",
                    field="max_points",
                    code="points_out_of_range",
                )
            if not 0 <= self.pass_points <= self.max_points:
                raise ScaleError(
                    "the pass mark is between 0 and the most points",
                    field="pass_points",
                    code="pass_mark_out_of_range",
                )


@dataclass(frozen=True)
class Mark:
    """What a teacher gave: ``passed`` on pass/fail, ``points`` on points, ``levels`` (the
    index of the level chosen, per criterion in order) on a rubric."""

    passed: bool | None = None
    points: int | None = None
    levels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Result:
    passed: bool
    points: int | None


def evaluate(scale: Scale, mark: Mark) -> Result:
    """The mark's points and whether it passes, or :class:`ScaleError` when it does not fit
    the scale (a missing choice, points out of range, a level that does not exist)."""
    if scale.kind == PASS_FAIL:
        if mark.passed is None:
            raise ScaleError("say passed or not passed", field="passed", code="mark_required")
        return Result(passed=mark.passed, points=None)
    if scale.kind == POINTS:
        if mark.points is None:
            raise ScaleError("give the points", field="points", code="mark_required")
        if not 0 <= mark.points <= scale.max_points:
            raise ScaleError(
                "the points are between 0 and the most points",
                field="points",
                code="points_out_of_range",
            )
        return Result(passed=mark.points >= scale.pass_points, points=mark.points)
    if len(mark.levels) != len(scale.criteria):
        raise ScaleError("choose a level for every criterion", field="levels", code="mark_required")
    points = 0
    for index, (criterion, chosen) in enumerate(zip(scale.criteria, mark.levels, strict=True)):
        if not 0 <= chosen < len(criterion.levels):
            raise ScaleError("no such level", field=f"levels.{index}", code="level_out_of_range")
        points += criterion.levels[chosen].points
    return Result(passed=points >= scale.pass_points, points=points)


# Storage ----------------------------------------------------------------------------------


def to_data(scale: Scale) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": scale.kind}
    if scale.kind == POINTS:
        data.update(max_points=scale.max_points, pass_points=scale.pass_points)
    if scale.kind == RUBRIC:
        data["pass_points"] = scale.pass_points
        data["criteria"] = [
            {"name": c.name, "levels": [[level.name, level.points] for level in c.levels]}
            for c in scale.criteria
        ]
    return data


def from_data(data: dict[str, Any] | None) -> Scale:
    """The scale stored as ``data``; an empty value is pass/fail (the default)."""
    if not data:
        return Scale()
    criteria = tuple(
        Criterion(
            name=str(c["name"]),
            levels=tuple(Level(str(name), int(points)) for name, points in c["levels"]),
        )
        for c in data.get("criteria", ())
    )
    return Scale(
        kind=str(data.get("kind", PASS_FAIL)),
        max_points=int(data.get("max_points", 0)),
        pass_points=int(data.get("pass_points", 0)),
        criteria=criteria,
    )


# The rubric as text -----------------------------------------------------------------------


def _level(text: str, line: int) -> Level:
    words = text.split()
    if len(words) < 2 or not words[-1].isdecimal():
        raise ScaleError(
            f"line {line}: each level is a name followed by its points, like 'Good 3'",
            field="rubric",
            code="rubric_level",
            line=line,
        )
    points = int(words[-1])
    name = " ".join(words[:-1])
    if points > MAX_POINTS or len(name) > MAX_NAME:
        raise ScaleError(
            f"line {line}: a level's name or points are too long",
            field="rubric",
            code="rubric_level",
            line=line,
        )
    return Level(name, points)


def parse_rubric(text: str) -> tuple[Criterion, ...]:
    """Criteria from the text form (a criterion a line: ``name | level points | ...``)."""
    criteria: list[Criterion] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in raw.split("|")]
        name, cells = parts[0], [part for part in parts[1:] if part]
        if not name or len(name) > MAX_NAME:
            raise ScaleError(
                f"line {number}: a criterion begins with its name",
                field="rubric",
                code="rubric_criterion",
                line=number,
            )
        if not 2 <= len(cells) <= MAX_LEVELS:
            raise ScaleError(
                f"line {number}: a criterion has between 2 and {MAX_LEVELS} levels",
                field="rubric",
                code="rubric_levels",
                line=number,
            )
        criteria.append(Criterion(name, tuple(_level(cell, number) for cell in cells)))
        if len(criteria) > MAX_CRITERIA:
            raise ScaleError(
                f"line {number}: at most {MAX_CRITERIA} criteria",
                field="rubric",
                code="rubric_too_long",
                line=number,
            )
    if not criteria:
        raise ScaleError("a rubric needs criteria", field="rubric", code="rubric_empty")
    return tuple(criteria)


def format_rubric(criteria: tuple[Criterion, ...]) -> str:
    """The text form of the criteria (what :func:`parse_rubric` reads back)."""
    return "\n".join(
        " | ".join([c.name, *(f"{level.name} {level.points}" for level in c.levels)])
        for c in criteria
    )
