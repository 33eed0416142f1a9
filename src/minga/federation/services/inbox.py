"""Receiving: every activity is checked, stored, and only then processed by the worker.

:func:`receive` answers an inbox request. It refuses, before storing anything: a body too
large (413), malformed JSON or an activity without type, id or actor (400), an unsigned
request or a signature that does not verify, is stale, or was made by someone other than
the activity's actor (401), anything from a blocked domain or account (403), and a sender
above the rate limit (429). What passes is stored once (an activity arriving twice, as
servers retry, is stored once) and answered 202; the worker then runs :func:`process_item`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from minga.common.permissions import unguarded
from minga.registry.selectors import get_organization_for

from .. import activitypub as ap
from ..hooks import content_handlers
from ..models import Follow, InboxItem, RemoteActor
from ..selectors import actor_blocked
from ..signatures import IncomingRequest, SignatureError, key_id_of, scheme_of, verify
from ..types import FollowState, InboxState
from .actors import ACTOR_TYPES, ActorUnavailableError, actor_for_key, actor_store
from .outbox import activity_send

DEFAULT_MAX_PAYLOAD = 512 * 1024
DEFAULT_RATE_PER_MINUTE = 600


@dataclass(frozen=True)
class Receipt:
    status: int
    reason: str
    item: InboxItem | None = None


def _rate_limited(domain: str) -> bool:
    limit = int(getattr(settings, "FEDERATION_INBOX_RATE_PER_MINUTE", DEFAULT_RATE_PER_MINUTE))
    key = f"federation:inbox-rate:{domain}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60)
        count = 1
    return count > limit


@unguarded("the inbox: every activity is authenticated by its HTTP signature before it is stored")
def receive(incoming: IncomingRequest) -> Receipt:
    """Check one incoming activity and store it; the answer's status says what happened."""
    limit = int(getattr(settings, "FEDERATION_MAX_PAYLOAD_BYTES", DEFAULT_MAX_PAYLOAD))
    if len(incoming.body) > limit:
        return Receipt(413, "the activity is too large")
    try:
        document = json.loads(incoming.body)
    except (ValueError, UnicodeDecodeError):
        return Receipt(400, "the body is not JSON")
    if not isinstance(document, dict):
        return Receipt(400, "the body is not a JSON object")
    activity_type = ap.type_of(document)
    actor_uri = ap.id_of(document.get("actor"))
    activity_id = document.get("id")
    if not activity_type or not actor_uri or not isinstance(activity_id, str):
        return Receipt(400, "an activity needs a type, an id and an actor")
    if not actor_uri.startswith(("https://", "http://")) or len(activity_id) > 500:
        return Receipt(400, "the activity's addresses are malformed")
    if scheme_of(incoming) is None:
        return Receipt(401, "the request is not signed")
    try:
        key_id = key_id_of(incoming)
    except SignatureError as error:
        return Receipt(401, error.reason)
    if actor_blocked(actor_uri) or actor_blocked(key_id.split("#")[0]):
        return Receipt(403, "blocked")
    if _rate_limited(ap.domain_of(key_id)):
        return Receipt(429, "too many activities; try again later")
    known = RemoteActor.objects.filter(key_id=key_id).exists()
    try:
        actor = actor_for_key(key_id)
    except ActorUnavailableError as error:
        if activity_type == "Delete" and ap.id_of(document.get("object")) == actor_uri:
            # A deleted account's server tells us it is gone; its key is gone too.
            return Receipt(202, "the deletion of an account we do not know")
        return Receipt(401, f"the signing key could not be fetched ({error})")
    try:
        scheme = verify(incoming, actor.public_key_pem)
    except SignatureError as error:
        if not known:
            return Receipt(401, error.reason)
        try:  # the key may have rotated since we last fetched it
            actor = actor_for_key(key_id, refresh=True)
            scheme = verify(incoming, actor.public_key_pem)
        except (ActorUnavailableError, SignatureError) as retry_error:
            return Receipt(401, getattr(retry_error, "reason", str(retry_error)))
    if actor.uri != actor_uri:
        return Receipt(401, "the activity was signed by someone other than its actor")
    if ap.domain_of(activity_id) != ap.domain_of(actor_uri):
        return Receipt(400, "the activity's id is on another server than its actor")
    try:
        with transaction.atomic():
            item, created = InboxItem.objects.get_or_create(
                activity_id=activity_id,
                defaults={
                    "activity_type": activity_type[:40],
                    "actor_uri": actor_uri,
                    "payload": document,
                    "key_id": key_id[:500],
                    "signature_scheme": scheme,
                    "state": InboxState.RECEIVED,
                    "next_attempt_at": timezone.now(),
                },
            )
    except IntegrityError:
        return Receipt(202, "already received")
    return Receipt(202, "accepted" if created else "already received", item)


@unguarded("the worker processes stored activities; each was authenticated on arrival")
def process_item(item: InboxItem) -> str:
    """Act on one stored activity (inside the worker's transaction); returns its new state."""
    actor = RemoteActor.objects.select_related("server").filter(uri=item.actor_uri).first()
    outcome: str | None
    if actor is None or actor_blocked(item.actor_uri):
        outcome = None
    else:
        handler = _HANDLERS.get(item.activity_type)
        outcome = handler(actor, item.payload) if handler else None
    InboxItem.objects.filter(pk=item.pk).update(
        outcome=(outcome or "ignored")[:200], processed_at=timezone.now()
    )
    return InboxState.PROCESSED if outcome else InboxState.IGNORED


def _local_organization(uri: str | None) -> Any:
    uuid = ap.organization_uuid_of(uri or "")
    if uuid is None:
        return None
    try:
        return get_organization_for(None, uuid=uuid)  # public organizations only
    except Exception:  # Http404 or a malformed UUID
        return None


def _on_follow(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
    organization = _local_organization(ap.id_of(activity.get("object")))
    if organization is None:
        return None
    follow = (
        Follow.objects.select_for_update(of=("self",))
        .filter(
            follower_actor=actor,
            target_organization=organization,
            state__in=[FollowState.PENDING, FollowState.ACCEPTED],
        )
        .first()
    )
    if follow is None:
        follow = Follow(follower_actor=actor, target_organization=organization)
    follow.state = FollowState.ACCEPTED
    follow.accepted_at = follow.accepted_at or timezone.now()
    follow.activity_uri = str(activity["id"])[:500]
    follow.save()
    organization_uri = ap.actor_uri(organization)
    activity_send(
        organization=organization,
        activity={
            "id": f"{organization_uri}#accepts/{follow.uuid}",
            "type": "Accept",
            "actor": organization_uri,
            "object": {
                "id": activity["id"],
                "type": "Follow",
                "actor": actor.uri,
                "object": organization_uri,
            },
        },
        inboxes=[actor.inbox],
    )
    return "follower accepted"


def _our_follow(actor: RemoteActor, activity: dict[str, Any]) -> Follow | None:
    obj = activity.get("object")
    follow_id = ap.id_of(obj)
    follows = Follow.objects.select_for_update(of=("self",)).filter(
        target_actor=actor, state__in=[FollowState.PENDING, FollowState.ACCEPTED]
    )
    if follow_id:
        by_id = follows.filter(activity_uri=follow_id).first()
        if by_id is not None:
            return by_id
    if isinstance(obj, dict) and ap.type_of(obj) == "Follow":
        follower = _local_organization(ap.id_of(obj.get("actor")))
        if follower is not None:
            return follows.filter(follower_organization=follower).first()
    return None


def _on_accept(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
    follow = _our_follow(actor, activity)
    if follow is None:
        return None
    follow.state = FollowState.ACCEPTED
    follow.accepted_at = timezone.now()
    follow.save(update_fields=["state", "accepted_at", "updated_at"])
    return "follow accepted"


def _on_reject(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
    follow = _our_follow(actor, activity)
    if follow is None:
        return None
    follow.state = FollowState.REJECTED
    follow.save(update_fields=["state", "updated_at"])
    return "follow refused"


def _on_undo(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
    obj = activity.get("object")
    kind = ap.type_of(obj)
    if kind == "Follow" or (isinstance(obj, str) and "follow" in obj.lower()):
        object_id = ap.id_of(obj)
        ended = Follow.objects.filter(
            follower_actor=actor, state__in=[FollowState.PENDING, FollowState.ACCEPTED]
        )
        target = _local_organization(ap.id_of(obj.get("object"))) if isinstance(obj, dict) else None
        if target is not None:
            ended = ended.filter(target_organization=target)
        elif object_id:
            ended = ended.filter(activity_uri=object_id)
        count = ended.update(state=FollowState.UNDONE, updated_at=timezone.now())
        return "follow ended" if count else None
    object_id = ap.id_of(obj)
    if object_id:
        for handler in content_handlers():
            outcome = handler.delete(actor=actor, uri=object_id)
            if outcome:
                return outcome
    return None


def _on_create_or_update(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
    obj = activity.get("object")
    if not isinstance(obj, dict):
        return None
    if ap.type_of(obj) in ACTOR_TYPES:
        if obj.get("id") == actor.uri and activity.get("type") == "Update":
            actor_store(obj)
            return "account updated"
        return None
    if ap.domain_of(str(obj.get("id", ""))) != actor.server.domain:
        return None
    attributed = ap.id_of(obj.get("attributedTo"))
    if attributed not in (None, actor.uri):
        return None
    for handler in content_handlers():
        outcome = handler.create_or_update(actor=actor, obj=obj, activity=activity)
        if outcome:
            return outcome
    return None


def _on_delete(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
    uri = ap.id_of(activity.get("object"))
    if not uri:
        return None
    if uri == actor.uri:
        actor.gone = True
        actor.save(update_fields=["gone"])
        Follow.objects.filter(follower_actor=actor).update(state=FollowState.UNDONE)
        Follow.objects.filter(target_actor=actor).update(state=FollowState.UNDONE)
        for handler in content_handlers():
            handler.delete_actor(actor=actor)
        return "account deleted"
    for handler in content_handlers():
        outcome = handler.delete(actor=actor, uri=uri)
        if outcome:
            return outcome
    return None


def _reaction(kind: str) -> Any:
    def on_reaction(actor: RemoteActor, activity: dict[str, Any]) -> str | None:
        target = ap.id_of(activity.get("object"))
        if not target or not ap.is_local(target):
            return None
        for handler in content_handlers():
            outcome = handler.react(actor=actor, kind=kind, target_uri=target, activity=activity)
            if outcome:
                return outcome
        return None

    return on_reaction


_HANDLERS = {
    "Follow": _on_follow,
    "Accept": _on_accept,
    "Reject": _on_reject,
    "Undo": _on_undo,
    "Create": _on_create_or_update,
    "Update": _on_create_or_update,
    "Delete": _on_delete,
    "Announce": _reaction("boost"),
    "Like": _reaction("like"),
}
