"""Working tables: groups of a meeting that work in parallel on a theme and report back."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class WorkingTable(IdentifiedModel):
    """A table of a meeting, with its rapporteur and the report it brings to the plenary.

    It reads what its meeting's readers read (no visibility of its own).
    """

    meeting = models.ForeignKey(
        "assemblies.Meeting", on_delete=models.CASCADE, related_name="working_tables"
    )
    name = models.CharField(_("name"), max_length=200)
    theme = models.TextField(_("theme"), blank=True)
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rapporteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agenda_items = models.ManyToManyField(
        "assemblies.AgendaItem",
        verbose_name=_("agenda items"),
        blank=True,
        related_name="working_tables",
    )
    report = models.TextField(_("report"), blank=True, help_text=_("Markdown."))
    report_language = models.CharField(_("language of the report"), max_length=16, default="es")
    reported_at = models.DateTimeField(_("report written"), null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "assemblies/tables"

    class Meta:
        verbose_name = _("working table")
        verbose_name_plural = _("working tables")
        ordering = ["meeting", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="working_table_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assemblies:working_table", kwargs={"uuid": self.uuid})
