"""Who reads the events another app publishes for a closed group (a course's cohort).

The publishing app names the group by a key (``education.cohort:<uuid>``) and keeps its
members up to date through ``common.calendar_publishing``; comms keeps them here, so its
access rule on events reads its own tables and never the publishing app's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarAudience(models.Model):
    """A closed group of readers of published events, named by the app that publishes."""

    key = models.CharField(_("key"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("calendar audience")
        verbose_name_plural = _("calendar audiences")

    def __str__(self) -> str:
        return self.key


class CalendarAudienceMember(models.Model):
    audience = models.ForeignKey(CalendarAudience, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("calendar audience member")
        verbose_name_plural = _("calendar audience members")
        constraints = [
            models.UniqueConstraint(fields=["audience", "person"], name="calendar_audience_once")
        ]

    def __str__(self) -> str:
        return f"{self.audience_id}/{self.person_id}"
