"""Base models and the append-only audit log."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifiedModel(models.Model):
    """A model whose rows can travel to other servers.

    The UUID never changes, so the canonical URL built from it stays valid even when a
    slug or a name is edited.
    """

    uuid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    canonical_path_prefix: ClassVar[str] = ""

    class Meta:
        abstract = True

    def get_canonical_url(self) -> str:
        return f"{settings.SITE_URL}/{self.canonical_path_prefix}/{self.uuid}/"


class Visibility(models.TextChoices):
    """Who may read a piece of content. Ordered from widest to narrowest."""

    PUBLIC = "public", _("Public")
    SERVER = "server", _("Members of this server")
    ORGANIZATIONS = "organizations", _("Members of given organizations")
    CUSTODIANS = "custodians", _("Named custodians")


class VisibleContent(models.Model):
    """Content whose readers are restricted by a visibility level.

    Custodians can always read what they keep, whatever the level; with
    ``ORGANIZATIONS`` the members of the listed organizations can read it too.
    """

    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    visible_to_organizations: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("visible to members of"),
        blank=True,
        related_name="+",
    )
    custodians = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("custodians"), blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One change made by someone: append-only, never edited or deleted.

    The object's type, id and text are copied so the entry still reads well after the
    object itself is gone.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type"), null=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_uuid = models.UUIDField(_("object identifier"), null=True, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Integrity, not business logic: an existing entry can never be rewritten.
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit log is append-only.")
