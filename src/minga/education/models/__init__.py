from .attendance import AttendanceRecord
from .certificates import Certificate
from .cohorts import Cohort, Enrolment, Session
from .lessons import CourseModule, Lesson, LessonAudio, LessonMaterial, Topic
from .schools import Course, CourseTranslation, School

__all__ = [
    "AttendanceRecord",
    "Certificate",
    "Cohort",
    "Course",
    "CourseModule",
    "CourseTranslation",
    "Enrolment",
    "Lesson",
    "LessonAudio",
    "LessonMaterial",
    "School",
    "Session",
    "Topic",
]
