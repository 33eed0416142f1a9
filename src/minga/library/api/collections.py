"""Collections: list, read (only the items the caller may read), create, add items."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.models import Visibility
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from .items import ItemCardOut

router = Router(tags=["library"])


class CollectionOut(Schema):
    uuid: UUID
    url: str
    title: str
    description: str
    language: str
    organization: UUID
    visibility: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_organization(obj: Any) -> UUID:
        return UUID(str(obj.organization.uuid))


class CollectionDetailOut(CollectionOut):
    items: list[ItemCardOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items_shown)


class CollectionIn(Schema):
    organization: UUID
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    language: str = "es"
    visibility: Visibility = Visibility.PUBLIC


class EntryIn(Schema):
    item: UUID
    note: str = ""


@router.get("/collections", response=list[CollectionOut])
@paginate(Pages, page_size=50)
def list_collections(request: HttpRequest) -> Any:
    return (
        selectors.visible_collections(caller(request))
        .select_related("organization")
        .order_by("title", "pk")
    )


@router.get("/collections/{uuid}", response={200: CollectionDetailOut, 404: ErrorOut})
def get_collection(request: HttpRequest, uuid: UUID) -> Any:
    user = caller(request)
    collection = selectors.get_collection_for(user, uuid=uuid)
    # Only the entries the caller may read: the others are not named, nor counted.
    collection.items_shown = [e.item for e in selectors.collection_entries(user, collection)]  # type: ignore[attr-defined]
    return collection


@router.post(
    "/collections",
    response={201: CollectionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def create_collection(request: HttpRequest, payload: CollectionIn) -> Any:
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    collection = services.collection_create(
        actor=user, organization=organization, **payload.dict(exclude={"organization"})
    )
    return Status(201, collection)


@router.post(
    "/collections/{uuid}/items", response={201: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def add_to_collection(request: HttpRequest, uuid: UUID, payload: EntryIn) -> Any:
    user = signed_in(request)
    collection = selectors.get_collection_for(user, uuid=uuid)
    item = selectors.get_item_for(user, uuid=payload.item)
    services.collection_item_add(actor=user, collection=collection, item=item, note=payload.note)
    return Status(201, None)
