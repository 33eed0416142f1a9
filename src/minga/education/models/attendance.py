"""Attendance marks, as recorded on a teacher's phone (with the phone's own id)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..types import AttendanceStatus


class AttendanceRecord(models.Model):
    """One mark, kept forever; the current status of a student in a session is decided by
    ``minga.core.education.attendance.resolve`` from all the marks about them."""

    client_id = models.UUIDField(_("id made on the phone"), unique=True)
    session = models.ForeignKey(
        "education.Session", on_delete=models.CASCADE, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        "education.Enrolment", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=8, choices=AttendanceStatus.choices)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance mark")
        verbose_name_plural = _("attendance marks")
        ordering = ["session", "enrolment", "recorded_at", "client_id"]
        indexes = [models.Index(fields=["session", "enrolment"], name="edu_att_session")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.enrolment_id}: {self.status}"
