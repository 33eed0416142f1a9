"""The outbox: activities our organizations send, and their deliveries to remote inboxes."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel
from minga.common.stator import State, StatefulModel, StateGraph

from ..types import DeliveryState
from .actors import RemoteServer


class OutboxActivity(IdentifiedModel, StatefulModel):
    """An activity sent by one of our organizations (or by the server itself).

    It is stored with the exact bytes that will be sent; the worker then fans it out into
    one :class:`Delivery` per remote inbox (shared inboxes where servers have them).
    """

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    activity_type = models.CharField(_("type"), max_length=40)
    object_uri = models.URLField(_("object"), max_length=500, blank=True, db_index=True)
    body = models.TextField(_("activity (JSON)"))
    to_followers = models.BooleanField(_("to every remote follower"), default=False)
    extra_inboxes = models.JSONField(_("other inboxes"), default=list, blank=True)

    graph = StateGraph(
        initial="new",
        states={
            "new": State(handler="fan_out", max_attempts=5, gives_up_to="failed"),
            "fanned_out": State(),
            "failed": State(),
        },
    )

    class Meta:
        verbose_name = _("sent activity")
        verbose_name_plural = _("sent activities")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.activity_type} {self.object_uri or self.uuid}"

    def fan_out(self) -> str:
        from ..services.outbox import fan_out

        fan_out(self)
        return "fanned_out"


class Delivery(StatefulModel):
    """One activity to one remote inbox: retried with exponential backoff until delivered,
    and given up after many attempts (about two days); survives restarts."""

    activity = models.ForeignKey(
        OutboxActivity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    inbox = models.URLField(_("inbox"), max_length=500)
    server = models.ForeignKey(
        RemoteServer, verbose_name=_("server"), on_delete=models.CASCADE, related_name="deliveries"
    )
    last_status = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    detail = models.TextField(_("why it was given up"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    graph = StateGraph(
        initial=DeliveryState.QUEUED,
        states={
            DeliveryState.QUEUED: State(
                handler="deliver",
                max_attempts=16,
                gives_up_to=DeliveryState.FAILED,
                retry_base=timedelta(seconds=60),
                retry_cap=timedelta(hours=6),
                claim_for=timedelta(minutes=2),
            ),
            DeliveryState.DELIVERED: State(),
            DeliveryState.FAILED: State(),
            DeliveryState.CANCELLED: State(),
        },
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="delivery_once_per_inbox")
        ]
        indexes = [models.Index(fields=["server", "state"], name="delivery_server_state")]

    def __str__(self) -> str:
        return f"{self.activity} → {self.inbox}"

    def retry_delay(self, state: State) -> timedelta:
        # Tests and benchmarks shorten the wait (MINGA_FEDERATION_RETRY_BASE_SECONDS).
        base = getattr(settings, "FEDERATION_RETRY_BASE_SECONDS", None)
        if base is None:
            return state.retry_delay(self.attempts)
        delay: timedelta = timedelta(seconds=float(base)) * (2 ** max(self.attempts - 1, 0))
        return min(state.retry_cap, delay)

    def deliver(self) -> str:
        from ..services.outbox import deliver

        return deliver(self)
