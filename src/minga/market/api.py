"""API of the marketplace: offers and needs, their categories and suggestions."""

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.models import Visibility
from minga.registry.selectors import get_organization_for

from . import selectors, services
from .models import (
    MAX_QUANTITY,
    Category,
    DeliveryArea,
    Listing,
    ListingKind,
    ListingStatus,
    UnitOfMeasure,
)

router = Router(tags=["market"])


class CategoryOut(Schema):
    code: str
    name: str
    names: dict[str, str]

    @staticmethod
    def resolve_name(obj: Category) -> str:
        return str(obj)


class PhotoOut(Schema):
    url: str
    width: int
    height: int

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.image.url)


class ListingOut(Schema):
    uuid: UUID
    url: str
    kind: str
    organization: UUID
    organization_name: str
    category: str
    title: str
    description: str
    language: str
    quantity: int | None
    unit: str
    price_amount: int | None
    price_unit: str
    barter_only: bool
    place: str
    delivery_area: str
    country: str
    available_from: date | None
    available_until: date | None
    status: str
    visibility: str

    @staticmethod
    def resolve_url(obj: Listing) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_organization(obj: Listing) -> UUID:
        return obj.organization.uuid

    @staticmethod
    def resolve_organization_name(obj: Listing) -> str:
        return obj.organization.display_name

    @staticmethod
    def resolve_category(obj: Listing) -> str:
        return obj.category.code

    @staticmethod
    def resolve_country(obj: Listing) -> str:
        return str(obj.country or "")


class ListingDetailOut(ListingOut):
    photos: list[PhotoOut]

    @staticmethod
    def resolve_photos(obj: Listing) -> list[Any]:
        return list(obj.photos.all())


class SuggestionOut(ListingOut):
    score: float

    @staticmethod
    def resolve_score(obj: Listing) -> float:
        return obj.match_score


class ListingIn(Schema):
    organization: UUID
    kind: ListingKind
    category: str
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    language: str = Field("es", max_length=16)
    quantity: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    unit: UnitOfMeasure | None = None
    price_amount: int | None = Field(None, ge=0)
    price_unit: str = Field("", max_length=16)
    barter_only: bool = False
    place: str = Field("", max_length=200)
    delivery_area: DeliveryArea = DeliveryArea.LOCAL
    country: str = Field("", max_length=2)
    available_from: date | None = None
    available_until: date | None = None
    visibility: Visibility = Visibility.PUBLIC


class ListingPatch(Schema):
    category: str | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    language: str | None = Field(None, max_length=16)
    quantity: int | None = Field(None, ge=0, le=MAX_QUANTITY)
    unit: UnitOfMeasure | None = None
    price_amount: int | None = Field(None, ge=0)
    price_unit: str | None = Field(None, max_length=16)
    barter_only: bool | None = None
    place: str | None = Field(None, max_length=200)
    delivery_area: DeliveryArea | None = None
    country: str | None = Field(None, max_length=2)
    available_from: date | None = None
    available_until: date | None = None
    status: ListingStatus | None = None
    visibility: Visibility | None = None


class StatusIn(Schema):
    reason: str = ""


class ListingQuery(FilterSchema):
    q: str = ""
    kind: str = ""
    category: str = ""
    delivery_area: str = ""
    country: str = ""
    barter_only: bool = False
    status: str = Field(ListingStatus.OPEN, description="open, reserved, closed, or any")
    organization: str = Field("", description="An organization's short code (slug).")


def _detail(listing: Listing) -> Listing:
    # Re-read with what the answer shows, in one query each.
    return (
        Listing.objects.select_related("organization", "category")
        .prefetch_related("photos")
        .get(pk=listing.pk)
    )


@router.get("/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest) -> Any:
    return selectors.categories()


@router.get("/listings", response=list[ListingOut])
@paginate(Pages, page_size=50)
def list_listings(request: HttpRequest, filters: Query[ListingQuery]) -> Any:
    """Offers and needs the caller may see, filtered; ``q`` searches titles and descriptions.

    Only open listings unless ``status`` says otherwise (``any`` for every status).
    """
    values = filters.dict()
    values["status"] = "" if values["status"] == "any" else values["status"]
    return selectors.directory_listings(caller(request), selectors.ListingFilters(**values))


@router.get("/listings/{uuid}", response={200: ListingDetailOut, 404: ErrorOut})
def get_listing(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_listing_for(caller(request), uuid=uuid)


@router.get("/listings/{uuid}/suggestions", response={200: list[SuggestionOut], 404: ErrorOut})
def listing_suggestions(request: HttpRequest, uuid: UUID) -> Any:
    """Open offers that could answer a need, best first (empty for an offer)."""
    need = selectors.get_listing_for(caller(request), uuid=uuid)
    return selectors.suggested_offers_for(caller(request), need)


@router.post(
    "/listings", response={201: ListingDetailOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
)
def create_listing(request: HttpRequest, payload: ListingIn) -> Any:
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    data = services.ListingData(
        **payload.dict(exclude={"organization", "unit"}), unit=payload.unit or ""
    )
    listing = services.listing_create(actor=user, organization=organization, data=data)
    return Status(201, _detail(listing))


@router.patch(
    "/listings/{uuid}",
    response={200: ListingDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def update_listing(request: HttpRequest, uuid: UUID, payload: ListingPatch) -> Any:
    """Change the fields sent and keep the others."""
    user = signed_in(request)
    listing = selectors.get_listing_for(user, uuid=uuid)
    current: dict[str, Any] = {
        "kind": listing.kind,
        "category": listing.category.code,
        "title": listing.title,
        "description": listing.description,
        "language": listing.language,
        "quantity": listing.quantity,
        "unit": listing.unit,
        "price_amount": listing.price_amount,
        "price_unit": listing.price_unit,
        "barter_only": listing.barter_only,
        "place": listing.place,
        "delivery_area": listing.delivery_area,
        "country": str(listing.country or ""),
        "available_from": listing.available_from,
        "available_until": listing.available_until,
        "status": listing.status,
        "visibility": listing.visibility,
        "visible_to": list(listing.visible_to_organizations.all()),
    }
    changes = payload.dict(exclude_unset=True)
    if changes.get("barter_only"):
        # Turning barter on drops the price unless the caller also sends one (then refused).
        current.update(price_amount=None, price_unit="")
    merged = {
        **current,
        **{k: ("" if v is None and k == "unit" else v) for k, v in changes.items()},
    }
    listing = services.listing_update(
        actor=user, listing=listing, data=services.ListingData(**merged)
    )
    return _detail(listing)


@router.post(
    "/listings/{uuid}/close",
    response={200: ListingDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def close_listing(request: HttpRequest, uuid: UUID, payload: StatusIn | None = None) -> Any:
    user = signed_in(request)
    listing = selectors.get_listing_for(user, uuid=uuid)
    listing = services.listing_close(
        actor=user, listing=listing, reason=payload.reason if payload else ""
    )
    return _detail(listing)


@router.post(
    "/listings/{uuid}/reopen",
    response={200: ListingDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def reopen_listing(request: HttpRequest, uuid: UUID, payload: StatusIn | None = None) -> Any:
    user = signed_in(request)
    listing = selectors.get_listing_for(user, uuid=uuid)
    listing = services.listing_reopen(
        actor=user, listing=listing, reason=payload.reason if payload else ""
    )
    return _detail(listing)
