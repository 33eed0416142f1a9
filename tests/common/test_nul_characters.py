"""A NUL character is refused with the field's name before any view sees it, on pages, forms,
the API and ActivityPub bodies alike: PostgreSQL can neither store nor compare one, so it
would otherwise end in a server error wherever a view filters or saves the value."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from minga.market.models import Listing
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_search_with_a_nul_is_refused_in_the_readers_language() -> None:
    response = Client().get("/organizations/", {"q": "a\x00b"}, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 400
    page = response.content.decode()
    assert "«q»" in page
    assert "NUL" in page
    assert "No se guardó nada." in page


def test_an_api_body_with_a_nul_is_refused_naming_the_field_and_nothing_is_saved() -> None:
    coordinator = factories.person()
    commune = factories.organization(name="Comuna Nul")
    factories.role(coordinator, commune, kind="coordinator")
    token = factories.api_token(coordinator)
    body = {
        "organization": str(commune.uuid),
        "kind": "offer",
        "category": "food",
        "title": "Maíz\x00",
        "language": "es",
    }

    response = Client().post(
        "/api/v1/market/listings",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"
    assert response.json()["field"] == "title"
    assert not Listing.objects.exists()


def test_a_nested_json_field_is_named_by_its_path() -> None:
    response = Client().post(
        "/api/v1/market/listings",
        json.dumps({"items": [{"name": "x"}, {"name": "\x00"}]}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["field"] == "items.1.name"


def test_an_activitypub_body_with_a_nul_is_refused() -> None:
    response = Client().post(
        "/ap/inbox",
        json.dumps({"type": "Note", "content": "\x00"}),
        content_type="application/activity+json",
    )

    assert response.status_code == 400


def test_a_form_field_with_a_nul_is_refused() -> None:
    response = Client().post("/accounts/login/", {"username": "a\x00", "password": "x"})

    assert response.status_code == 400
    assert "“username”" in response.content.decode()


def test_text_that_only_spells_a_backslash_u0000_is_accepted_as_written() -> None:
    """An escaped backslash followed by u0000 is six ordinary characters, not a NUL."""
    response = Client().post(
        "/api/v1/market/listings",
        json.dumps({"title": "\\u0000"}),
        content_type="application/json",
    )

    assert response.status_code != 400 or response.json()["code"] != "nul_character"
