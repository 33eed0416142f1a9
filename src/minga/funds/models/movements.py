"""Money that moves in or out of a fund: a contribution received, a grant, an expense.

A movement is the fund's account of a ledger transfer: the transfer holds the amount and
the accounts, the movement its category, description, receipt and approvals. Requested
spending has no transfer yet; approval writes it. A reversal is a second movement whose
transfer reverses the first's.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from ..types import ApprovalRuleChoice, MovementKindChoice, MovementStatus
from .funds import Fund


class Movement(IdentifiedModel):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKindChoice.choices)
    status = models.CharField(_("status"), max_length=16, choices=MovementStatus.choices)
    category = models.SlugField(_("category"), max_length=40)
    description = models.CharField(_("description"), max_length=300)
    amount = models.BigIntegerField(_("amount"))
    recipient = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization receiving the grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payee = models.CharField(_("paid to (outside Minga)"), max_length=200, blank=True)
    receipt = models.FileField(_("receipt"), upload_to="funds/receipts/", blank=True)
    pledge = models.ForeignKey(
        "funds.Pledge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.CharField(
        _("approval needed"), max_length=16, choices=ApprovalRuleChoice.choices, blank=True
    )
    vote = models.ForeignKey(
        "assemblies.Vote",
        verbose_name=_("vote of the body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer = models.OneToOneField(
        "exchange.Transfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    client_id = models.CharField(max_length=64, unique=True)
    done_at = models.DateTimeField(_("recorded in the ledger"), null=True, blank=True)
    # When the money moved (a contribution handed over in cash in March and recorded in
    # April is March's): the month the figures count it in. The amount is the ledger's.
    occurred_on = models.DateField(_("date"), null=True, blank=True)

    canonical_path_prefix: ClassVar[str] = "funds/movements"

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["fund", "status"], name="movement_fund_status"),
            # The fund's page: its latest movements, newest first, without sorting them all.
            models.Index(fields=["fund", "-created_at", "-id"], name="movement_fund_latest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="movement_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", kwargs={"uuid": self.fund.uuid}) + f"#m-{self.uuid}"


class Approval(models.Model):
    """A manager's approval of a requested spending."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="approvals")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["movement", "manager"], name="approval_once")
        ]

    def __str__(self) -> str:
        return f"{self.movement} · {self.manager}"


class MonthlyTotal(models.Model):
    """The sum of a fund's ledger transfers of one kind and category in one month, signed
    from the fund's side (a reversal counts against the month it is written in).

    Written in the same transaction as each transfer (``services._ledger``), so a fund's
    page reads a few rows however long its journal is; a replay of the journal always
    equals them (``tests/funds/test_figures_stateful.py``). Not a second bookkeeping: the
    journal holds the money, these rows only its sums.
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="monthly_totals")
    month = models.DateField(_("month"))  # its first day
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKindChoice.choices)
    category = models.SlugField(_("category"), max_length=40)
    total = models.BigIntegerField(_("total"), default=0)

    class Meta:
        verbose_name = _("monthly total")
        verbose_name_plural = _("monthly totals")
        ordering = ["month", "kind", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "month", "kind", "category"], name="monthly_total_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.month:%Y-%m} · {self.kind} · {self.category}"
