"""Completion rules: the attendance share in integers, the other rules, monotonicity."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minga.core.education.completion import CompletionRules, StudentRecord, progress

statuses = st.lists(st.sampled_from(["present", "late", "excused", "absent"]), max_size=40)


def test_three_of_four_sessions_meet_a_rule_of_75_percent() -> None:
    rules = CompletionRules(min_attendance_percent=75)
    met = progress(rules, StudentRecord(attendance=("present", "late", "present", "absent")))
    missed = progress(rules, StudentRecord(attendance=("present", "absent", "present", "absent")))
    assert (met.attendance_met, met.attendance_percent) == (True, 75)
    assert (missed.attendance_met, missed.missing) == (False, ("attendance",))


def test_excused_sessions_leave_the_count() -> None:
    result = progress(
        CompletionRules(min_attendance_percent=100),
        StudentRecord(attendance=("present", "excused", "excused")),
    )
    assert (result.sessions_counted, result.complete) == (1, True)


def test_final_assessment_and_assignments_are_rules_of_their_own() -> None:
    rules = CompletionRules(assignments_to_pass=2, final_assessment=True)
    assert progress(rules, StudentRecord()).missing == ("assignments", "final")
    done = StudentRecord(assignments_passed=2, final_assessment_passed=True)
    assert progress(rules, done).complete


@pytest.mark.parametrize("share", [-1, 101])
def test_a_share_outside_0_to_100_is_refused(share: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        CompletionRules(min_attendance_percent=share)


@given(statuses, st.integers(min_value=0, max_value=100))
def test_the_attendance_rule_agrees_with_exact_fractions(marks: list[str], minimum: int) -> None:
    """Met exactly when attended / counted ≥ minimum / 100 (checked with Fraction)."""
    result = progress(CompletionRules(min_attendance_percent=minimum), StudentRecord(tuple(marks)))
    counted = sum(1 for m in marks if m != "excused")
    attended = sum(1 for m in marks if m in ("present", "late"))
    expected = Fraction(attended, counted) >= Fraction(minimum, 100) if counted else minimum == 0
    assert result.attendance_met is expected
    assert 0 <= result.attendance_percent <= 100


@given(statuses, st.integers(min_value=0, max_value=100))
def test_turning_an_absence_into_a_presence_never_loses_completion(
    marks: list[str], minimum: int
) -> None:
    rules = CompletionRules(min_attendance_percent=minimum)
    before = progress(rules, StudentRecord(tuple(marks)))
    improved = [("present" if m == "absent" else m) for m in marks]
    after = progress(rules, StudentRecord(tuple(improved)))
    assert after.attendance_percent >= before.attendance_percent
    assert after.attendance_met or not before.attendance_met
