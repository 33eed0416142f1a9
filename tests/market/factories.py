"""Factories for the marketplace's tests: real rows, made through the models."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from minga.common.models import Visibility
from minga.market.models import Category, Listing
from minga.registry.models import Organization

_numbers = itertools.count(1)


def category(code: str = "seeds") -> Category:
    return Category.objects.get(code=code)


def listing(
    organization: Organization,
    *,
    kind: str = "offer",
    category: str = "seeds",
    title: str | None = None,
    visibility: str = Visibility.PUBLIC,
    visible_to: list[Organization] | None = None,
    custodians: list[Any] | None = None,
    **fields: Any,
) -> Listing:
    number = next(_numbers)
    row = Listing.objects.create(
        organization=organization,
        kind=kind,
        category=Category.objects.get(code=category),
        title=title or f"Anuncio {number}",
        visibility=visibility,
        **fields,
    )
    if visible_to:
        row.visible_to_organizations.set(visible_to)
    if custodians:
        row.custodians.set(custodians)
    return row


def image_file(
    name: str = "foto.png", image_format: str = "PNG", size: tuple[int, int] = (40, 30)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


def big_image_file(name: str = "grande.png") -> SimpleUploadedFile:
    """A real PNG just over 1 MB (random noise does not compress)."""
    import os

    side = 700
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert buffer.tell() > 1024 * 1024
    return SimpleUploadedFile(name, buffer.getvalue())
