"""Debate spaces: open forums of a body on a theme, not tied to a vote."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent


class DebateSpace(IdentifiedModel, VisibleContent):
    """A forum where a body's people talk a theme over, with the proposals' comment threads."""

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="debates")
    title = models.CharField(_("title"), max_length=200)
    theme = models.TextField(_("theme"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=16, default="es")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "assemblies/debates"

    class Meta:
        verbose_name = _("debate space")
        verbose_name_plural = _("debate spaces")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:debate", kwargs={"uuid": self.uuid})
