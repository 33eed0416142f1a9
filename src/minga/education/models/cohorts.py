"""Cohorts (one run of a course), their sessions, and who enrols in them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from ..types import Admission, Endorsement, EnrolmentStatus


class Cohort(IdentifiedModel):
    course = models.ForeignKey("education.Course", on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    waitlist_size = models.PositiveIntegerField(_("wait-list places"), default=0)
    admission = models.CharField(
        _("admission"), max_length=16, choices=Admission.choices, default=Admission.REVIEW
    )
    enrolment_opens_on = models.DateField(_("applications open"))
    enrolment_closes_on = models.DateField(_("applications close"))
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), related_name="teaching_cohorts"
    )

    canonical_path_prefix: ClassVar[str] = "education/cohorts"

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="edu_cohort_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment_closes_on__gte=models.F("enrolment_opens_on")),
                name="edu_cohort_window",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("education:cohort", kwargs={"uuid": self.uuid})


class Session(IdentifiedModel):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    place = models.CharField(_("place"), max_length=300, blank=True)
    checkin_code = models.CharField(_("check-in code"), max_length=8, blank=True)
    checkin_until = models.DateTimeField(_("check-in open until"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="edu_session_times"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.cohort} {self.starts_at:%Y-%m-%d}"


class Enrolment(IdentifiedModel):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    on_behalf_of = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    endorsement = models.CharField(
        _("endorsement"), max_length=16, choices=Endorsement.choices, blank=True, default=""
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default="applied"
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    final_assessment_passed = models.BooleanField(_("final assessment passed"), default=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="edu_enrol_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.cohort}"

    @property
    def is_accepted(self) -> bool:
        return self.status == EnrolmentStatus.ACCEPTED
