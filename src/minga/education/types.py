"""Enumerations of education that other apps may import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Admission(models.TextChoices):
    REVIEW = "review", _("Teachers review each application")
    FIRST_COME = "first_come", _("First come, first served")


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("On the wait-list")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OnBehalf(models.TextChoices):
    """What a course asks of an application about the applicant's organization."""

    FREE = "free", _("Applicants may name one of their organizations")
    NAMED = "named", _("Applicants must name one of their organizations")
    ENDORSED = "endorsed", _("Applicants must name one of their organizations, which endorses them")


class Endorsement(models.TextChoices):
    """Where an application stands with the organization it is made on behalf of."""

    NOT_NEEDED = "", _("Not needed")
    PENDING = "pending", _("Waiting for the organization's endorsement")
    ENDORSED = "endorsed", _("Endorsed by the organization")
    DECLINED = "declined", _("Declined by the organization")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


OPEN_STATUSES = (EnrolmentStatus.APPLIED, EnrolmentStatus.ACCEPTED, EnrolmentStatus.WAITLISTED)


class MaterialKind(models.TextChoices):
    FILE = "file", _("File")
    LIBRARY = "library", _("Library item")
    VIDEO = "video", _("Video link")


class AudioState(models.TextChoices):
    CONVERTING = "converting", _("Making the light version")
    READY = "ready", _("Ready")
    FAILED = "failed", _("The light version could not be made")
