"""Remote actors and the servers they live on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RemoteServer(models.Model):
    """Another server of the fediverse (a Mastodon, another Minga …), by its host name."""

    domain = models.CharField(_("domain"), max_length=255, unique=True)
    software = models.CharField(_("software"), max_length=80, blank=True)
    version = models.CharField(_("version"), max_length=80, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last successful delivery"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failed delivery"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)

    class Meta:
        verbose_name = _("remote server")
        verbose_name_plural = _("remote servers")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class RemoteActor(models.Model):
    """An account on another server (a person on Mastodon, an organization on another Minga),
    as its own server last described it."""

    uri = models.URLField(_("address"), max_length=500, unique=True)
    server = models.ForeignKey(
        RemoteServer, verbose_name=_("server"), on_delete=models.CASCADE, related_name="actors"
    )
    type = models.CharField(_("type"), max_length=32, default="Person")
    username = models.CharField(_("user name"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    summary = models.TextField(_("about"), blank=True, help_text=_("Sanitized HTML."))
    url = models.URLField(_("profile page"), max_length=500, blank=True)
    icon_url = models.URLField(_("avatar"), max_length=500, blank=True)
    inbox = models.URLField(_("inbox"), max_length=500)
    shared_inbox = models.URLField(_("shared inbox"), max_length=500, blank=True)
    outbox = models.URLField(_("outbox"), max_length=500, blank=True)
    followers_url = models.URLField(_("followers collection"), max_length=500, blank=True)
    key_id = models.CharField(_("key identifier"), max_length=500, db_index=True)
    public_key_pem = models.TextField(_("public key"))
    is_minga = models.BooleanField(_("a Minga server"), default=False)
    fetched_at = models.DateTimeField(_("described"), auto_now=True)
    gone = models.BooleanField(_("deleted on its server"), default=False)

    class Meta:
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")
        ordering = ["server__domain", "username"]

    def __str__(self) -> str:
        return self.handle

    def get_absolute_url(self) -> str:
        return self.url or self.uri

    @property
    def handle(self) -> str:
        return f"@{self.username}@{self.server.domain}" if self.username else self.uri

    @property
    def display_name(self) -> str:
        return self.name or self.handle

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox
