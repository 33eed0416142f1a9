"""Accounts and personal access tokens."""

from __future__ import annotations

import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, Visibility

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class User(IdentifiedModel, AbstractUser):
    """A person with an account on this server."""

    display_name = models.CharField(_("name"), max_length=150, blank=True)
    bio = models.TextField(_("about"), blank=True, help_text=_("Markdown."))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    profile_visibility = models.CharField(
        _("who can see my profile"),
        max_length=16,
        choices=[
            (Visibility.PUBLIC, Visibility.PUBLIC.label),
            (Visibility.SERVER, Visibility.SERVER.label),
        ],
        default=Visibility.SERVER,
    )

    canonical_path_prefix: ClassVar[str] = "people"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"username": self.username})


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class PersonalAccessToken(models.Model):
    """A token for the API. Only its SHA-256 digest is stored; the token is shown once.

    A token is suspended when its owner takes a role that needs a second factor; it works
    again once they confirm it with a code from their authenticator.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    scope = models.CharField(
        _("what it may do"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ
    )
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
