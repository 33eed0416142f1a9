"""Seed requests between communes.

Seeds leave the lot when the bank approves (under a row lock, so two approvals cannot both
take the last seeds) and come back if an approved request is cancelled before shipping.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    SHIPPED = "shipped", _("Shipped")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class Settlement(models.TextChoices):
    GIFT = "gift", _("Gift")
    BARTER = "barter", _("Barter")
    EXCHANGE = "exchange", _("Payment through the exchange")


class SeedRequest(IdentifiedModel):
    lot = models.ForeignKey(
        "seeds.Lot", verbose_name=_("lot"), on_delete=models.PROTECT, related_name="requests"
    )
    requester = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("requesting commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seeds = models.PositiveBigIntegerField(_("seeds"))
    settlement = models.CharField(
        _("settled by"), max_length=16, choices=Settlement.choices, default=Settlement.GIFT
    )
    barter_offer = models.CharField(_("offered in exchange"), max_length=500, blank=True)
    # Settled through the exchange: the requester's account pays the bank's when shipped.
    unit = models.ForeignKey(
        "exchange.Unit",
        verbose_name=_("unit of account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.PositiveBigIntegerField(_("amount (minor units)"), null=True, blank=True)
    transfer = models.ForeignKey(
        "exchange.Transfer",
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    conditions_accepted = models.BooleanField(_("sharing conditions accepted"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.REQUESTED,
        db_index=True,
    )
    answer = models.TextField(_("answer"), blank=True)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "seeds/requests"

    class Meta:
        verbose_name = _("seed request")
        verbose_name_plural = _("seed requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seeds__gt=0), name="seed_request_positive"),
            models.CheckConstraint(
                condition=Q(conditions_accepted=True), name="seed_request_conditions_accepted"
            ),
            models.CheckConstraint(
                condition=~Q(settlement="exchange") | (Q(unit__isnull=False) & Q(amount__gt=0)),
                name="seed_request_exchange_has_unit_and_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lot} → {self.requester}"

    def get_absolute_url(self) -> str:
        return reverse("seeds:request", kwargs={"uuid": self.uuid})
