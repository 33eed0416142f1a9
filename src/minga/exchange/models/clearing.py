"""Rounds of multilateral clearing of obligations, and rounds of barter."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from .ledger import Unit


class ClearingRoundStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting", _("Waiting for consent")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ConsentRule(models.TextChoices):
    COORDINATOR = "coordinator", _("A coordinator of the network approves")
    ALL_PARTICIPANTS = "all", _("Every participating organization consents")


class ClearingRound(IdentifiedModel):
    """A proposed set-off of a network's open obligations in one unit.

    The optimal set-off is computed when the round is opened and kept, with its
    before/after report; it is applied as one linked ledger batch once the consent its
    rule requires is given, provided the obligations have not changed meanwhile.
    """

    network = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="clearing_rounds"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="clearing_rounds")
    consent_rule = models.CharField(max_length=16, choices=ConsentRule.choices)
    status = models.CharField(
        max_length=16,
        choices=ClearingRoundStatus.choices,
        default=ClearingRoundStatus.AWAITING_CONSENT,
        db_index=True,
    )
    report = models.JSONField(default=dict)
    total_before = models.BigIntegerField(default=0)
    total_after = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "clearing"

    class Meta:
        verbose_name = _("clearing round")
        verbose_name_plural = _("clearing rounds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_after__gte=0) & Q(total_after__lte=models.F("total_before")),
                name="clearing_totals_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.unit} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("trade:clearing_round", kwargs={"uuid": self.uuid})

    @property
    def cleared(self) -> int:
        return self.total_before - self.total_after


class ClearingSetoff(models.Model):
    """How much of one obligation the round cancels, and what it was when computed."""

    round = models.ForeignKey(ClearingRound, on_delete=models.CASCADE, related_name="setoffs")
    obligation = models.ForeignKey(
        "exchange.Obligation", on_delete=models.PROTECT, related_name="setoffs"
    )
    remaining_before = models.BigIntegerField()
    cleared = models.BigIntegerField()
    # The client id of the set-off's ledger transfer ("clr:" and a random part), chosen when
    # the round is computed, so that applying it twice finds the same entry.
    ledger_client_id = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cleared__gt=0) & Q(cleared__lte=models.F("remaining_before")),
                name="setoff_within_obligation",
            ),
            models.UniqueConstraint(fields=["round", "obligation"], name="setoff_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.cleared} of {self.obligation}"


class ClearingConsent(models.Model):
    round = models.ForeignKey(ClearingRound, on_delete=models.CASCADE, related_name="consents")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+"
    )
    consents = models.BooleanField()
    reason = models.TextField(blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="consent_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {'yes' if self.consents else 'no'}"


class BarterRound(IdentifiedModel):
    """A run of the barter optimizer over the open barter offers and needs of a network."""

    network = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="barter_rounds"
    )
    report = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "barter"

    class Meta:
        verbose_name = _("barter round")
        verbose_name_plural = _("barter rounds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.network} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("trade:barter")
