"""Sending: activities are stored, fanned out into deliveries, and delivered by the worker.

Apps publish with :func:`publish` (Create, Update, Delete of a public object, addressed to
the public and the organization's followers) or :func:`activity_send` (an activity to
given inboxes). Nothing is sent from a request: the activity is stored in the same
transaction as the change it reports, and the worker (``minga stator``) fans it out and
delivers it, with retries and backoff, across restarts.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minga.common.permissions import unguarded

from .. import activitypub as ap
from .. import http
from ..http import FetchRefusedError
from ..models import Delivery, Follow, OutboxActivity, RemoteServer
from ..selectors import actor_blocked, domain_blocked
from ..signatures import sign
from ..types import CONTEXT, PUBLIC, DeliveryState, FollowState
from .keys import current_key

if TYPE_CHECKING:
    from minga.registry.models import Organization

DELIVERY_TIMEOUT = 15.0
# Answers that will never change on a retry: the inbox is gone or refuses this activity.
PERMANENT_FAILURES = {400, 401, 403, 404, 405, 410, 413, 422}


class DeliveryError(Exception):
    """A delivery to retry later."""


def _serialize(activity: dict[str, Any]) -> str:
    return json.dumps(activity, ensure_ascii=False, separators=(",", ":"))


@unguarded(
    "called by apps' services after their own permission checks; only activities they build "
    "for public objects, addressed here"
)
def activity_send(
    *,
    organization: Organization | None,
    activity: dict[str, Any],
    to_followers: bool = False,
    inboxes: list[str] | None = None,
) -> OutboxActivity:
    """Store an activity to send; the worker fans it out and delivers it."""
    activity = {"@context": CONTEXT, **activity}
    obj = activity.get("object")
    return OutboxActivity.objects.create(
        organization=organization,
        activity_type=str(activity.get("type", "")),
        object_uri=(ap.id_of(obj) or "")[:500],
        body=_serialize(activity),
        to_followers=to_followers,
        extra_inboxes=sorted(set(inboxes or [])),
        state="new",
        next_attempt_at=timezone.now(),
    )


@unguarded(
    "called by apps' services after their own checks, for public objects only; it refuses "
    "anything not addressed to the public"
)
def publish(
    *,
    organization: Organization,
    verb: str,
    obj: dict[str, Any],
    extra_inboxes: list[str] | None = None,
) -> OutboxActivity:
    """Create, Update or Delete a public object, to the public and the followers.

    ``obj`` is the object as built by the app (with its ``id``); a Delete carries a
    Tombstone. Objects not addressed to the public are refused here, whatever the app says:
    only public content ever leaves the server.
    """
    if verb not in ("Create", "Update", "Delete"):
        raise ValueError(f"Unknown verb {verb!r}.")
    if verb != "Delete" and not ap.addressed_publicly(obj):
        raise ValueError("Only public objects are federated.")
    actor = ap.actor_uri(organization)
    stamp = timezone.now()
    activity = {
        "id": f"{obj['id']}#{verb.lower()}-{int(stamp.timestamp() * 1000)}",
        "type": verb,
        "actor": actor,
        "published": stamp.isoformat(),
        "to": [PUBLIC],
        "cc": [ap.followers_uri(organization)],
        "object": obj,
    }
    return activity_send(
        organization=organization,
        activity=activity,
        to_followers=True,
        inboxes=extra_inboxes,
    )


@unguarded("tells followers' servers that an organization's actor changed (name, key)")
def actor_update_send(organization: Organization) -> OutboxActivity | None:
    if organization.visibility != "public":
        return None
    document = ap.actor_document(organization, current_key(organization))
    document.pop("@context", None)
    stamp = timezone.now()
    return activity_send(
        organization=organization,
        activity={
            "id": f"{document['id']}#update-{int(stamp.timestamp() * 1000)}",
            "type": "Update",
            "actor": document["id"],
            "to": [PUBLIC],
            "cc": [ap.followers_uri(organization)],
            "object": document,
        },
        to_followers=True,
    )


@unguarded("the worker's step: turns a stored activity into one delivery per inbox")
@transaction.atomic
def fan_out(activity: OutboxActivity) -> int:
    """One delivery per distinct inbox (a server's shared inbox serves all its followers)."""
    targets: dict[str, int] = {}
    if activity.to_followers and activity.organization_id is not None:
        rows = (
            Follow.objects.filter(
                target_organization_id=activity.organization_id,
                state=FollowState.ACCEPTED,
                follower_actor__isnull=False,
                follower_actor__gone=False,
            )
            .order_by()
            .values_list(
                "follower_actor__shared_inbox",
                "follower_actor__inbox",
                "follower_actor__server_id",
                "follower_actor__uri",
            )
            .distinct()
        )
        blocked_actors = set(_blocked_actor_uris())
        for shared, inbox, server_id, uri in rows.iterator(chunk_size=2000):
            if uri in blocked_actors:
                continue
            targets.setdefault(shared or inbox, server_id)
    for inbox in activity.extra_inboxes:
        if isinstance(inbox, str) and not ap.is_local(inbox):
            server, _created = RemoteServer.objects.get_or_create(domain=ap.domain_of(inbox))
            targets.setdefault(inbox, server.pk)
    blocked_domains = {
        server_id
        for server_id, domain in RemoteServer.objects.filter(pk__in=set(targets.values()))
        .values_list("pk", "domain")
        .iterator()
        if domain_blocked(domain)
    }
    now = timezone.now()
    deliveries = [
        Delivery(
            activity=activity,
            inbox=inbox,
            server_id=server_id,
            state=DeliveryState.QUEUED,
            next_attempt_at=now,
        )
        for inbox, server_id in targets.items()
        if server_id not in blocked_domains
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=500, ignore_conflicts=True)
    return len(deliveries)


def _blocked_actor_uris() -> list[str]:
    from ..models import ActorBlock

    return list(ActorBlock.objects.values_list("actor_uri", flat=True))


@unguarded("the worker's step: one signed POST to a remote inbox")
def deliver(delivery: Delivery) -> str:
    """POST the activity, signed with the sending organization's key (run outside any
    transaction). Returns the next state; raises to be retried with backoff."""
    activity = delivery.activity
    if actor_blocked(delivery.inbox):
        return DeliveryState.CANCELLED
    key = current_key(activity.organization)
    body = activity.body.encode()
    headers = sign(
        method="POST",
        url=delivery.inbox,
        key_id=ap.key_id(key),
        private_pem=key.private_pem,
        body=body,
        headers={"Content-Type": "application/activity+json", "Accept": "application/json"},
    )
    started = time.monotonic()
    try:
        answer = http.request(
            "POST",
            delivery.inbox,
            headers=headers,
            body=body,
            timeout=DELIVERY_TIMEOUT,
            max_bytes=100_000,
            follow_redirects=False,
        )
    except FetchRefusedError as error:
        _server_failed(delivery)
        if error.unsafe:
            delivery.detail = error.reason
            return DeliveryState.FAILED
        raise DeliveryError(error.reason) from error
    delivery.last_status = answer.status
    if 200 <= answer.status < 300:
        delivery.delivered_at = timezone.now()
        RemoteServer.objects.filter(pk=delivery.server_id).update(
            last_success_at=delivery.delivered_at, consecutive_failures=0
        )
        return DeliveryState.DELIVERED
    _server_failed(delivery)
    if answer.status in PERMANENT_FAILURES:
        delivery.detail = f"{answer.status}: {answer.body[:300].decode('utf-8', 'replace')}"
        return DeliveryState.FAILED
    elapsed = time.monotonic() - started
    raise DeliveryError(f"{delivery.inbox} answered {answer.status} after {elapsed:.1f} s")


def _server_failed(delivery: Delivery) -> None:
    RemoteServer.objects.filter(pk=delivery.server_id).update(
        last_failure_at=timezone.now(), consecutive_failures=F("consecutive_failures") + 1
    )
