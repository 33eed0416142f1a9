from .assignments import Assignment, CohortDueDate, Submission
from .attendance import AttendanceRecord
from .certificates import Certificate
from .cohorts import Cohort, Enrolment, Session
from .lessons import CourseModule, Lesson, LessonAudio, LessonMaterial, Topic
from .schools import Course, CourseTranslation, School

__all__ = [
    "Assignment",
    "AttendanceRecord",
    "Certificate",
    "Cohort",
    "CohortDueDate",
    "Course",
    "CourseModule",
    "CourseTranslation",
    "Enrolment",
    "Lesson",
    "LessonAudio",
    "LessonMaterial",
    "School",
    "Session",
    "Submission",
    "Topic",
]
