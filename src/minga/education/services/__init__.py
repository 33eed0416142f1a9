"""Writes of education, a module per aggregate."""

from .assignments import (
    AssignmentData,
    MarkingData,
    assignment_create,
    due_date_set,
    marking_set,
    submission_mark,
    submission_send,
)
from .assignments import MarkData as SubmissionMark
from .attendance import (
    MarkData,
    SyncResult,
    attendance_check_in,
    attendance_sync,
    checkin_close,
    checkin_open,
)
from .certificates import (
    certificate_grant,
    certificate_issue,
    certificate_revoke,
    certificates_issue_completed,
)
from .enrolments import (
    assessment_record,
    enrolment_apply,
    enrolment_decide,
    enrolment_endorse,
    enrolment_withdraw,
)
from .lessons import (
    lesson_audio_set,
    lesson_create,
    lesson_move,
    lesson_update,
    material_add_file,
    material_add_library_item,
    material_add_video,
    material_remove,
    module_create,
    module_move,
)
from .schools import CohortData, cohort_create, course_create, school_create, session_create
from .translations import (
    course_translation_prefill,
    course_translation_remove,
    course_translation_review,
    course_translation_save,
)

__all__ = [
    "AssignmentData",
    "CohortData",
    "MarkData",
    "MarkingData",
    "SubmissionMark",
    "SyncResult",
    "assessment_record",
    "assignment_create",
    "attendance_check_in",
    "attendance_sync",
    "certificate_grant",
    "certificate_issue",
    "certificate_revoke",
    "certificates_issue_completed",
    "checkin_close",
    "checkin_open",
    "cohort_create",
    "course_create",
    "course_translation_prefill",
    "course_translation_remove",
    "course_translation_review",
    "course_translation_save",
    "due_date_set",
    "enrolment_apply",
    "enrolment_decide",
    "enrolment_endorse",
    "enrolment_withdraw",
    "lesson_audio_set",
    "lesson_create",
    "lesson_move",
    "lesson_update",
    "marking_set",
    "material_add_file",
    "material_add_library_item",
    "material_add_video",
    "material_remove",
    "module_create",
    "module_move",
    "school_create",
    "session_create",
    "submission_mark",
    "submission_send",
]
