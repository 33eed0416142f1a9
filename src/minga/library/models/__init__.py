"""The library's models, a module per aggregate; re-exported here."""

from .attachments import Attachment
from .collections import Collection, CollectionEntry
from .items import (
    ConsentRecord,
    Ingredient,
    Item,
    ItemLink,
    ItemTranslation,
    ItemVersion,
    OaiTombstone,
    Step,
)
from .protocols import AccessLogEntry, AccessRequest, Protocol, ProtocolMembership
from .subjects import Subject, Tag

__all__ = [
    "AccessLogEntry",
    "AccessRequest",
    "Attachment",
    "Collection",
    "CollectionEntry",
    "ConsentRecord",
    "Ingredient",
    "Item",
    "ItemLink",
    "ItemTranslation",
    "ItemVersion",
    "OaiTombstone",
    "Protocol",
    "ProtocolMembership",
    "Step",
    "Subject",
    "Tag",
]
