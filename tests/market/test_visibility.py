"""Who reads which listing: readers × visibility levels, on every way of reading.

The directory, its search, the API list and detail, the listing page and the suggestions all
go through the same filter; a listing of an organization the reader may not see never shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.common.models import Visibility
from minga.market.search import rebuild_listing_index
from minga.market.selectors import suggested_offers_for, visible_listings
from tests import factories
from tests.market import factories as market

LEVELS = ["public", "server", "organizations", "custodians", "hidden-organization"]
READERS = ["anonymous", "stranger", "member", "custodian", "superuser"]
# Which reader sees the listing at which level.
EXPECTED = {
    "public": {"anonymous", "stranger", "member", "custodian", "superuser"},
    "server": {"stranger", "member", "custodian", "superuser"},
    "organizations": {"member", "superuser"},
    "custodians": {"custodian", "superuser"},
    "hidden-organization": {"superuser"},
}


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    owner = factories.organization(name="Comuna Dueña")
    hidden = factories.organization(name="Comuna Oculta", visibility=Visibility.CUSTODIANS)
    asking = factories.organization(name="Comuna que Pide")
    people = {
        "stranger": factories.person(),
        "member": factories.person(),
        "custodian": factories.person(),
        "superuser": factories.person(is_superuser=True),
    }
    factories.role(people["member"], owner, "member")
    listings = {
        "public": market.listing(owner, title="Semillas public"),
        "server": market.listing(owner, title="Semillas server", visibility=Visibility.SERVER),
        "organizations": market.listing(
            owner,
            title="Semillas organizations",
            visibility=Visibility.ORGANIZATIONS,
            visible_to=[owner],
        ),
        "custodians": market.listing(
            owner,
            title="Semillas custodians",
            visibility=Visibility.CUSTODIANS,
            custodians=[people["custodian"]],
        ),
        # Public itself, but its organization is not: it must stay out of sight.
        "hidden-organization": market.listing(hidden, title="Semillas hidden-organization"),
    }
    need = market.listing(asking, kind="need", title="Necesitamos semillas")
    rebuild_listing_index()
    return {"people": people, "listings": listings, "need": need}


def _client(world: dict[str, Any], reader: str) -> Client:
    if reader == "anonymous":
        return Client()
    return factories.verified_client(world["people"][reader])


def _user(world: dict[str, Any], reader: str) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if reader == "anonymous" else world["people"][reader]


@pytest.mark.parametrize("reader", READERS)
def test_directory_and_its_search_show_only_what_the_reader_may_see(
    world: dict[str, Any], reader: str
) -> None:
    """Each listing appears in the directory, and in search results, only for its readers."""
    client = _client(world, reader)
    for query in ({}, {"q": "semilla"}):
        page = client.get(reverse("market:directory"), query).content.decode()
        for level in LEVELS:
            assert (f"Semillas {level}<" in page) is (reader in EXPECTED[level]), (query, level)


@pytest.mark.parametrize("reader", READERS)
def test_api_list_and_detail_follow_the_same_rule(world: dict[str, Any], reader: str) -> None:
    """The API list (with and without q) has only readable listings; others' detail is 404."""
    client = _client(world, reader)
    for query in ({}, {"q": "semillas", "kind": "offer"}):
        titles = {i["title"] for i in client.get("/api/v1/market/listings", query).json()["items"]}
        expected = {f"Semillas {level}" for level in LEVELS if reader in EXPECTED[level]}
        assert titles - {"Necesitamos semillas"} == expected
    for level, listing in world["listings"].items():
        status = client.get(f"/api/v1/market/listings/{listing.uuid}").status_code
        assert status == (200 if reader in EXPECTED[level] else 404), level


@pytest.mark.parametrize("reader", READERS)
def test_listing_page_is_not_found_for_those_who_may_not_see_it(
    world: dict[str, Any], reader: str
) -> None:
    """A listing the reader may not see answers 404, as if it did not exist."""
    client = _client(world, reader)
    for level, listing in world["listings"].items():
        status = client.get(listing.get_absolute_url()).status_code
        assert status == (200 if reader in EXPECTED[level] else 404), level


@pytest.mark.parametrize("reader", READERS)
def test_suggestions_never_show_hidden_offers(world: dict[str, Any], reader: str) -> None:
    """Suggested offers for a need are limited to what the reader may see, on page and selector."""
    user = _user(world, reader)
    suggested = {offer.title for offer in suggested_offers_for(user, world["need"], limit=10)}
    expected = {f"Semillas {level}" for level in LEVELS if reader in EXPECTED[level]}
    assert suggested == expected
    page = _client(world, reader).get(world["need"].get_absolute_url()).content.decode()
    for level in LEVELS:
        assert (f"Semillas {level}<" in page) is (reader in EXPECTED[level]), level


def test_visible_listings_counts_each_row_once(world: dict[str, Any]) -> None:
    """A member who is also a custodian still gets each listing once (no duplicate rows)."""
    member = world["people"]["member"]
    world["listings"]["organizations"].custodians.add(member)
    pks = list(visible_listings(member).values_list("pk", flat=True))
    assert len(pks) == len(set(pks))
