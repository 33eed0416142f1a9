"""Writes of education, a module per aggregate."""

from .attendance import MarkData, SyncResult, attendance_sync
from .certificates import certificate_grant, certificate_issue, certificate_revoke
from .enrolments import (
    assessment_record,
    enrolment_apply,
    enrolment_decide,
    enrolment_withdraw,
)
from .schools import CohortData, cohort_create, course_create, school_create, session_create

__all__ = [
    "CohortData",
    "MarkData",
    "SyncResult",
    "assessment_record",
    "attendance_sync",
    "certificate_grant",
    "certificate_issue",
    "certificate_revoke",
    "cohort_create",
    "course_create",
    "enrolment_apply",
    "enrolment_decide",
    "enrolment_withdraw",
    "school_create",
    "session_create",
]
