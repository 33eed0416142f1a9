"""Views that page by offset themselves bound the page number, so no number a reader types
reaches the database as an OFFSET past its integers."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from minga.common.api import MAX_PAGE
from minga.common.pagination import page_number
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("asked", "expected"),
    [("", 1), ("0", 1), ("-5", 1), ("3", 3), ("x", 1), ("1.5", 1), (str(2**70), 40)],
)
def test_the_page_number_is_clamped_to_the_pages_there_can_be(asked: str, expected: int) -> None:
    request = RequestFactory().get("/", {"page": asked} if asked else {})

    assert page_number(request, last=40) == expected


def test_an_activitypub_outbox_page_past_64_bits_is_an_empty_page() -> None:
    organization, _editor, _writer = comms.newsroom()
    comms.bulletin(organization)

    response = Client().get(
        reverse("federation:outbox", args=[organization.uuid]) + f"?page={2**70}",
        HTTP_ACCEPT="application/activity+json",
    )

    assert response.status_code == 200
    assert response.json()["orderedItems"] == []


def _paged_operations() -> list[tuple[str, dict[str, object]]]:
    schema = Client().get("/api/v1/openapi.json").json()
    operations = []
    for path, methods in schema["paths"].items():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] == "page":
                    operations.append((path, parameter["schema"]))
    return operations


def test_every_paged_list_of_the_api_bounds_its_page_number() -> None:
    operations = _paged_operations()

    assert len(operations) >= 20, operations
    unbounded = [
        path for path, schema in operations if not schema.get("maximum", MAX_PAGE + 1) <= MAX_PAGE
    ]
    assert unbounded == [], unbounded


def test_an_api_page_past_64_bits_is_refused_naming_the_page() -> None:
    response = Client().get(f"/api/v1/education/courses?page={2**70}")

    assert response.status_code == 422
    assert "page" in response.content.decode()
