"""What education writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class EducationEvent(AuditEvent):
    SCHOOL_CREATE = "education.school.create", _("%(actor)s opened the school %(object)s")
    COURSE_CREATE = "education.course.create", _("%(actor)s created the course %(object)s")
    COURSE_UPDATE = "education.course.update", _("%(actor)s changed the course %(object)s")
    TRANSLATION_CHANGE = (
        "education.course.translation",
        _("%(actor)s changed a translation of the course %(object)s"),
    )
    MODULE_CHANGE = (
        "education.module.change",
        _("%(actor)s changed the modules of %(object)s"),
    )
    LESSON_CHANGE = (
        "education.lesson.change",
        _("%(actor)s changed the lessons of %(object)s"),
    )
    COHORT_CREATE = "education.cohort.create", _("%(actor)s opened the cohort %(object)s")
    SESSION_CREATE = "education.session.create", _("%(actor)s scheduled a session of %(object)s")
    SESSION_UPDATE = "education.session.update", _("%(actor)s changed a session of %(object)s")
    SESSION_DELETE = "education.session.delete", _("%(actor)s removed a session of %(object)s")
    ENROLMENT_APPLY = "education.enrolment.apply", _("%(actor)s applied to %(object)s")
    ENROLMENT_DECIDE = (
        "education.enrolment.decide",
        _("%(actor)s answered an application to %(object)s"),
    )
    ENROLMENT_ENDORSE = (
        "education.enrolment.endorse",
        _("%(actor)s answered, for their organization, an application to %(object)s"),
    )
    ENROLMENT_WITHDRAW = "education.enrolment.withdraw", _("%(actor)s left %(object)s")
    ENROLMENT_PROMOTE = (
        "education.enrolment.promote",
        _("%(actor)s moved the first on the wait-list of %(object)s into the cohort"),
    )
    ASSESSMENT_RECORD = (
        "education.assessment.record",
        _("%(actor)s recorded a final assessment in %(object)s"),
    )
    ATTENDANCE_SYNC = (
        "education.attendance.sync",
        _("%(actor)s recorded attendance in %(object)s"),
    )
    CHECKIN_OPEN = (
        "education.checkin.change",
        _("%(actor)s opened or closed the self check-in of a session of %(object)s"),
    )
    CHECK_IN = "education.checkin", _("%(actor)s checked in to a session of %(object)s")
    MARKING_CHANGE = (
        "education.marking.change",
        _("%(actor)s changed the marking scale of %(object)s"),
    )
    ASSIGNMENT_CHANGE = (
        "education.assignment.change",
        _("%(actor)s set an assignment in %(object)s"),
    )
    ASSIGNMENT_UPDATE = (
        "education.assignment.update",
        _("%(actor)s changed an assignment of %(object)s"),
    )
    ASSIGNMENT_DELETE = (
        "education.assignment.delete",
        _("%(actor)s deleted an assignment of %(object)s, with the work sent for it"),
    )
    DUE_DATE_CHANGE = (
        "education.assignment.due",
        _("%(actor)s changed a due date in %(object)s"),
    )
    SUBMISSION_SEND = (
        "education.submission.send",
        _("%(actor)s sent work for an assignment of %(object)s"),
    )
    SUBMISSION_MARK = (
        "education.submission.mark",
        _("%(actor)s marked work in %(object)s"),
    )
    CERTIFICATE_ISSUE = (
        "education.certificate.issue",
        _("%(actor)s issued the certificate %(object)s"),
    )
    CERTIFICATE_REVOKE = (
        "education.certificate.revoke",
        _("%(actor)s revoked the certificate %(object)s"),
    )
