"""The marketplace's services: validation, database constraints, status, photos, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minga.common.errors import DomainError
from minga.common.models import AuditEntry, Visibility
from minga.market import services
from minga.market.models import Listing, ListingPhoto
from minga.market.search import search_listing_ids
from minga.market.services import ListingData
from tests import factories
from tests.market import factories as market

BASE = ListingData(kind="offer", category="seeds", title="Semillas de maíz criollo")


@pytest.fixture
def commune(db: None) -> Any:
    return factories.organization(name="Comuna El Maizal")


@pytest.fixture
def spokesperson(commune: Any) -> Any:
    person = factories.person()
    factories.role(person, commune, "spokesperson")
    return person


def test_create_stores_the_listing_and_audits_it(commune: Any, spokesperson: Any) -> None:
    """A valid listing is stored as open, owned by the organization, with an audit entry."""
    data = replace(
        BASE,
        description="Maíz *criollo*",
        quantity=20,
        unit="kg",
        price_amount=1500,
        price_unit="MINGA",
        country="ve",
        available_from=date(2030, 1, 1),
        available_until=date(2030, 3, 1),
    )
    listing = services.listing_create(actor=spokesperson, organization=commune, data=data)
    assert listing.status == "open"
    assert listing.organization == commune and listing.created_by == spokesperson
    assert listing.country == "VE" and listing.price_unit == "MINGA"
    entry = AuditEntry.objects.get(action="market.listing.create")
    assert entry.actor == spokesperson and entry.object_uuid == listing.uuid
    assert entry.changes["title"] == [None, "Semillas de maíz criollo"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "spaceships"}, "category"),
        ({"title": "   "}, "title"),
        ({"language": "Español!"}, "language"),
        ({"quantity": 3}, "unit"),
        ({"barter_only": True, "price_amount": 100, "price_unit": "MINGA"}, "price_amount"),
        ({"barter_only": True, "price_unit": "MINGA"}, "price_unit"),
        ({"price_amount": 100}, "price_unit"),
        ({"price_unit": "MINGA"}, "price_amount"),
        ({"price_amount": 100, "price_unit": "minga"}, "price_unit"),
        ({"price_amount": 100, "price_unit": "HORAS-X"}, "price_unit"),
        ({"price_amount": 100, "price_unit": "A" * 17}, "price_unit"),
        (
            {"available_from": date(2030, 2, 1), "available_until": date(2030, 1, 1)},
            "available_until",
        ),
        ({"delivery_area": "galactic"}, "delivery_area"),
        ({"kind": "gift"}, "kind"),
        ({"unit": "parsec", "quantity": 1}, "unit"),
        ({"country": "XX"}, "country"),
        ({"status": "closed"}, "status"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    commune: Any, spokesperson: Any, changes: dict[str, Any], field: str
) -> None:
    """Each invalid input is refused with the field at fault; no listing, no audit entry."""
    with pytest.raises(DomainError) as refused:
        services.listing_create(
            actor=spokesperson, organization=commune, data=replace(BASE, **changes)
        )
    assert refused.value.field == field
    assert refused.value.message
    assert not Listing.objects.exists()
    assert not AuditEntry.objects.exists()


def test_barter_only_and_price_are_exclusive_in_the_database(commune: Any) -> None:
    """The database itself refuses a barter-only listing with a price."""
    with pytest.raises(IntegrityError), transaction.atomic():
        market.listing(commune, barter_only=True, price_amount=10, price_unit="MINGA")


@pytest.mark.parametrize(
    "fields",
    [
        {"price_amount": 10},
        {"price_unit": "MINGA"},
        {"quantity": 5},
        {"available_from": date(2030, 2, 1), "available_until": date(2030, 1, 1)},
    ],
)
def test_database_constraints_hold_without_the_services(
    commune: Any, fields: dict[str, Any]
) -> None:
    """A price needs its unit, a quantity its unit of measure, and availability ends after it starts."""
    with pytest.raises(IntegrityError), transaction.atomic():
        market.listing(commune, **fields)


def test_barter_listing_without_price_is_accepted(commune: Any, spokesperson: Any) -> None:
    """Barter only with no price is a valid listing."""
    listing = services.listing_create(
        actor=spokesperson, organization=commune, data=replace(BASE, barter_only=True)
    )
    assert listing.barter_only and listing.price_amount is None and listing.price_unit == ""


def test_update_audits_only_what_changed(commune: Any, spokesperson: Any) -> None:
    """An update records the changed fields, old and new; an update changing nothing records none."""
    listing = services.listing_create(actor=spokesperson, organization=commune, data=BASE)
    services.listing_update(
        actor=spokesperson, listing=listing, data=replace(BASE, title="Semillas de frijol")
    )
    entry = AuditEntry.objects.get(action="market.listing.update")
    assert entry.changes == {"title": ["Semillas de maíz criollo", "Semillas de frijol"]}
    services.listing_update(
        actor=spokesperson, listing=listing, data=replace(BASE, title="Semillas de frijol")
    )
    assert AuditEntry.objects.filter(action="market.listing.update").count() == 1


def test_members_only_includes_the_owner(commune: Any, spokesperson: Any) -> None:
    """A listing for members of given organizations is always readable by its own members."""
    listing = services.listing_create(
        actor=spokesperson,
        organization=commune,
        data=replace(BASE, visibility=Visibility.ORGANIZATIONS),
    )
    assert list(listing.visible_to_organizations.all()) == [commune]


def test_close_and_reopen(commune: Any, spokesperson: Any) -> None:
    """Closing an open listing and reopening it are audited; repeating either is refused."""
    listing = services.listing_create(actor=spokesperson, organization=commune, data=BASE)
    listing = services.listing_close(actor=spokesperson, listing=listing, reason="Ya no hay")
    assert listing.status == "closed"
    with pytest.raises(DomainError) as refused:
        services.listing_close(actor=spokesperson, listing=listing)
    assert refused.value.field == "status"
    listing = services.listing_reopen(actor=spokesperson, listing=listing)
    assert listing.status == "open"
    with pytest.raises(DomainError):
        services.listing_reopen(actor=spokesperson, listing=listing)
    close = AuditEntry.objects.get(action="market.listing.close")
    assert close.changes == {"status": ["open", "closed"]} and close.reason == "Ya no hay"
    assert AuditEntry.objects.filter(action="market.listing.reopen").count() == 1


def test_editing_a_closed_listing_keeps_it_closed(commune: Any, spokesperson: Any) -> None:
    """Editing the text of a closed listing does not reopen it."""
    listing = services.listing_create(actor=spokesperson, organization=commune, data=BASE)
    services.listing_close(actor=spokesperson, listing=listing)
    listing = services.listing_update(
        actor=spokesperson, listing=listing, data=replace(BASE, title="Otra cosa")
    )
    assert listing.status == "closed" and listing.title == "Otra cosa"


def test_photos_are_stored_with_their_size(
    commune: Any, spokesperson: Any, private_media: Path
) -> None:
    """JPEG, PNG and WebP photos are stored under a new name, with width and height, audited."""
    listing = services.listing_create(
        actor=spokesperson,
        organization=commune,
        data=BASE,
        photos=[market.image_file("a.png"), market.image_file("b.jpg", "JPEG", (64, 48))],
    )
    photo = services.listing_add_photo(
        actor=spokesperson, listing=listing, image=market.image_file("c.webp", "WEBP")
    )
    photos = list(listing.photos.all())
    assert [(p.width, p.height) for p in photos] == [(40, 30), (64, 48), (40, 30)]
    # The stored name is random hex, so compare the whole file name, not a substring of it.
    stored = Path(photo.image.name)
    assert stored.suffix == ".webp" and stored.stem != "c" and len(stored.stem) == 32
    assert (private_media / photos[1].image.name).exists()
    assert AuditEntry.objects.filter(action="market.listing.photo_add").count() == 3


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: market.big_image_file(), "1 MB"),
        (lambda: market.image_file("x.gif", "GIF"), "JPEG, PNG or WebP"),
        (lambda: SimpleUploadedFile("x.png", b"this is not an image"), "not an image"),
        (lambda: SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50), "not an image"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(
    commune: Any, spokesperson: Any, private_media: Path, upload: Any, message: str
) -> None:
    """Too big, the wrong type or not an image: refused on field photos; no listing, no file."""
    with pytest.raises(DomainError) as refused:
        services.listing_create(
            actor=spokesperson,
            organization=commune,
            data=BASE,
            photos=[market.image_file(), upload()],
        )
    assert refused.value.field == "photos"
    assert message in refused.value.message
    assert not Listing.objects.exists() and not ListingPhoto.objects.exists()
    assert not any(path.is_file() for path in private_media.rglob("*"))


def test_at_most_four_photos(commune: Any, spokesperson: Any) -> None:
    """A fifth photo is refused; the four stay."""
    listing = services.listing_create(
        actor=spokesperson,
        organization=commune,
        data=BASE,
        photos=[market.image_file(f"{n}.png") for n in range(4)],
    )
    with pytest.raises(DomainError) as refused:
        services.listing_add_photo(actor=spokesperson, listing=listing, image=market.image_file())
    assert refused.value.field == "photos"
    assert listing.photos.count() == 4


def test_removing_a_photo_deletes_its_file_after_commit(
    commune: Any, spokesperson: Any, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The row goes at once, the file once the removal is committed; both are audited."""
    listing = services.listing_create(
        actor=spokesperson, organization=commune, data=BASE, photos=[market.image_file()]
    )
    photo = listing.photos.get()
    path = private_media / photo.image.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_remove_photo(actor=spokesperson, photo=photo)
    assert not listing.photos.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(action="market.listing.photo_remove").exists()


def test_update_can_replace_photos(commune: Any, spokesperson: Any) -> None:
    """Removed photos free their place before new ones are counted."""
    listing = services.listing_create(
        actor=spokesperson,
        organization=commune,
        data=BASE,
        photos=[market.image_file(f"{n}.png") for n in range(4)],
    )
    services.listing_update(
        actor=spokesperson,
        listing=listing,
        data=BASE,
        remove_photos=list(listing.photos.all()[:1]),
        add_photos=[market.image_file("new.jpg", "JPEG")],
    )
    assert listing.photos.count() == 4
    assert listing.photos.filter(image__endswith=".jpg").exists()


def test_the_index_follows_the_database_on_commit(
    commune: Any, spokesperson: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Creating and editing a listing updates the search index once committed, stemmed."""
    with django_capture_on_commit_callbacks(execute=True):
        listing = services.listing_create(actor=spokesperson, organization=commune, data=BASE)
    assert search_listing_ids("semilla") == [listing.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.listing_update(
            actor=spokesperson,
            listing=listing,
            data=replace(BASE, title="Tools for farming", language="en"),
        )
    assert search_listing_ids("semilla") == []
    assert search_listing_ids("tool") == [listing.pk]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    barter_only=st.booleans(),
    price_amount=st.none() | st.integers(min_value=-5, max_value=10**12),
    price_unit=st.sampled_from(["", "MINGA", "HOUR", "minga", "X-1", "A" * 17]),
    quantity=st.none() | st.integers(min_value=-1, max_value=10**6),
    unit=st.sampled_from(["", "kg", "hour", "bogus"]),
)
def test_any_price_input_is_refused_cleanly_or_stored_consistently(
    commune: Any,
    spokesperson: Any,
    barter_only: bool,
    price_amount: int | None,
    price_unit: str,
    quantity: int | None,
    unit: str,
) -> None:
    """Whatever the price and quantity input, the service refuses it with a field or stores a
    listing that keeps the rules (never a database error): barter has no price, a price has
    its unit, a quantity its unit of measure."""
    data = replace(
        BASE,
        barter_only=barter_only,
        price_amount=price_amount,
        price_unit=price_unit,
        quantity=quantity,
        unit=unit,
    )
    refused: DomainError | None = None
    try:
        with transaction.atomic():
            listing = services.listing_create(actor=spokesperson, organization=commune, data=data)
    except DomainError as error:
        refused = error
    if refused is not None:
        assert refused.field in {"price_amount", "price_unit", "quantity", "unit"}
        return
    assert not (listing.barter_only and (listing.price_amount is not None or listing.price_unit))
    assert (listing.price_amount is None) == (listing.price_unit == "")
    assert listing.quantity is None or listing.unit


def test_text_in_other_languages_is_still_searchable(
    commune: Any, spokesperson: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A listing written in Quechua (no field of its own in the index) is found by its words."""
    with django_capture_on_commit_callbacks(execute=True):
        listing = services.listing_create(
            actor=spokesperson,
            organization=commune,
            data=replace(BASE, title="Sara muhu", description="Allin sara", language="qu"),
        )
    assert search_listing_ids("allin") == [listing.pk]
