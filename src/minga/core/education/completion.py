"""Completion rules of a course, stored as data, and a student's progress toward them.

The attendance share counts a session as attended when the student was present or late;
excused sessions leave the count (they are neither attended nor missed); absent ones count
as missed. Shares are compared in integers (``attended * 100 >= minimum * counted``), so a
rule of 75 % is met by 3 of 4 sessions and never missed by a rounding error.
"""

from __future__ import annotations

from dataclasses import dataclass

ATTENDED = frozenset({"present", "late"})
EXCUSED = "excused"


@dataclass(frozen=True)
class CompletionRules:
    min_attendance_percent: int = 0
    assignments_to_pass: int = 0
    final_assessment: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.min_attendance_percent <= 100:
            raise ValueError("min_attendance_percent is a share between 0 and 100")
        if self.assignments_to_pass < 0:
            raise ValueError("assignments_to_pass cannot be negative")


@dataclass(frozen=True)
class StudentRecord:
    """What happened so far: one attendance status per session held, and results."""

    attendance: tuple[str, ...] = ()
    assignments_passed: int = 0
    final_assessment_passed: bool = False


@dataclass(frozen=True)
class Progress:
    sessions_counted: int
    sessions_attended: int
    attendance_percent: int
    attendance_met: bool
    assignments_met: bool
    final_assessment_met: bool
    assignments_passed: int = 0
    assignments_needed: int = 0

    @property
    def complete(self) -> bool:
        return self.attendance_met and self.assignments_met and self.final_assessment_met

    @property
    def missing(self) -> tuple[str, ...]:
        """The rules not met yet, by name: ``attendance``, ``assignments``, ``final``."""
        names = (
            ("attendance", self.attendance_met),
            ("assignments", self.assignments_met),
            ("final", self.final_assessment_met),
        )
        return tuple(name for name, met in names if not met)


def progress(rules: CompletionRules, record: StudentRecord) -> Progress:
    counted = sum(1 for status in record.attendance if status != EXCUSED)
    attended = sum(1 for status in record.attendance if status in ATTENDED)
    percent = (attended * 100) // counted if counted else 0
    if counted:
        attendance_met = attended * 100 >= rules.min_attendance_percent * counted
    else:
        attendance_met = rules.min_attendance_percent == 0
    return Progress(
        sessions_counted=counted,
        sessions_attended=attended,
        attendance_percent=percent,
        attendance_met=attendance_met,
        assignments_met=record.assignments_passed >= rules.assignments_to_pass,
        final_assessment_met=record.final_assessment_passed or not rules.final_assessment,
        assignments_passed=record.assignments_passed,
        assignments_needed=rules.assignments_to_pass,
    )
