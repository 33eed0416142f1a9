"""Enumerations other apps may import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    NOTE = "note", _("Short note")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")


class EventKind(models.TextChoices):
    EVENT = "event", _("Event")
    DAY_OF_ACTION = "day_of_action", _("Day of mobilization")
    ACTION = "action", _("Action")
    BROADCAST = "broadcast", _("Broadcast")


class MaterialKind(models.TextChoices):
    POSTER = "poster", _("Poster")
    TEXT = "text", _("Text")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class SubscriptionState(models.TextChoices):
    CONFIRMING = "confirming", _("Sending the confirmation")
    AWAITING = "awaiting", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Undeliverable")


class ReactionKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    BOOST = "boost", _("Boost")
    LIKE = "like", _("Like")
