"""The follow-up of agreements: results in a tree, who is responsible, and milestones."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from .meetings import https_only


class ResultStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUpResult(IdentifiedModel):
    """Something an agreement should bring about, with the organization responsible for it.

    Results form a tree; a parent's progress is rolled up from its children by weight
    (``minga.assemblies.progress``).
    """

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="results")
    declaration = models.ForeignKey(
        "assemblies.Declaration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="results",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    responsible = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ResultStatus.choices,
        default=ResultStatus.PLANNED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the usual progress of the status."),
    )
    weight = models.PositiveSmallIntegerField(_("weight in its parent"), default=1)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before it is due)"),
        default=7,
        help_text=_("The responsible organization's spokespeople get an email this many days "
                    "before the due date."),
    )  # fmt: skip

    canonical_path_prefix: ClassVar[str] = "assemblies/results"

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["body", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100), name="result_progress"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(due_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="result_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:result", kwargs={"uuid": self.uuid})


class Milestone(models.Model):
    """A step of a result; reaching it records when and the evidence."""

    result = models.ForeignKey(FollowUpResult, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("Markdown."))
    evidence_url = models.URLField(
        _("link to the evidence"), max_length=500, blank=True, validators=[https_only]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["result", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ResultReminder(models.Model):
    """That the reminder for a result's deadline was sent: once per result and due date
    (a new due date gets its own reminder)."""

    result = models.ForeignKey(FollowUpResult, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.PositiveSmallIntegerField(_("recipients"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "due_on"], name="result_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.result} · {self.due_on}"
