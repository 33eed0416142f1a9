"""Uploaded files follow the visibility of what they belong to."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from minga.common.models import Visibility
from tests import factories
from tests.market import factories as market


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def test_photos_of_restricted_listings_are_not_served_to_others(
    db: None, settings: Any, tmp_path: Path
) -> None:
    """A members-only listing's photo answers 404 to strangers and 200 to members."""
    settings.MEDIA_ROOT = tmp_path
    from minga.market.models import ListingPhoto

    organization = factories.organization()
    listing = market.listing(
        organization, visibility=Visibility.ORGANIZATIONS, visible_to=[organization]
    )
    photo = ListingPhoto(listing=listing, width=8, height=8)
    photo.image.save("foto.png", SimpleUploadedFile("foto.png", _png()), save=True)
    url = photo.image.url
    assert Client().get(url).status_code == 404
    member = factories.person()
    factories.role(member, organization, "member")
    client = Client()
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]


def test_files_nobody_owns_are_not_served(db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "stray.txt").write_text("secret")
    assert Client().get("/media/stray.txt").status_code == 404


def test_public_logos_are_served(db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    organization = factories.organization()
    organization.logo.save("logo.png", SimpleUploadedFile("logo.png", _png()), save=True)
    assert Client().get(organization.logo.url).status_code == 200


def test_photos_of_a_public_listing_of_a_hidden_organization_are_not_served(
    db: None, settings: Any, tmp_path: Path
) -> None:
    """The listing is public but its organization is not: its photos stay hidden too."""
    settings.MEDIA_ROOT = tmp_path
    from minga.market.models import ListingPhoto

    hidden = factories.organization(visibility=Visibility.CUSTODIANS)
    listing = market.listing(hidden, visibility=Visibility.PUBLIC)
    photo = ListingPhoto(listing=listing, width=8, height=8)
    photo.image.save("foto.png", SimpleUploadedFile("foto.png", _png()), save=True)
    stranger = Client()
    stranger.force_login(factories.person())
    assert Client().get(photo.image.url).status_code == 404
    assert stranger.get(photo.image.url).status_code == 404


def test_logos_are_named_by_the_server_and_served_as_what_they_are(
    db: None, settings: Any, tmp_path: Path
) -> None:
    """A PNG uploaded as "logo.gif" is stored under a random .png name and served as PNG."""
    from minga.common.permissions import SYSTEM
    from minga.registry import services

    settings.MEDIA_ROOT = tmp_path
    organization = factories.organization()
    services.organization_set_logo(
        actor=SYSTEM, organization=organization, logo=SimpleUploadedFile("logo.gif", _png())
    )
    organization.refresh_from_db()
    name = Path(organization.logo.name).name
    assert name.endswith(".png") and "logo" not in name
    response = Client().get(organization.logo.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_logo_that_is_not_an_image_is_refused(db: None, settings: Any, tmp_path: Path) -> None:
    from minga.common.errors import DomainError
    from minga.common.permissions import SYSTEM
    from minga.registry import services

    settings.MEDIA_ROOT = tmp_path
    organization = factories.organization()
    html = SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError) as error:
        services.organization_set_logo(actor=SYSTEM, organization=organization, logo=html)
    assert error.value.field == "logo" and error.value.code == "file_type_not_allowed"
    organization.refresh_from_db()
    assert not organization.logo
    assert list(tmp_path.rglob("*")) == []


def test_files_are_served_in_byte_ranges(db: None, settings: Any, tmp_path: Path) -> None:
    """A player asking for a range gets 206 with just those bytes; an impossible one gets 416."""
    settings.MEDIA_ROOT = tmp_path
    organization = factories.organization()
    organization.logo.save("logo.png", SimpleUploadedFile("logo.png", _png()), save=True)
    whole = Client().get(organization.logo.url)
    content = b"".join(whole.streaming_content)
    assert whole["Accept-Ranges"] == "bytes"
    part = Client().get(organization.logo.url, HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 4-11/{len(content)}"
    assert b"".join(part.streaming_content) == content[4:12]
    tail = Client().get(organization.logo.url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == content[-5:]
    beyond = Client().get(organization.logo.url, HTTP_RANGE=f"bytes={len(content) + 10}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(content)}"
