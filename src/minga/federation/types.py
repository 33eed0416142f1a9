"""Constants and enumerations other apps may import."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTIVITY_JSON = "application/activity+json"
LD_JSON = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
# Minga's own terms (campaigns, recurrence) for other Minga servers; others ignore them.
MINGA_NAMESPACE = "urn:minga:ns#"
CONTEXT: list[object] = [
    AS_CONTEXT,
    SECURITY_CONTEXT,
    {
        "minga": MINGA_NAMESPACE,
        "toot": "http://joinmastodon.org/ns#",
        "schema": "http://schema.org#",
        "Hashtag": "https://www.w3.org/ns/activitystreams#Hashtag",
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "sensitive": "as:sensitive",
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
        "timezone": {"@id": "schema:timezone"},
        "mingaKind": "minga:kind",
        "mingaCampaign": {"@id": "minga:campaign", "@type": "@id"},
        "mingaRecurrence": "minga:recurrence",
        "mingaGoals": "minga:goals",
        "mingaStartDate": "minga:startDate",
        "mingaEndDate": "minga:endDate",
    },
]


class FollowState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Following")
    REJECTED = "rejected", _("Refused")
    UNDONE = "undone", _("Stopped")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Given up")
    CANCELLED = "cancelled", _("Cancelled")


class InboxState(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    FAILED = "failed", _("Failed")


class ReactionKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    BOOST = "boost", _("Boost")
    LIKE = "like", _("Like")
