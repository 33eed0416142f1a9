"""Views that page by offset themselves bound the page number, so no number a reader types
reaches the database as an OFFSET past its integers."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

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
