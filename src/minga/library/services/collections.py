"""Collections curated by organizations."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded

from ..audit_events import LibraryEvent
from ..models import Collection, CollectionEntry, Item


def _check(title: str, visibility: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the collection a title."), "title", code="title_required")
    if visibility not in Visibility.values:
        raise DomainError(_("Unknown visibility."), "visibility", code="unknown_visibility")
    return title[:300]


@guarded("library.collection.create", on="organization")
@transaction.atomic
def collection_create(
    *,
    actor: Any,
    organization: Any,
    title: str,
    description: str = "",
    language: str = "es",
    visibility: str = Visibility.PUBLIC,
) -> Collection:
    collection = Collection.objects.create(
        organization=organization,
        title=_check(title, visibility),
        description=description.strip(),
        language=language or "es",
        visibility=visibility,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if visibility == Visibility.ORGANIZATIONS:
        collection.visible_to_organizations.set([organization])
    audit.record(actor=actor, action=LibraryEvent.COLLECTION_CREATE, target=collection)
    return collection


@guarded("library.collection.change", on="collection")
@transaction.atomic
def collection_update(
    *,
    actor: Any,
    collection: Collection,
    title: str,
    description: str,
    language: str,
    visibility: str,
) -> Collection:
    before = {
        "title": collection.title,
        "description": collection.description,
        "visibility": collection.visibility,
    }
    collection.title = _check(title, visibility)
    collection.description = description.strip()
    collection.language = language or collection.language
    collection.visibility = visibility
    collection.save()
    if visibility == Visibility.ORGANIZATIONS:
        collection.visible_to_organizations.add(collection.organization)
    changes = audit.field_changes(before, {key: getattr(collection, key) for key in before})
    if changes:
        audit.record(
            actor=actor, action=LibraryEvent.COLLECTION_UPDATE, target=collection, changes=changes
        )
    return collection


@guarded("library.collection.change", on="collection")
@transaction.atomic
def collection_item_add(
    *, actor: Any, collection: Collection, item: Item, note: str = ""
) -> CollectionEntry:
    """Add an item (the caller found it through the visibility rule) at the end; adding it
    again only updates its note."""
    position = (collection.entries.aggregate(last=Max("position"))["last"] or 0) + 1
    entry, created = CollectionEntry.objects.get_or_create(
        collection=collection, item=item, defaults={"position": position, "note": note.strip()}
    )
    if not created and note.strip() != entry.note:
        entry.note = note.strip()
        entry.save(update_fields=["note"])
    audit.record(
        actor=actor,
        action=LibraryEvent.COLLECTION_UPDATE,
        target=collection,
        changes={"items": [None, str(item.uuid)]},
    )
    return entry


@guarded("library.collection.change", on="collection")
@transaction.atomic
def collection_item_remove(*, actor: Any, collection: Collection, item: Item) -> None:
    deleted, _rows = CollectionEntry.objects.filter(collection=collection, item=item).delete()
    if not deleted:
        raise DomainError(
            _("This item is not in the collection."), "item", code="not_in_collection", status=409
        )
    audit.record(
        actor=actor,
        action=LibraryEvent.COLLECTION_UPDATE,
        target=collection,
        changes={"items": [str(item.uuid), None]},
    )
