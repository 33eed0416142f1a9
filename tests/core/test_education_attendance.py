"""Merging marks from several phones: order, repeats and duplicates never change the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minga.core.education.attendance import Mark, resolve, unique_marks

START = datetime(2026, 11, 30, 17, tzinfo=UTC)

marks = st.lists(
    st.builds(
        Mark,
        client_id=st.uuids().map(str),
        session=st.sampled_from(["s1", "s2"]),
        student=st.sampled_from(["a", "b", "c"]),
        status=st.sampled_from(["present", "late", "excused", "absent"]),
        recorded_at=st.integers(min_value=0, max_value=20).map(
            lambda m: START + timedelta(minutes=m)
        ),
        recorded_by=st.sampled_from(["t1", "t2"]),
    ),
    max_size=30,
)


def _answer(found: dict[tuple[str, str], object]) -> dict[tuple[str, str], str]:
    return {key: resolution.current.client_id for key, resolution in found.items()}  # type: ignore[attr-defined]


@given(marks, st.randoms())
def test_any_order_of_arrival_gives_the_same_answer(given_marks: list[Mark], rng: object) -> None:
    shuffled = list(given_marks)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _answer(resolve(given_marks)) == _answer(resolve(shuffled))


@given(marks)
def test_sending_every_mark_twice_changes_nothing(given_marks: list[Mark]) -> None:
    assert _answer(resolve(given_marks + given_marks)) == _answer(resolve(given_marks))
    assert len(unique_marks(given_marks + given_marks)) == len({m.client_id for m in given_marks})


@given(marks)
def test_the_winner_is_the_latest_and_nothing_is_lost(given_marks: list[Mark]) -> None:
    for (session, student), resolution in resolve(given_marks).items():
        group = [
            m for m in unique_marks(given_marks) if (m.session, m.student) == (session, student)
        ]
        assert resolution.current.recorded_at == max(m.recorded_at for m in group)
        assert len(resolution.overridden) == len(group) - 1


def test_a_disagreement_between_two_teachers_is_a_conflict() -> None:
    early = Mark("1", "s", "a", "absent", START, "t1")
    late = Mark("2", "s", "a", "present", START + timedelta(minutes=3), "t2")
    same_teacher = Mark("3", "s", "a", "late", START - timedelta(minutes=3), "t2")
    resolution = resolve([early, late, same_teacher])[("s", "a")]
    assert resolution.current == late
    assert resolution.conflicts == (early,)


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown attendance status"):
        Mark("1", "s", "a", "asleep", START)
