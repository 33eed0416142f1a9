"""Meetings of a body: when and where, the agenda, who came, and the minutes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent

https_only = URLValidator(schemes=["https"], message=_("Enter an https:// address."))


class Meeting(IdentifiedModel, VisibleContent):
    """A session of a body, in a place, online (a link to a video-conference), or both."""

    body = models.ForeignKey("registry.Body", on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True, validators=[https_only]
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    minutes_language = models.CharField(_("language of the minutes"), max_length=16, default="es")
    # The quorum as it stood when the meeting ended, written once (by the background step,
    # or before a change of seats or rules), so a past meeting's quorum never changes.
    quorum_record = models.JSONField(_("quorum at the end"), null=True, blank=True, editable=False)

    canonical_path_prefix: ClassVar[str] = "assemblies/meetings"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assemblies:meeting", kwargs={"uuid": self.uuid})


class AgendaItem(models.Model):
    """One point of the agenda, in order; it may bring a proposal to the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposal = models.ForeignKey(
        "assemblies.Proposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendance(models.Model):
    """A member's registration for a meeting and, once there, its check-in."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(
        "assemblies.BodyMembership", on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"))
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="attendance_one_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting}"


class MeetingDecision(models.Model):
    """A decision written into the minutes, under the agenda item it answers."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), help_text=_("Markdown."))
    vote = models.ForeignKey(
        "assemblies.Vote", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["agenda_item__position", "id"]

    def __str__(self) -> str:
        return self.text[:60]
