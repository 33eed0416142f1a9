"""Writes of federation, a module per aggregate; callers write ``services.follow_create``."""

from .actors import ActorUnavailableError, actor_fetch, actor_for_key, webfinger
from .blocks import actor_block, actor_unblock, delivery_retry, domain_block, domain_unblock
from .follows import follow_create, follow_undo, follower_remove
from .inbox import Receipt, receive
from .keys import current_key, key_rotate
from .outbox import activity_send, actor_update_send, publish

__all__ = [
    "ActorUnavailableError",
    "Receipt",
    "activity_send",
    "actor_block",
    "actor_fetch",
    "actor_for_key",
    "actor_unblock",
    "actor_update_send",
    "current_key",
    "delivery_retry",
    "domain_block",
    "domain_unblock",
    "follow_create",
    "follow_undo",
    "follower_remove",
    "key_rotate",
    "publish",
    "receive",
    "webfinger",
]
