"""Resolutions and declarations made from adopted proposals, and who endorses them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent


class DeclarationKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    DECLARATION = "declaration", _("Declaration")


class Declaration(IdentifiedModel, VisibleContent):
    """The published text of an adopted proposal, which organizations may endorse."""

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="declarations")
    proposal = models.OneToOneField(
        "assemblies.Proposal", on_delete=models.PROTECT, related_name="declaration"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DeclarationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    language = models.CharField(_("language of the text"), max_length=16, default="es")
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "assemblies/declarations"

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:declaration", kwargs={"uuid": self.uuid})


class Endorsement(IdentifiedModel):
    """An organization's signature on a declaration, given by a person who speaks for it.

    A withdrawal keeps the row (with when and why); signing again makes a new row.
    """

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="endorsements"
    )
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="endorsements"
    )
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    endorsed_at = models.DateTimeField(_("endorsed"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["endorsed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "organization"],
                condition=Q(withdrawn_at__isnull=True),
                name="endorsement_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.declaration}"
