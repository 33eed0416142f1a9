"""The inbox: every activity that arrives, stored before anything is done with it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from minga.common.stator import State, StatefulModel, StateGraph

from ..types import InboxState


class InboxItem(StatefulModel):
    """One incoming activity, its signature already verified, waiting to be processed.

    Stored first and processed by the worker, so a crash or a bug in processing loses
    nothing; the same activity arriving twice (retries, shared inboxes) is stored once.
    """

    activity_id = models.URLField(_("activity"), max_length=500, unique=True)
    activity_type = models.CharField(_("type"), max_length=40, db_index=True)
    actor_uri = models.URLField(_("sent by"), max_length=500, db_index=True)
    payload = models.JSONField(_("activity"))
    key_id = models.CharField(_("signed with"), max_length=500)
    signature_scheme = models.CharField(_("signature"), max_length=16)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    graph = StateGraph(
        initial=InboxState.RECEIVED,
        states={
            InboxState.RECEIVED: State(
                handler="process",
                max_attempts=6,
                gives_up_to=InboxState.FAILED,
                retry_base=timedelta(seconds=30),
            ),
            InboxState.PROCESSED: State(),
            InboxState.IGNORED: State(),
            InboxState.FAILED: State(),
        },
    )

    class Meta:
        verbose_name = _("received activity")
        verbose_name_plural = _("received activities")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.activity_type} {self.activity_id}"

    def process(self) -> str:
        from ..services.inbox import process_item

        outcome: Any = process_item(self)
        return str(outcome)
