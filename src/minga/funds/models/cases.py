"""The legal-support case register of a fund, kept strictly private.

What is in clear, and why (``docs/security.md`` says the same): the case's opaque
reference, its fund, country, kind of case and status (the public report's aggregates), the
month it was opened (the report's years), the dates of hearings and deadlines (the
reminders), who is on its team and the read log (who may read it, and who did). Everything
else — the pseudonym, the place, the summary, the outcome, the real identity, the details
of each hearing and deadline, the notes, the documents, what each expense was for — is
sealed (``sealing``) under the case's own data key, itself wrapped by the master key.

None of these models has a canonical address, an index in search, a feed or a federation
activity: a case exists only for its team.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..types import CaseDateKind, CaseKind, CaseReadKind, CaseRole, CaseStatus
from .funds import Fund
from .movements import Movement


class LegalCase(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=16, unique=True)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind of case"), max_length=16, choices=CaseKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_in = models.DateField(_("opened in (month)"))  # the first day of the month
    key_id = models.CharField(max_length=32)
    wrapped_key = models.BinaryField()
    sealed = models.BinaryField()  # pseudonym, place, summary, outcome

    class Meta:
        verbose_name = _("legal case")
        verbose_name_plural = _("legal cases")
        ordering = ["-opened_in", "-id"]
        indexes = [
            # The fund's report counts its cases by these four in one pass of this index.
            models.Index(
                fields=["fund", "kind", "country", "status", "opened_in"], name="case_fund_report"
            ),
            # A team's list, newest first: walked in order and stopped after a page,
            # instead of sorting every case the reader may see.
            models.Index(fields=["-opened_in", "-id"], name="case_newest"),
        ]

    def __str__(self) -> str:
        # Only the opaque reference: this is what the audit log and the ledger see.
        return self.reference


class CaseIdentity(models.Model):
    """The supported person's real identity, apart from the case (its lawyers and
    coordinators read it, not its advocates)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(LegalCase, on_delete=models.CASCADE, related_name="identity")
    sealed = models.BinaryField()

    def __str__(self) -> str:
        return str(self.case)


class CaseMember(models.Model):
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="legal_cases"
    )
    role = models.CharField(_("role"), max_length=16, choices=CaseRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_once")]

    def __str__(self) -> str:
        return f"{self.case} · {self.user}"


class CaseDate(models.Model):
    """A hearing or a deadline: its day in clear (for the reminders), the rest sealed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="dates")
    kind = models.CharField(_("kind"), max_length=16, choices=CaseDateKind.choices)
    on = models.DateField(_("day"))
    done = models.BooleanField(_("done"), default=False)
    reminded_for = models.DateField(null=True, blank=True)
    sealed = models.BinaryField()  # what, where, time

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["done", "on"], name="case_date_due")]

    def __str__(self) -> str:
        return f"{self.case} · {self.on}"


class CaseNote(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed = models.BinaryField()  # text, written at

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(self.case)


class CaseDocument(models.Model):
    """A document of a case, sealed whole in the database (never a file in the media
    directory): a rotation re-encrypts it in the same transaction as the rest."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="documents")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sealed = models.BinaryField()  # title, file name, content type, size, added on
    content = models.BinaryField()  # the file's bytes

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(self.case)


class CaseExpense(models.Model):
    """An expense of a case paid from the fund: the fund's movement (amount, category, the
    case's reference) is what the ledger and the fund's managers see; what it paid for and
    to whom is sealed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="expenses")
    movement = models.OneToOneField(Movement, on_delete=models.PROTECT, related_name="+")
    sealed = models.BinaryField()  # paid to, what for

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(self.case)


class CaseRead(models.Model):
    """One read of a case by a member of its team: the log the team reads."""

    case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=16, choices=CaseReadKind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="case_read_at")]

    def __str__(self) -> str:
        return f"{self.case} · {self.what}"


class CaseDeletion(models.Model):
    """That a case was deleted at the supported person's request: its reference (which the
    fund's ledger movements still carry), fund and day, nothing about the person."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="case_deletions")
    reference = models.CharField(max_length=16, unique=True)
    deleted_on = models.DateField()

    class Meta:
        ordering = ["-deleted_on", "-id"]

    def __str__(self) -> str:
        return self.reference
