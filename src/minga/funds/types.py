"""Public enumerations of the funds, for other apps and the templates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Transparency(models.TextChoices):
    PUBLIC = "public", _("Public")
    ORGANIZATIONS = "organizations", _("Members of chosen organizations")
    MANAGERS = "managers", _("Managers only")


class ApprovalRuleChoice(models.TextChoices):
    ONE_MANAGER = "one_manager", _("One manager approves")
    TWO_MANAGERS = "two_managers", _("Two managers approve (not the requester)")
    BODY_VOTE = "body_vote", _("A vote of the body decides")


class MovementKindChoice(models.TextChoices):
    CONTRIBUTION = "contribution", _("Contribution")
    GRANT = "grant", _("Grant")
    EXPENSE = "expense", _("Expense")


class MovementStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    DONE = "done", _("Paid")
    REFUSED = "refused", _("Refused")
    REVERSED = "reversed", _("Reversed")


class RecurrenceChoice(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Every month")
    YEARLY = "yearly", _("Every year")


class PledgeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FULFILLED = "fulfilled", _("Fulfilled")
    CANCELLED = "cancelled", _("Cancelled")
