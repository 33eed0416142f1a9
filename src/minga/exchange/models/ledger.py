"""The ledger's persistence: units of account, accounts, the journal and its signed blocks.

Journal rows (:class:`Transfer`) are never updated or deleted: a mistake is corrected by a
reversing transfer, and a reservation is closed by a second-phase transfer that refers to
it. Account rows keep the running balance and reservations; the database refuses any row
outside its limits, and ``minga ledger verify`` checks them against the journal's replay.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel
from minga.common.money import format_amount
from minga.core.ledger import TransferKind


class UnitKind(models.TextChoices):
    COMMUNITY = "community", _("Community currency of a network")
    HOURS = "hours", _("Hours of work")
    NATIONAL = "national", _("Records in a national currency")


class Unit(IdentifiedModel):
    """A unit of account, issued by a network, counted in integer minor units."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    network = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("issuing network"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    scale = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, help_text=_("Minor units: 2 means amounts in cents.")
    )
    default_lowest_balance = models.BigIntegerField(_("default credit limit"), default=0)
    default_highest_balance = models.BigIntegerField(
        _("default upper limit"), null=True, blank=True
    )
    clearing_consent = models.CharField(
        _("who must consent to a clearing round"),
        max_length=16,
        choices=[
            ("coordinator", _("A coordinator of the network approves")),
            ("all", _("Every participating organization consents")),
        ],
        default="all",
    )

    canonical_path_prefix: ClassVar[str] = "units"

    class Meta:
        verbose_name = _("unit of account")
        verbose_name_plural = _("units of account")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_lowest_balance__lte=0), name="unit_credit_limit_not_positive"
            ),
            models.CheckConstraint(condition=Q(scale__lte=6), name="unit_scale_at_most_6"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return f"{reverse('exchange:home')}?unit={self.code}"

    def format(self, amount: int) -> str:
        """An amount in minor units as a decimal string in this unit (``12.50 MINGA``)."""
        return format_amount(amount, self.scale, self.code)


class Account(IdentifiedModel):
    """An organization's account in one unit, or one it holds for a purpose (a fund).

    An organization has one own account per unit (``purpose`` empty) and may hold designated
    accounts beside it (``purpose`` names what for, e.g. ``fund:<uuid>``). Only the service
    that owns a designated account moves money out of it (with the platform's capability):
    the exchange's pages and API refuse to debit it, so a fund's money leaves only through
    the fund's approval rules.
    """

    organization = models.ForeignKey(
        "registry.Organization", on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="accounts")
    purpose = models.CharField(
        _("held for"),
        max_length=80,
        blank=True,
        default="",
        help_text=_("Empty for the organization's own account; what a designated account is for."),
    )
    lowest_balance = models.BigIntegerField(_("credit limit (lowest balance)"))
    highest_balance = models.BigIntegerField(_("upper limit"), null=True, blank=True)
    frozen = models.BooleanField(_("frozen"), default=False)
    balance = models.BigIntegerField(_("balance"), default=0)
    pending_debits = models.BigIntegerField(_("reserved to pay"), default=0)
    pending_credits = models.BigIntegerField(_("reserved to receive"), default=0)

    canonical_path_prefix: ClassVar[str] = "accounts"

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["unit__code", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "unit", "purpose"], name="account_one_per_unit_purpose"
            ),
            models.CheckConstraint(
                condition=Q(lowest_balance__lte=0), name="account_credit_limit_not_positive"
            ),
            models.CheckConstraint(
                condition=Q(pending_debits__gte=0) & Q(pending_credits__gte=0),
                name="account_reservations_not_negative",
            ),
            # The limits hold with reservations included, in the database itself.
            models.CheckConstraint(
                condition=Q(balance__gte=F("lowest_balance") + F("pending_debits")),
                name="account_within_credit_limit",
            ),
            models.CheckConstraint(
                condition=Q(highest_balance__isnull=True)
                | Q(highest_balance__gte=F("balance") + F("pending_credits")),
                name="account_within_upper_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.unit.code}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:account", kwargs={"uuid": self.uuid})


class Transfer(models.Model):
    """One entry of the journal, in chain order. Never updated, never deleted."""

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    uuid = models.UUIDField(_("identifier"), unique=True)
    client_id = models.CharField(
        _("client identifier"),
        max_length=64,
        unique=True,
        help_text=_("Chosen by the client; resubmitting the same request returns this entry."),
    )
    request_digest = models.CharField(max_length=64)
    kind = models.CharField(
        _("kind"), max_length=16, choices=[(kind.value, kind.value) for kind in TransferKind]
    )
    # No index of their own: the (account, sequence) indexes below start with them. Every
    # index is one more tree each journal row updates, and the journal grows by thousands
    # of rows a second.
    debit = models.ForeignKey(
        Account,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="debits",
        db_index=False,
    )
    credit = models.ForeignKey(
        Account,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="credits",
        db_index=False,
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(_("amount"))
    pending = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolution",
        help_text=_("The reservation this entry posts, voids or expires (once only)."),
    )
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
        help_text=_("The transfer this one corrects (once only)."),
    )
    # A batch's entries are the sequence range of its block (ChainBlock), so neither the
    # batch nor the hash (unique by construction: it covers the sequence) needs an index.
    batch = models.UUIDField(_("batch"))
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"))
    expires_at = models.DateTimeField(_("reservation expires"), null=True, blank=True)
    hash = models.CharField(max_length=64)
    # Who submitted the entry, and with which personal access token (none for the pages
    # and for the platform's own entries, such as expiries). Part of the entry's hash. Not
    # indexed: the journal is never searched by them (only deleting a person would).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    access_token = models.ForeignKey(
        "people.PersonalAccessToken",
        verbose_name=_("access token"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["debit", "sequence"], name="transfer_debit_seq"),
            models.Index(fields=["credit", "sequence"], name="transfer_credit_seq"),
            models.Index(fields=["kind", "expires_at"], name="transfer_kind_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="transfer_amount_not_negative"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="transfer_two_accounts"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.amount} {self.debit_id}→{self.credit_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Integrity, not business logic: the journal is append-only.
        if not self._state.adding:
            raise TypeError("Journal entries are never changed.")
        super().save(*args, **kwargs)


class ChainBlock(models.Model):
    """The transfers written by one batch, signed with the server's Ed25519 key."""

    number = models.BigIntegerField(unique=True)
    first_sequence = models.BigIntegerField()
    last_sequence = models.BigIntegerField(unique=True)
    last_hash = models.CharField(max_length=64)
    signature = models.BinaryField()
    key_id = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    access_token = models.ForeignKey(
        "people.PersonalAccessToken",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"block {self.number} (#{self.first_sequence}–#{self.last_sequence})"


class ChainHead(models.Model):
    """One row: where the chain ends. Locking it serializes writers to the journal."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_block = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="chain_head_single_row")]

    def __str__(self) -> str:
        return f"head at #{self.last_sequence}"
