"""The keys our actors sign with. Keys rotate: a new key is created, the old one retired."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """An RSA key pair of a local actor: an organization, or the server itself (no
    organization), which signs the fetches the server makes on its own behalf."""

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    fragment = models.CharField(_("key name"), max_length=40, default="main-key")
    private_pem = models.TextField(_("private key"))
    public_pem = models.TextField(_("public key"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(retired_at__isnull=True, organization__isnull=False),
                name="one_current_key_per_organization",
            ),
            models.UniqueConstraint(
                fields=["fragment"],
                condition=Q(retired_at__isnull=True, organization__isnull=True),
                name="one_current_server_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization or 'server'}#{self.fragment}"
