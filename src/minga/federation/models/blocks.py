"""Blocks decided by the server's administrators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DomainBlock(models.Model):
    """Nothing is accepted from, or delivered to, this domain (and its subdomains)."""

    domain = models.CharField(_("domain"), max_length=255, unique=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("blocked"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked domain")
        verbose_name_plural = _("blocked domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class ActorBlock(models.Model):
    """Nothing is accepted from this remote account, and nothing is delivered to it."""

    actor_uri = models.URLField(_("account address"), max_length=500, unique=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("blocked"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked account")
        verbose_name_plural = _("blocked accounts")
        ordering = ["actor_uri"]

    def __str__(self) -> str:
        return self.actor_uri
