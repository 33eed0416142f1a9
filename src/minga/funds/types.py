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
    TWO_MANAGERS = "two_managers", _("Two managers (the one who asks cannot approve)")
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


class CaseKind(models.TextChoices):
    ASYLUM = "asylum", _("Asylum")
    DEPORTATION = "deportation", _("Deportation")
    DETENTION = "detention", _("Detention")
    LABOUR = "labour", _("Labour")
    RESIDENCE = "residence", _("Residence papers")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CaseRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    LAWYER = "lawyer", _("Lawyer")
    ADVOCATE = "advocate", _("Advocate")


# Who of a case's team reads the supported person's real identity.
IDENTITY_ROLES = frozenset({CaseRole.COORDINATOR, CaseRole.LAWYER})


class CaseDateKind(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    DEADLINE = "deadline", _("Deadline")


class CaseReadKind(models.TextChoices):
    LIST = "list", _("In the list of cases")
    CASE = "case", _("The case")
    IDENTITY = "identity", _("The real identity")
    DOCUMENT = "document", _("A document")
