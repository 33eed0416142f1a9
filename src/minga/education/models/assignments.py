"""Assignments of a course, their due date per cohort, and the students' submissions with
the teachers' marks and feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class Assignment(IdentifiedModel):
    """Work the students of every cohort of the course hand in. It belongs to the course
    (and, if its teachers say so, to one of its modules); the due date is the course's,
    unless a cohort has its own (:class:`CohortDueDate`)."""

    course = models.ForeignKey(
        "education.Course", on_delete=models.CASCADE, related_name="assignments"
    )
    module = models.ForeignKey(
        "education.CourseModule",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True, help_text=_("Markdown."))
    due_at = models.DateTimeField(_("due"))
    accepts_late = models.BooleanField(
        _("late work accepted"),
        default=True,
        help_text=_(
            "Late work is marked as late; if not accepted, it is refused after the due date."
        ),
    )
    is_final = models.BooleanField(
        _("final assessment"),
        default=False,
        help_text=_("Passing it is the course's final assessment."),
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["course", "due_at", "id"]

    def __str__(self) -> str:
        return self.title

    def url_in(self, cohort: models.Model) -> str:
        return reverse(
            "education:assignment",
            kwargs={"uuid": cohort.uuid, "assignment": self.uuid},  # type: ignore[attr-defined]
        )


class CohortDueDate(models.Model):
    """A cohort's own due date for an assignment of its course (its run has other dates)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="due_dates")
    cohort = models.ForeignKey("education.Cohort", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(_("due"))

    class Meta:
        verbose_name = _("due date of a cohort")
        verbose_name_plural = _("due dates of cohorts")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "cohort"], name="edu_due_once")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.cohort_id}: {self.due_at}"


class Submission(IdentifiedModel):
    """A student's work for an assignment: text, a file, or both. One per student and
    assignment, replaced when they send again before it is marked."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="submissions")
    enrolment = models.ForeignKey(
        "education.Enrolment", on_delete=models.PROTECT, related_name="submissions"
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"), upload_to="education/submissions/%Y/%m/", max_length=200, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    mime = models.CharField(_("type"), max_length=80, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    submitted_at = models.DateTimeField(_("sent"))
    is_late = models.BooleanField(_("late"), default=False)
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)
    levels = models.JSONField(_("rubric levels"), default=list, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    mark_told_at = models.DateTimeField(
        _("student told of the mark"),
        null=True,
        blank=True,
        help_text=_("The marking the student was last emailed about (its time)."),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["assignment", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "enrolment"], name="edu_submit_once")
        ]
        indexes = [models.Index(fields=["enrolment", "passed"], name="edu_sub_passed")]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.enrolment_id}"

    def get_absolute_url(self) -> str:
        return reverse("education:submission", kwargs={"uuid": self.uuid})

    @property
    def is_marked(self) -> bool:
        return self.marked_at is not None
