"""What a course teaches: topics, modules in order, their lessons, audio and materials."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel
from minga.common.stator import State, StatefulModel, StateGraph
from minga.common.vocabulary import VocabularyTerm

from ..types import AudioState, MaterialKind


class Topic(VocabularyTerm):
    """A topic of the federation's training (communal economy, seed keeping, ...): a
    controlled vocabulary, importable as SKOS (``minga import vocabulary``)."""

    vocabulary = "education-topics"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class CourseModule(IdentifiedModel):
    """A part of a course: its lessons in order."""

    course = models.ForeignKey("education.Course", on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:module", kwargs={"uuid": self.uuid})


class Lesson(IdentifiedModel):
    """A lesson: text in (sanitized) Markdown, perhaps a recording, links and materials."""

    module = models.ForeignKey(CourseModule, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    canonical_path_prefix: ClassVar[str] = "education/lessons"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:lesson", kwargs={"uuid": self.uuid})


class LessonAudio(StatefulModel):
    """A lesson's recording, as uploaded and in a low-bitrate version made by the worker
    (``minga stator``): players on slow links take the light one."""

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="audio")
    file = models.FileField(_("recording"), upload_to="education/audio/%Y/%m/", max_length=200)
    mime = models.CharField(_("type"), max_length=80)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    low = models.FileField(
        _("low-bitrate version"), upload_to="education/audio/%Y/%m/", max_length=200, blank=True
    )
    low_size_bytes = models.PositiveBigIntegerField(_("size of the light version"), default=0)

    graph = StateGraph(
        initial=AudioState.CONVERTING,
        states={
            AudioState.CONVERTING: State(
                handler="convert",
                max_attempts=3,
                gives_up_to=AudioState.FAILED,
                retry_base=timedelta(minutes=1),
                claim_for=timedelta(minutes=20),
            ),
            AudioState.READY: State(),
            AudioState.FAILED: State(),
        },
    )

    class Meta:
        verbose_name = _("lesson recording")
        verbose_name_plural = _("lesson recordings")

    def __str__(self) -> str:
        return str(self.file.name)

    def convert(self) -> str:
        from ..services.lessons import make_low_bitrate

        return make_low_bitrate(self)


class LessonMaterial(IdentifiedModel):
    """A file to download, an item of the library, or a link to a video."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=16, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="education/materials/%Y/%m/", max_length=200, blank=True
    )
    mime = models.CharField(_("type"), max_length=80, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    library_item = models.ForeignKey(
        "library.Item",
        verbose_name=_("library item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["lesson", "position", "id"]

    def __str__(self) -> str:
        return self.title
