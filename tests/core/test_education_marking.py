"""Marking scales: pass/fail, points with a pass mark, rubrics written as text and stored
as data; a mark's points stay within the scale and pass exactly from the pass mark."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from minga.core.education import marking
from minga.core.education.marking import Mark, Scale, ScaleError

names = (
    st.text(alphabet=st.characters(whitelist_categories=("L",)), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
levels = st.lists(
    st.builds(marking.Level, names, st.integers(min_value=0, max_value=50)), min_size=2, max_size=5
).map(tuple)
criteria = st.lists(st.builds(marking.Criterion, names, levels), min_size=1, max_size=6).map(tuple)


def test_a_rubric_is_read_from_its_text_form() -> None:
    read = marking.parse_rubric(
        "Claridad | Confusa 0 | Clara 2 | Muy clara 4\n\nFuentes | Ninguna 0 | Varias 3\n"
    )
    assert [c.name for c in read] == ["Claridad", "Fuentes"]
    assert read[0].levels[2] == marking.Level("Muy clara", 4)
    assert Scale(kind=marking.RUBRIC, pass_points=4, criteria=read).max_points == 7


@pytest.mark.parametrize(
    ("text", "line", "code"),
    [
        ("Claridad | Clara 2 | Muy clara 4\n | Ninguna 0 | Varias 3", 2, "rubric_criterion"),
        ("Claridad | Clara 2", 1, "rubric_levels"),
        ("Claridad | Clara 2 | Muy clara", 1, "rubric_level"),
        ("", 0, "rubric_empty"),
    ],
)
def test_a_wrong_rubric_is_refused_naming_its_line(text: str, line: int, code: str) -> None:
    with pytest.raises(ScaleError) as refused:
        marking.parse_rubric(text)
    assert (refused.value.line, refused.value.code, refused.value.field) == (line, code, "rubric")


def test_points_pass_from_the_pass_mark_and_stay_within_the_scale() -> None:
    scale = Scale(kind=marking.POINTS, max_points=20, pass_points=12)
    assert marking.evaluate(scale, Mark(points=12)) == marking.Result(passed=True, points=12)
    assert marking.evaluate(scale, Mark(points=11)).passed is False
    with pytest.raises(ScaleError) as refused:
        marking.evaluate(scale, Mark(points=21))
    assert refused.value.code == "points_out_of_range"
    with pytest.raises(ScaleError):
        Scale(kind=marking.POINTS, max_points=20, pass_points=21)


def test_pass_fail_needs_a_verdict_and_a_rubric_a_level_per_criterion() -> None:
    with pytest.raises(ScaleError):
        marking.evaluate(Scale(), Mark())
    assert marking.evaluate(Scale(), Mark(passed=False)) == marking.Result(False, None)
    rubric = Scale(
        kind=marking.RUBRIC, pass_points=1, criteria=marking.parse_rubric("A | x 0 | y 1")
    )
    with pytest.raises(ScaleError):
        marking.evaluate(rubric, Mark(levels=()))
    with pytest.raises(ScaleError) as refused:
        marking.evaluate(rubric, Mark(levels=(2,)))
    assert refused.value.field == "levels.0"


@settings(deadline=None)
@given(criteria, st.data())
def test_a_rubric_mark_is_the_sum_of_its_levels_within_zero_and_the_most(
    chosen_criteria: tuple[marking.Criterion, ...], data: st.DataObject
) -> None:
    most = sum(c.max_points for c in chosen_criteria)
    assume(most > 0)
    pass_points = data.draw(st.integers(min_value=0, max_value=most))
    scale = Scale(kind=marking.RUBRIC, pass_points=pass_points, criteria=chosen_criteria)
    chosen = tuple(data.draw(st.integers(0, len(c.levels) - 1)) for c in chosen_criteria)
    result = marking.evaluate(scale, Mark(levels=chosen))
    expected = sum(c.levels[i].points for c, i in zip(chosen_criteria, chosen, strict=True))
    assert result.points == expected
    assert 0 <= expected <= scale.max_points
    assert result.passed is (expected >= pass_points)


@settings(deadline=None)
@given(criteria, st.integers(min_value=0, max_value=10))
def test_a_scale_survives_storage_and_a_rubric_its_text_form(
    chosen_criteria: tuple[marking.Criterion, ...], pass_points: int
) -> None:
    assume(sum(c.max_points for c in chosen_criteria) >= max(pass_points, 1))
    scale = Scale(kind=marking.RUBRIC, pass_points=pass_points, criteria=chosen_criteria)
    assert marking.from_data(marking.to_data(scale)) == scale
    assert marking.parse_rubric(marking.format_rubric(chosen_criteria)) == chosen_criteria
