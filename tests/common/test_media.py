"""Uploaded files follow the visibility of what they belong to."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

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
