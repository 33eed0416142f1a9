from .attendance import AttendanceRecord
from .certificates import Certificate
from .cohorts import Cohort, Enrolment, Session
from .schools import Course, School

__all__ = ["AttendanceRecord", "Certificate", "Cohort", "Course", "Enrolment", "School", "Session"]
