"""Bulletins (articles and short notes), their media, translations, schedule and reactions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from minga.common.models import IdentifiedModel, VisibleContent
from minga.common.stator import State, StatefulModel, StateGraph
from minga.common.translation import Translation

from ..types import BulletinKind, BulletinStatus, MediaKind, ReactionKind


class Tag(models.Model):
    """A word bulletins are filed under (``#agroecologia``), with its own feed."""

    slug = models.SlugField(_("tag"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"#{self.slug}"

    def get_absolute_url(self) -> str:
        return reverse("comms:tag", args=[self.slug])


class Programme(IdentifiedModel):
    """A community-radio programme: a series of audio bulletins, published as a podcast."""

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    slug = models.SlugField(_("short code"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=16, default="es")
    category = models.CharField(
        _("podcast category"), max_length=80, default="News", help_text=_("For podcast apps.")
    )

    canonical_path_prefix: ClassVar[str] = "programmes"

    class Meta:
        verbose_name = _("radio programme")
        verbose_name_plural = _("radio programmes")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="programme_slug_once")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comms:programme", args=[self.uuid])


class Bulletin(IdentifiedModel, VisibleContent):
    """An organization's article or short note, or one a followed actor published elsewhere.

    A local bulletin is written as a draft, sent for review, and published (now or at a
    scheduled time) by an editor of its organization. A remote one (``remote_uri``) is a copy
    of what a followed actor published on its server, always public, shown with its origin.
    """

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    remote_actor = models.ForeignKey(
        "federation.RemoteActor",
        verbose_name=_("published elsewhere by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    remote_uri = models.URLField(
        _("original address"), max_length=500, null=True, blank=True, unique=True
    )
    remote_url = models.URLField(_("original page"), max_length=500, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=BulletinKind.choices, default=BulletinKind.ARTICLE
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(_("text as HTML"), blank=True, editable=False)
    language = models.CharField(_("language"), max_length=16, default="es", db_index=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="bulletins")
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    country = CountryField(_("country"), blank=True)
    campaign = models.ForeignKey(
        "comms.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulletins",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("radio programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="episodes",
    )
    video_links = models.JSONField(_("video links"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("note from the review"), blank=True)
    federated_at = models.DateTimeField(_("sent to other servers"), null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "bulletins"

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="bulletin_status_published"),
            models.Index(
                fields=["organization", "status", "published_at"], name="bulletin_org_published"
            ),
            models.Index(fields=["remote_actor", "published_at"], name="bulletin_remote_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True) ^ Q(remote_actor__isnull=True),
                name="bulletin_local_or_remote",
            ),
            models.CheckConstraint(
                condition=Q(remote_actor__isnull=True) | Q(visibility="public"),
                name="bulletin_remote_is_public",
            ),
        ]

    def __str__(self) -> str:
        excerpt = strip_tags(self.body_html or self.body).strip()
        return self.title or self.summary[:80] or excerpt[:80] or str(self.uuid)

    def get_absolute_url(self) -> str:
        return reverse("comms:bulletin", args=[self.uuid])

    @property
    def is_remote(self) -> bool:
        return self.remote_actor_id is not None

    @property
    def is_published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED


class BulletinMedia(models.Model):
    """An image (with its alternative text), an audio recording or a document of a bulletin."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=16, choices=MediaKind.choices)
    file = models.FileField(_("file"), upload_to="comms/%Y/%m/", blank=True, max_length=200)
    remote_url = models.URLField(_("address elsewhere"), max_length=500, blank=True)
    alt_text = models.CharField(
        _("description for people who cannot see it"), max_length=1000, blank=True
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    mime = models.CharField(_("type"), max_length=80, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bulletin file")
        verbose_name_plural = _("bulletin files")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title or self.alt_text[:60] or str(self.file.name)

    @property
    def url(self) -> str:
        return self.file.url if self.file else self.remote_url


class BulletinTranslation(Translation):
    """One language version of a bulletin, through the translation workflow."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="translations")
    summary = models.CharField(_("summary"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "language"], name="bulletin_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} [{self.language}]"


class Volunteer(models.Model):
    """A person who translates for the network, in the languages they name; some also review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comms_volunteer"
    )
    languages = models.JSONField(_("translates into"), default=list)
    reviewer_languages = models.JSONField(_("reviews"), default=list, blank=True)
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer translator")
        verbose_name_plural = _("volunteer translators")

    def __str__(self) -> str:
        return f"{self.user} ({', '.join(self.languages)})"


class PublicationSchedule(StatefulModel):
    """A bulletin waiting for its publication time; the worker publishes it then."""

    bulletin = models.OneToOneField(Bulletin, on_delete=models.CASCADE, related_name="schedule")

    graph = StateGraph(
        initial="waiting",
        states={
            "waiting": State(handler="publish_now", max_attempts=10, gives_up_to="failed"),
            "done": State(),
            "cancelled": State(),
            "failed": State(),
        },
    )

    class Meta:
        verbose_name = _("scheduled publication")
        verbose_name_plural = _("scheduled publications")

    def __str__(self) -> str:
        return f"{self.bulletin} @ {self.next_attempt_at}"

    def publish_now(self) -> str:
        from ..services.bulletins import publish_scheduled

        return publish_scheduled(self)


class Reaction(models.Model):
    """A reply, boost or like from the fediverse to one of our bulletins or events, shown to
    the organization's editors."""

    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    event = models.ForeignKey(
        "comms.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ReactionKind.choices)
    actor = models.ForeignKey("federation.RemoteActor", on_delete=models.CASCADE, related_name="+")
    uri = models.URLField(_("address"), max_length=500, unique=True)
    url = models.URLField(_("page"), max_length=500, blank=True)
    content_html = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.actor}"
