"""Access protocols: a community's rules on who may see its items.

A protocol belongs to a community (an organization). Open protocols let in whoever the
item's visibility allows; strict ones only their members. Stewards (the protocol's
custodians) grant and revoke membership and answer access requests; every access to an item
under a strict protocol is logged for them.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel

from ..types import AccessChannel, MembershipRole, ProtocolKind, RequestStatus


class Protocol(IdentifiedModel):
    community = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="library_protocols",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=8, choices=ProtocolKind.choices, default=ProtocolKind.STRICT
    )
    include_community_members = models.BooleanField(
        _("every member of the community belongs"),
        default=False,
        help_text=_("Otherwise only the people the stewards grant membership to."),
    )
    listed = models.BooleanField(
        _("listed"),
        default=True,
        help_text=_(
            "Listed protocols show their name and description to signed-in people, who may "
            "ask to join; unlisted ones are known to their members only."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "library/protocols"

    class Meta:
        verbose_name = _("access protocol")
        verbose_name_plural = _("access protocols")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="libprotocol_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:protocol", kwargs={"uuid": self.uuid})


class ProtocolMembership(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_memberships"
    )
    role = models.CharField(
        _("role"), max_length=8, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("protocol membership")
        verbose_name_plural = _("protocol memberships")
        ordering = ["protocol", "role", "person"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "person"], name="libmembership_once")
        ]
        indexes = [models.Index(fields=["person", "protocol"], name="libmembership_person")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.protocol_id} ({self.role})"


class AccessRequest(IdentifiedModel):
    """Someone asks a protocol's stewards to be let in."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_requests"
    )
    message = models.TextField(_("why you ask"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "person"],
                condition=Q(status="pending"),
                name="librequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.protocol_id}"


class AccessLogEntry(models.Model):
    """One reading of an item under a strict protocol, for its stewards and custodians."""

    item = models.ForeignKey("library.Item", on_delete=models.CASCADE, related_name="access_log")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    channel = models.CharField(_("how"), max_length=8, choices=AccessChannel.choices)

    class Meta:
        verbose_name = _("access to a protected item")
        verbose_name_plural = _("accesses to protected items")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["item", "-at"], name="libaccess_item_at")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.channel} {self.at:%Y-%m-%d %H:%M}"
