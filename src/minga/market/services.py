"""Writes of the marketplace. Each function is keyword-only, atomic, audited, checks its inputs.

Each write is guarded by a named permission rule (``minga.common.permissions.guarded``) and
checks the marketplace's own rules (a barter-only listing has no price, a closed
listing cannot be closed again, at most four photos of at most 1 MB …) and raise
:class:`~minga.common.errors.DomainError` naming the input at fault. A refused call writes nothing.
"""

from __future__ import annotations

import re
import uuid as uuid_lib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded
from minga.common.translation import LANGUAGE_TAG

from .audit_events import MarketEvent
from .models import (
    MAX_PHOTOS,
    PRICE_UNIT_PATTERN,
    Category,
    Listing,
    ListingPhoto,
    ListingStatus,
)
from .tasks import index_listings

PHOTO_MAX_BYTES = 1024 * 1024
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass
class ListingData:
    """The editable fields of a listing, as validated input."""

    kind: str
    category: str  # a Category code
    title: str
    description: str = ""
    language: str = "es"
    quantity: int | None = None
    unit: str = ""
    price_amount: int | None = None
    price_unit: str = ""
    barter_only: bool = False
    place: str = ""
    delivery_area: str = "local"
    country: str = ""
    available_from: date | None = None
    available_until: date | None = None
    status: str = ListingStatus.OPEN
    visibility: str = Visibility.PUBLIC
    visible_to: Sequence[Any] = field(default_factory=list)  # organizations


AUDITED_FIELDS = (
    "kind", "category_id", "title", "description", "language", "quantity", "unit",
    "price_amount", "price_unit", "barter_only", "place", "delivery_area", "country",
    "available_from", "available_until", "status", "visibility",
)  # fmt: skip


def _snapshot(listing: Listing) -> dict[str, Any]:
    values = {name: getattr(listing, name) for name in AUDITED_FIELDS}
    values["country"] = str(listing.country or "")
    return values


def _reindex_on_commit(*listing_ids: int) -> None:
    ids = list(listing_ids)
    transaction.on_commit(lambda: index_listings.enqueue(ids))


def _check_price(data: ListingData) -> None:
    unit = data.price_unit.strip()
    if data.barter_only:
        if data.price_amount is not None or unit:
            raise DomainError(
                _("A barter-only listing has no price; remove the price or untick barter only."),
                "price_amount" if data.price_amount is not None else "price_unit",
                code="barter_has_no_price",
            )
        return
    if data.price_amount is not None and data.price_amount < 0:
        raise DomainError(_("The price cannot be negative."), "price_amount", code="negative_price")
    if unit and not re.match(PRICE_UNIT_PATTERN, unit):
        raise DomainError(
            _("Use capital letters and digits only for the unit of account, such as MINGA."),
            "price_unit",
            code="invalid_price_unit",
        )
    if data.price_amount is not None and not unit:
        raise DomainError(
            _("Say in which unit of account the price is."),
            "price_unit",
            code="price_unit_required",
        )
    if unit and data.price_amount is None:
        raise DomainError(
            _("Give the price, or leave the unit of account empty."),
            "price_amount",
            code="price_required",
        )


def _apply(listing: Listing, data: ListingData) -> None:
    """Copy validated input onto the listing; raise DomainError naming the first bad field."""
    category = Category.objects.filter(code=data.category).first()
    if category is None:
        raise DomainError(
            _("Unknown category “%(code)s”.") % {"code": data.category},
            "category",
            code="unknown_category",
        )
    if not data.title.strip():
        raise DomainError(_("Give the listing a title."), "title", code="title_required")
    if not LANGUAGE_TAG.match(data.language or ""):
        raise DomainError(
            _("Unknown language tag “%(tag)s”.") % {"tag": data.language},
            "language",
            code="unknown_language",
        )
    if data.quantity is not None and data.quantity < 0:
        raise DomainError(
            _("The quantity cannot be negative."), "quantity", code="negative_quantity"
        )
    if data.quantity is not None and not data.unit:
        raise DomainError(
            _("Say in which unit the quantity is."), "unit", code="quantity_unit_required"
        )
    _check_price(data)
    if (
        data.available_from is not None
        and data.available_until is not None
        and data.available_until < data.available_from
    ):
        raise DomainError(
            _("The end of availability cannot be before its start."),
            "available_until",
            code="ends_before_start",
        )
    if listing.status == ListingStatus.CLOSED and listing.pk is not None:
        status: str = ListingStatus.CLOSED  # editing a closed listing does not reopen it
    elif data.status in (ListingStatus.OPEN, ListingStatus.RESERVED):
        status = data.status
    else:
        raise DomainError(
            _("A listing is open or reserved; close it with its action."),
            "status",
            code="status_by_action",
        )
    listing.kind = data.kind
    listing.category = category
    listing.title = data.title.strip()
    listing.description = data.description
    listing.language = data.language
    listing.quantity = data.quantity
    listing.unit = data.unit if data.quantity is not None else ""
    listing.price_amount = None if data.barter_only else data.price_amount
    listing.price_unit = "" if data.barter_only else data.price_unit.strip()
    listing.barter_only = data.barter_only
    listing.place = data.place.strip()
    listing.delivery_area = data.delivery_area
    listing.country = (data.country or "").upper()
    listing.available_from = data.available_from
    listing.available_until = data.available_until
    listing.status = status
    listing.visibility = data.visibility
    try:
        listing.full_clean(exclude=["uuid", "organization", "created_by", "category"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), name, code="invalid_field") from error


def _set_readers(listing: Listing, data: ListingData) -> None:
    visible_to = list(data.visible_to)
    if data.visibility == Visibility.ORGANIZATIONS and listing.organization not in visible_to:
        # "Members only" always includes the members of the listing's own organization.
        visible_to.append(listing.organization)
    listing.visible_to_organizations.set(visible_to)


@dataclass(frozen=True)
class CheckedPhoto:
    upload: Any
    extension: str
    width: int
    height: int


def _check_photo(upload: Any) -> CheckedPhoto:
    """A JPEG, PNG or WebP image of at most 1 MB, read by Pillow (not trusted by its name)."""
    if upload.size > PHOTO_MAX_BYTES:
        raise DomainError(
            _("Each photo must be smaller than 1 MB."), "photos", code="photo_too_large"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise DomainError(
            _("This file is not an image we can read."), "photos", code="photo_unreadable"
        ) from error
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise DomainError(
            _("Photos must be JPEG, PNG or WebP images."), "photos", code="photo_format"
        )
    return CheckedPhoto(upload, PHOTO_FORMATS[image_format], width, height)


def _store_photos(actor: Any, listing: Listing, uploads: Sequence[Any]) -> list[ListingPhoto]:
    # Every file and the count are checked before any file is stored, so a refusal leaves
    # no file behind on disk.
    checked = [_check_photo(upload) for upload in uploads]
    present = listing.photos.count()
    if present + len(checked) > MAX_PHOTOS:
        raise DomainError(
            _("A listing has at most %(count)d photos.") % {"count": MAX_PHOTOS},
            "photos",
            code="too_many_photos",
        )
    photos = []
    for number, photo in enumerate(checked):
        row = ListingPhoto(
            listing=listing, width=photo.width, height=photo.height, position=present + number
        )
        # A random name: the uploaded name is not trusted and may say the wrong type.
        row.image.save(f"{uuid_lib.uuid4().hex}.{photo.extension}", photo.upload, save=False)
        row.save()
        audit.record(
            actor=actor,
            action=MarketEvent.LISTING_PHOTO_ADD,
            target=listing,
            changes={"photos": [None, row.image.name]},
        )
        photos.append(row)
    return photos


@guarded("market.listing.create", on="organization")
@transaction.atomic
def listing_create(
    *,
    actor: Any,
    organization: Any,
    data: ListingData,
    photos: Sequence[UploadedFile[Any]] = (),
    custodians: Iterable[Any] = (),
) -> Listing:
    """Publish an offer or a need of an organization (with up to four photos)."""
    listing = Listing(
        organization=organization, created_by=_person(actor), status=ListingStatus.OPEN
    )
    _apply(listing, data)
    listing.save()
    _set_readers(listing, data)
    listing.custodians.set(list(custodians))
    audit.record(
        actor=actor,
        action=MarketEvent.LISTING_CREATE,
        target=listing,
        changes=audit.field_changes({}, _snapshot(listing)),
    )
    if photos:
        _store_photos(actor, listing, photos)
    _reindex_on_commit(listing.pk)
    return listing


@guarded("market.listing.change", on="listing")
@transaction.atomic
def listing_update(
    *,
    actor: Any,
    listing: Listing,
    data: ListingData,
    add_photos: Sequence[UploadedFile[Any]] = (),
    remove_photos: Iterable[ListingPhoto] = (),
) -> Listing:
    """Change a listing; photos named in ``remove_photos`` go before new ones are counted."""
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=listing.pk)
    )
    before = _snapshot(listing)
    _apply(listing, data)
    listing.save()
    _set_readers(listing, data)
    changes = audit.field_changes(before, _snapshot(listing))
    if changes:
        audit.record(
            actor=actor, action=MarketEvent.LISTING_UPDATE, target=listing, changes=changes
        )
    for photo in remove_photos:
        if photo.listing_id != listing.pk:
            raise DomainError(
                _("This photo belongs to another listing."),
                "remove_photos",
                code="photo_of_another_listing",
            )
        listing_remove_photo(actor=actor, photo=photo)
    if add_photos:
        _store_photos(actor, listing, add_photos)
    _reindex_on_commit(listing.pk)
    return listing


@guarded("market.listing.change", on="listing")
@transaction.atomic
def listing_close(*, actor: Any, listing: Listing, reason: str = "") -> Listing:
    """Close an open or reserved listing: it leaves the directory and the suggestions."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status == ListingStatus.CLOSED:
        raise DomainError(_("This listing is already closed."), "status", code="already_closed")
    return _set_status(actor, listing, ListingStatus.CLOSED, reason)


@guarded("market.listing.change", on="listing")
@transaction.atomic
def listing_reopen(*, actor: Any, listing: Listing, reason: str = "") -> Listing:
    """Open a closed listing again."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status != ListingStatus.CLOSED:
        raise DomainError(_("Only a closed listing can be reopened."), "status", code="not_closed")
    return _set_status(actor, listing, ListingStatus.OPEN, reason)


def _set_status(actor: Any, listing: Listing, status: str, reason: str) -> Listing:
    previous = listing.status
    listing.status = status
    listing.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=(
            MarketEvent.LISTING_CLOSE
            if status == ListingStatus.CLOSED
            else MarketEvent.LISTING_REOPEN
        ),
        target=listing,
        changes={"status": [previous, status]},
        reason=reason,
    )
    _reindex_on_commit(listing.pk)
    return listing


@guarded("market.listing.change", on="listing")
@transaction.atomic
def listing_add_photo(*, actor: Any, listing: Listing, image: UploadedFile[Any]) -> ListingPhoto:
    """Add one photo: JPEG, PNG or WebP, under 1 MB, at most four per listing."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    return _store_photos(actor, listing, [image])[0]


@guarded("market.listing.change", on="photo", via=lambda photo: photo.listing)
@transaction.atomic
def listing_remove_photo(*, actor: Any, photo: ListingPhoto) -> None:
    """Remove a photo; its file is deleted once the removal is committed."""
    photo = ListingPhoto.objects.select_related("listing").get(pk=photo.pk)
    name = photo.image.name or ""
    storage = photo.image.storage
    listing = photo.listing
    photo.delete()
    audit.record(
        actor=actor,
        action=MarketEvent.LISTING_PHOTO_REMOVE,
        target=listing,
        changes={"photos": [name, None]},
    )
    transaction.on_commit(lambda: storage.delete(name))


def _person(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


class StatusService(Protocol):
    def __call__(self, *, actor: Any, listing: Listing, reason: str = "") -> Listing: ...
