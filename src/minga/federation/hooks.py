"""Where content apps plug into federation (this app never imports them).

- A **content handler** receives what remote actors publish: their posts, events and
  campaigns (created, updated, deleted), and their replies, boosts and likes of ours. The
  inbox calls every registered handler inside the worker's transaction; a handler ignores
  what is not for it.
- An **outbox source** lists an organization's public activities for its outbox
  collection (``/ap/actors/<uuid>/outbox``), newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import RemoteActor


class ContentHandler(Protocol):
    def create_or_update(
        self, *, actor: RemoteActor, obj: dict[str, Any], activity: dict[str, Any]
    ) -> str | None:
        """Store or refresh a remote object; returns a word on what was done, or None if the
        object is not for this handler."""

    def delete(self, *, actor: RemoteActor, uri: str) -> str | None:
        """Remove what ``actor`` published at ``uri`` (or a reaction of theirs)."""

    def delete_actor(self, *, actor: RemoteActor) -> None:
        """Remove everything an actor published (their account was deleted)."""

    def react(
        self, *, actor: RemoteActor, kind: str, target_uri: str, activity: dict[str, Any]
    ) -> str | None:
        """A boost (``boost``) or like (``like``) of one of our objects."""


_handlers: list[ContentHandler] = []

# (organization, page number from 1, page size) -> (total items, activities newest first)
OutboxSource = Callable[[Any, int, int], tuple[int, list[dict[str, Any]]]]
_outbox_sources: list[OutboxSource] = []


def register_content_handler(handler: ContentHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def content_handlers() -> list[ContentHandler]:
    return list(_handlers)


def register_outbox_source(source: OutboxSource) -> None:
    if source not in _outbox_sources:
        _outbox_sources.append(source)


def outbox_sources() -> list[OutboxSource]:
    return list(_outbox_sources)
