"""Campaigns, the organizations taking part, their materials; events and days of action."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from minga.common.models import IdentifiedModel, VisibleContent

from ..calendar import zone_of
from ..types import EventKind, MaterialKind


class Campaign(IdentifiedModel, VisibleContent):
    """A campaign (a solidarity campaign, a continental campaign over a year): its goals, the
    organizations taking part, its materials, bulletins and events."""

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("promoted by"),
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
    slug = models.SlugField(_("short code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    goals = models.TextField(_("goals"), blank=True, help_text=_("Markdown, one goal a line."))
    language = models.CharField(_("language"), max_length=16, default="es")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    federated_at = models.DateTimeField(_("sent to other servers"), null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "campaigns"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=True) ^ Q(remote_actor__isnull=True),
                name="campaign_local_or_remote",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comms:campaign", args=[self.slug])

    @property
    def is_remote(self) -> bool:
        return self.remote_actor_id is not None


class CampaignParticipation(models.Model):
    """An organization taking part in a campaign, from when it joined until it left."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign participation")
        verbose_name_plural = _("campaign participations")
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                condition=Q(left_at__isnull=True),
                name="campaign_participation_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.campaign}"


class CampaignMaterial(models.Model):
    """A poster, text, audio or video of a campaign: an uploaded file or a link."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=16, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="comms/materials/%Y/", blank=True, max_length=200)
    link = models.URLField(_("link"), max_length=500, blank=True)
    alt_text = models.CharField(_("description of the image"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16, default="es")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        return self.file.url if self.file else self.link


class Event(IdentifiedModel, VisibleContent):
    """An event, action or day of mobilization: when (in its own time zone), where (a place
    and/or an online link), who organizes it; yearly days of action recur.

    Times are stored in UTC with the zone they happen in, so the calendar shows each event
    in its own local time and a reader's; a yearly event recurs at the same local time.
    """

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organized by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    co_organizers: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("with"),
        blank=True,
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
        _("kind"), max_length=16, choices=EventKind.choices, default=EventKind.EVENT
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=16, default="es")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    all_day = models.BooleanField(_("all day"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    country = CountryField(_("country"), blank=True, db_index=True)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    yearly = models.BooleanField(_("every year"), default=False)
    recurrence_until = models.DateField(_("repeats until"), null=True, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    federated_at = models.DateTimeField(_("sent to other servers"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    # Events another app publishes (a course's session, common.calendar_publishing) name
    # their source, are changed only there, and a closed group's are read by its audience.
    source_key = models.CharField(
        _("published from"), max_length=120, null=True, blank=True, unique=True, editable=False
    )
    source_url = models.CharField(_("changed at"), max_length=500, blank=True, editable=False)
    audience = models.ForeignKey(
        "comms.CalendarAudience",
        verbose_name=_("read by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="events",
    )
    # Kept by save() so a month of the calendar reads only the rows that can fall in it
    # (selectors.calendar_page): events longer than LONG are the few that can reach into a
    # month from far before it, and a yearly event can only recur near its local anniversary.
    lasts_long = models.BooleanField(default=False, editable=False)
    anniversary = models.PositiveSmallIntegerField(default=0, editable=False)

    LONG: ClassVar[timedelta] = timedelta(days=2)
    canonical_path_prefix: ClassVar[str] = "events"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["starts_at"], name="event_starts"),
            # A month's count read from the index alone: every column the window and the
            # visibility rule ask of a row (the audience for signed-in readers, the rule
            # comms.event.published_audience), rather than thousands of table rows looked up.
            models.Index(
                fields=["starts_at", "yearly", "visibility", "ends_at", "organization", "audience"],
                name="event_calendar_span",
            ),
            models.Index(fields=["region", "starts_at"], name="event_region_starts"),
            models.Index(fields=["country", "starts_at"], name="event_country_starts"),
            models.Index(fields=["campaign", "starts_at"], name="event_campaign_starts"),
            models.Index(fields=["organization", "starts_at"], name="event_org_starts"),
            models.Index(fields=["yearly", "starts_at"], name="event_yearly_starts"),
            models.Index(
                fields=["anniversary"], condition=Q(yearly=True), name="event_yearly_anniversary"
            ),
            models.Index(fields=["starts_at"], condition=Q(lasts_long=True), name="event_long"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=True) ^ Q(remote_actor__isnull=True),
                name="event_local_or_remote",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="event_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="event_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comms:event", args=[self.uuid])

    def derive_calendar_keys(self) -> None:
        """Set ``lasts_long`` and ``anniversary`` from the times (bulk inserts call this)."""
        self.lasts_long = self.ends_at is not None and self.ends_at - self.starts_at > self.LONG
        local = self.starts_at.astimezone(zone_of(self.time_zone))
        self.anniversary = local.month * 100 + local.day

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_calendar_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "lasts_long", "anniversary"}
        super().save(*args, **kwargs)

    @property
    def is_remote(self) -> bool:
        return self.remote_actor_id is not None

    @property
    def is_published_from_elsewhere(self) -> bool:
        """Published by another app of this server (changed there, not here)."""
        return bool(self.source_key)


class CalendarStamp(models.Model):
    """The calendar's revision: one row, bumped in the same transaction as every change a
    calendar feed can show (an event, its co-organizers, a campaign, an organization, a
    remote account), so a feed's validator is one read by primary key instead of an
    aggregate over every event (``comms.stamps``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    revision = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar revision")
        verbose_name_plural = _("calendar revisions")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="calendar_stamp_one_row")]

    def __str__(self) -> str:
        return str(self.revision)
