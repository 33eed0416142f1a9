"""A fund and its budget."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent

from ..types import ApprovalRuleChoice, Transparency


class Fund(IdentifiedModel, VisibleContent):
    """A solidarity fund of an organization, in one unit of the ledger.

    Who may read it is its transparency, stored as the platform's visibility level
    (``VisibleContent``): public, members of chosen organizations, or its managers only
    (the managers are its custodians, who always read what they keep).

    A fund of a body of the assemblies (a network's Congress, assembly, commission) names
    it as ``owner_body``; its ``organization`` is then the body's network, so that its
    ledger accounts, permissions and readers stay the network's
    (``docs/decisions/0003-funds-owned-by-bodies.md``). ``body`` is another thing: the body
    whose vote approves spending, which may be of a network the owner belongs to.
    """

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    owner_body = models.ForeignKey(
        "registry.Body",
        verbose_name=_("body that owns the fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_funds",
    )
    body = models.ForeignKey(
        "registry.Body",
        verbose_name=_("body that votes on spending"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"))
    purposes = models.JSONField(_("purpose in other languages"), default=dict, blank=True)
    unit = models.ForeignKey(
        "exchange.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    account = models.OneToOneField(
        "exchange.Account", on_delete=models.PROTECT, related_name="fund"
    )
    # Money outside Minga (cash, a bank): contributions from outside come from it and
    # payments to people outside Minga go to it, so both stay ledger transfers.
    outside_account = models.OneToOneField(
        "exchange.Account", on_delete=models.PROTECT, related_name="fund_outside"
    )
    transparency = models.CharField(
        _("who may see the fund"), max_length=16, choices=Transparency.choices
    )
    approval_rule = models.CharField(
        _("approval of spending"), max_length=16, choices=ApprovalRuleChoice.choices
    )
    receipts_public = models.BooleanField(
        _("receipts are shown to the fund's readers"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Counted up in the same transaction as every write that changes what the fund's page
    # draws from its figures (a transfer, a budget line, a legal case's counted fields), so
    # the page keeps what it drew under this number and redraws only after a change
    # (``views._page_figures``).
    figures_revision = models.PositiveBigIntegerField(default=0, editable=False)

    canonical_path_prefix: ClassVar[str] = "funds"

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funds:fund", kwargs={"uuid": self.uuid})

    def owner_name(self) -> str:
        """Who the fund belongs to, as its readers see it: the body and its network, or
        the organization (``owner_body`` and ``organization`` must be loaded with it)."""
        if self.owner_body_id is None:
            return str(self.organization.display_name)
        return f"{self.owner_body} ({self.organization.display_name})"

    def purpose_text(self) -> str:
        """The purpose in the active language when it has one, else as written."""
        language = (get_language() or "").split("-")[0]
        text: Any = self.purposes.get(language) if isinstance(self.purposes, dict) else None
        return str(text) if text else self.purpose


class BudgetLine(models.Model):
    """How much a fund plans to spend in a category in a year."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.SlugField(_("category"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("budget"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "category", "year"], name="budget_line_once_per_year"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} · {self.category} · {self.year}"
