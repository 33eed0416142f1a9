"""Schools and their courses."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent
from minga.common.translation import Translation
from minga.core.education import marking
from minga.core.education.completion import CompletionRules

from ..types import Level, OnBehalf


class School(IdentifiedModel):
    """A school of an organization (the institute, a commune, a movement). Its coordinators
    are the people who coordinate or administer that organization in the registry."""

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="schools",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=16, default="es")

    canonical_path_prefix: ClassVar[str] = "education/schools"

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("education:school", kwargs={"uuid": self.uuid})


class Course(IdentifiedModel, VisibleContent):
    """A course of a school. A hidden course (visibility: named custodians) is read only by
    its custodians, the school's coordinators and its cohorts' teachers."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language of teaching"), max_length=16, default="es")
    level = models.CharField(
        _("level"), max_length=16, choices=Level.choices, default=Level.INTRODUCTORY
    )
    hours = models.PositiveIntegerField(_("hours"), default=0)
    topics = models.ManyToManyField("education.Topic", verbose_name=_("topics"), blank=True)
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("prerequisites"), symmetrical=False, blank=True
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"), default=75
    )
    final_assessment_required = models.BooleanField(_("final assessment required"), default=False)
    assignments_to_pass = models.PositiveSmallIntegerField(_("assignments to pass"), default=0)
    marking_scale = models.JSONField(
        _("marking scale"),
        default=dict,
        blank=True,
    )
    on_behalf = models.CharField(
        _("applications on behalf of an organization"),
        max_length=16,
        choices=OnBehalf.choices,
        default=OnBehalf.FREE,
    )

    canonical_path_prefix: ClassVar[str] = "education/courses"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100), name="edu_course_share"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:course", kwargs={"uuid": self.uuid})

    @property
    def completion_rules(self) -> CompletionRules:
        return CompletionRules(
            min_attendance_percent=self.min_attendance_percent,
            assignments_to_pass=self.assignments_to_pass,
            final_assessment=self.final_assessment_required,
        )

    @property
    def scale(self) -> marking.Scale:
        return marking.from_data(self.marking_scale)


class CourseTranslation(Translation):
    """The course's title and description in another language, with the platform's
    translation status (machine, human, reviewed). A course's teachers write it and it is
    shown to readers at once (as a human or machine translation); a coordinator reviews it."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="translations")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["course", "language"]
        constraints = [
            models.UniqueConstraint(fields=["course", "language"], name="edu_translation_language")
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.language}"
