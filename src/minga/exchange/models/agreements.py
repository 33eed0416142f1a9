"""Trade agreements between organizations, and the obligations they leave to pay."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from .ledger import Unit


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by all")
    SETTLED = "settled", _("Delivered and settled")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    LEDGER = "ledger", _("Through the ledger (reserved at acceptance, paid at delivery)")
    DEFERRED = "deferred", _("On credit (an obligation to pay later)")
    BARTER = "barter", _("Barter (no payment)")


class Agreement(IdentifiedModel):
    """A trade between two or more organizations.

    Proposed → accepted by every party → delivered and settled; or cancelled before
    settlement. Paying through the ledger reserves each line's amount when the last party
    accepts and posts it when the receiver confirms delivery.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposed_by = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="agreements_proposed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    payment = models.CharField(_("payment"), max_length=16, choices=PaymentMethod.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.PROPOSED,
        db_index=True,
    )
    listing = models.ForeignKey(
        "market.Listing",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    barter_round = models.ForeignKey(
        "exchange.BarterRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    canonical_path_prefix: ClassVar[str] = "agreements"

    class Meta:
        verbose_name = _("trade agreement")
        verbose_name_plural = _("trade agreements")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payment="barter") | Q(unit__isnull=False),
                name="agreement_payment_needs_unit",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trade:agreement", kwargs={"uuid": self.uuid})


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="agreement_parties"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organization"], name="party_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization} in {self.agreement}"


class AgreementLine(models.Model):
    """One thing that changes hands: the supplier delivers it, the receiver pays for it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="lines")
    supplier = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("what"), max_length=300)
    quantity = models.CharField(_("how much"), max_length=60, blank=True)
    amount = models.BigIntegerField(_("price (minor units)"), default=0)
    listing = models.ForeignKey(
        "market.Listing", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The client id of the line's reservation in the ledger ("agr:" and a random part); its
    # post and void are this id with ":post" and ":void". Chosen when the line is written,
    # so no one can derive it from what the parties see.
    ledger_client_id = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="line_amount_not_negative"),
            models.CheckConstraint(condition=~Q(supplier=F("receiver")), name="line_two_parties"),
        ]

    def __str__(self) -> str:
        return self.description

    def reservation_client_id(self) -> str:
        return self.ledger_client_id


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SETTLED = "settled", _("Settled")


class Obligation(IdentifiedModel):
    """An amount one organization owes another, to be paid or cleared."""

    debtor = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="debts"
    )
    creditor = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="claims"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="obligations")
    amount = models.BigIntegerField(_("amount owed"))
    remaining = models.BigIntegerField(_("still owed"))
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="obligations"
    )
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=ObligationStatus.choices, default=ObligationStatus.OPEN, db_index=True
    )

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(remaining__gte=0) & Q(remaining__lte=F("amount")),
                name="obligation_amounts_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(debtor=F("creditor")), name="obligation_two_parties"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debtor} owes {self.creditor} {self.remaining}"
