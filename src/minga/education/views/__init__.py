"""Pages of education: the catalogue, cohorts and their sheets, certificates."""

from .catalogue import cohort_new, course_detail, course_new, index, school_detail, school_new
from .certificates import (
    certificate_grant,
    certificate_issue,
    certificate_pdf,
    certificate_revoke,
    certificate_signed,
    verify,
    verify_code,
)
from .cohorts import (
    assessment,
    cohort_apply,
    cohort_calendar,
    cohort_detail,
    enrolment_decide,
    enrolment_withdraw,
    my_calendar,
    session_attendance,
    session_new,
)

__all__ = [
    "assessment",
    "certificate_grant",
    "certificate_issue",
    "certificate_pdf",
    "certificate_revoke",
    "certificate_signed",
    "cohort_apply",
    "cohort_calendar",
    "cohort_detail",
    "cohort_new",
    "course_detail",
    "course_new",
    "enrolment_decide",
    "enrolment_withdraw",
    "index",
    "my_calendar",
    "school_detail",
    "school_new",
    "session_attendance",
    "session_new",
    "verify",
    "verify_code",
]
