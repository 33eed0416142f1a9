"""Certificates: issued once per enrolment, signed, revocable with a reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class Certificate(IdentifiedModel):
    enrolment = models.OneToOneField(
        "education.Enrolment", on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    signed = models.TextField(_("signed form"))
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(
        _("coordinator's decision"),
        blank=True,
        help_text=_("Why it was issued without the completion rules being met."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "id"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("education:verify", kwargs={"code": self.code})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
