"""Email digests: double opt-in subscriptions to an organization's bulletins."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minga.common.stator import State, StatefulModel, StateGraph

from ..types import DigestFrequency, SubscriptionState


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(StatefulModel):
    """An email address that receives an organization's bulletins as a digest, in its
    language, once confirmed (double opt-in); every digest has a one-click unsubscribe link.

    The worker sends the confirmation (``confirming``), then, once confirmed (``active``),
    each digest when it is due; the address is never shown to anyone.
    """

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=8, default="es")
    frequency = models.CharField(
        _("how often"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    digests_sent = models.PositiveIntegerField(_("digests sent"), default=0)

    graph = StateGraph(
        initial=SubscriptionState.CONFIRMING,
        states={
            SubscriptionState.CONFIRMING: State(
                handler="send_confirmation",
                max_attempts=8,
                gives_up_to=SubscriptionState.BOUNCED,
                retry_base=timedelta(minutes=2),
                claim_for=timedelta(minutes=5),
            ),
            SubscriptionState.AWAITING: State(),
            SubscriptionState.ACTIVE: State(
                handler="send_digest",
                max_attempts=8,
                gives_up_to=SubscriptionState.BOUNCED,
                retry_base=timedelta(minutes=5),
                claim_for=timedelta(minutes=10),
            ),
            SubscriptionState.UNSUBSCRIBED: State(),
            SubscriptionState.BOUNCED: State(),
        },
    )

    class Meta:
        verbose_name = _("email subscription")
        verbose_name_plural = _("email subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(state__in=["confirming", "awaiting", "active"]),
                name="subscription_once_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.state}"

    def send_confirmation(self) -> str:
        from ..services.subscriptions import send_confirmation

        return send_confirmation(self)

    def send_digest(self) -> str | None:
        from ..services.subscriptions import send_digest

        return send_digest(self)
