"""A promise to contribute to a fund, once or again and again."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from ..types import PledgeStatus, RecurrenceChoice
from .funds import Fund


class Pledge(IdentifiedModel):
    """A contributor's pledge. ``named`` says whether the public may see who gave; the
    fund's managers always see it."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges")
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_pledges"
    )
    amount = models.BigIntegerField(_("amount"))
    recurrence = models.CharField(_("how often"), max_length=16, choices=RecurrenceChoice.choices)
    starts_on = models.DateField(_("first payment on"))
    named = models.BooleanField(_("show my name on the fund's page"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE
    )
    received_count = models.PositiveIntegerField(_("payments received"), default=0)
    next_due_on = models.DateField(_("next payment due"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "funds/pledges"

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["next_due_on", "id"]
        indexes = [models.Index(fields=["fund", "status", "next_due_on"], name="pledge_due")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("funds:pledge_detail", kwargs={"uuid": self.uuid})
