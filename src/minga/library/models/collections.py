"""Collections curated by organizations: an ordered selection of items with notes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent


class Collection(IdentifiedModel, VisibleContent):
    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("curated by"),
        on_delete=models.PROTECT,
        related_name="library_collections",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=16, default="es")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    items = models.ManyToManyField(
        "library.Item", through="CollectionEntry", related_name="collections", blank=True
    )

    canonical_path_prefix: ClassVar[str] = "library/collections"

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:collection", kwargs={"uuid": self.uuid})


class CollectionEntry(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey("library.Item", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(_("position"), default=0)
    note = models.TextField(_("curator's note"), blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("collection entry")
        verbose_name_plural = _("collection entries")
        ordering = ["collection", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "item"], name="libentry_once")]

    def __str__(self) -> str:
        return f"{self.collection_id}: {self.item_id}"
