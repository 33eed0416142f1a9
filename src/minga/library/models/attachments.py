"""Files of an item: documents, recordings, images. They follow their item's protocols.

Files are kept by Django's default storage (``STORAGES["default"]``): under the data
directory unless the operator plugs in another backend; ``common.media`` serves them
through that storage, with byte ranges.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class Attachment(IdentifiedModel):
    item = models.ForeignKey("library.Item", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="library/%Y/%m/", max_length=255)
    thumbnail = models.FileField(
        _("thumbnail"),
        upload_to="library/thumbnails/%Y/%m/",
        max_length=255,
        blank=True,
    )
    # The detected kind (common.files), never the uploader's file name.
    file_kind = models.CharField(_("kind of file"), max_length=8)
    family = models.CharField(_("family"), max_length=12)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def url(self) -> str:
        return _media_url(self.file)

    @property
    def thumbnail_url(self) -> str:
        return _media_url(self.thumbnail) if self.thumbnail else ""


def _media_url(field: Any) -> str:
    # Served by common.media (protected, with ranges) whatever the storage backend.
    return f"{settings.MEDIA_URL}{field.name}"
