"""The marketplace's pages: directory and its filters, search, detail, forms, actions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.common.models import AuditEntry
from minga.market.models import Listing
from minga.market.search import rebuild_listing_index
from tests import factories
from tests.market import factories as market

URL = "/market/"


@pytest.fixture
def market_place(db: None) -> dict[str, Any]:
    maizal = factories.organization(name="Comuna El Maizal", country="VE")
    sementes = factories.organization(name="Cooperativa Sementes", country="BR")
    listings = {
        "maiz": market.listing(
            maizal,
            title="Semillas de maíz criollo",
            description="Cosecha de este año",
            country="VE",
            barter_only=True,
        ),
        "sementes": market.listing(
            sementes,
            title="Sementes crioulas de feijão",
            language="pt",
            country="BR",
            delivery_area="international",
            price_amount=300,
            price_unit="MINGA",
        ),
        "tractor": market.listing(
            maizal, kind="need", category="transport", title="Necesitamos un camión", country="VE"
        ),
        "closed": market.listing(
            maizal, category="tools", title="Machetes usados", status="closed"
        ),
        "course": market.listing(
            sementes, category="training", title="Training in composting", language="en"
        ),
    }
    rebuild_listing_index()
    return {"maizal": maizal, "sementes": sementes, **listings}


def _titles(page: str) -> set[str]:
    return set(re.findall(r'lang="[\w-]+">([^<]+)</a></h3>', page))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            {
                "Semillas de maíz criollo",
                "Sementes crioulas de feijão",
                "Necesitamos un camión",
                "Training in composting",
            },
        ),
        ({"kind": "need"}, {"Necesitamos un camión"}),
        ({"category": "training"}, {"Training in composting"}),
        ({"delivery_area": "international"}, {"Sementes crioulas de feijão"}),
        ({"country": "VE"}, {"Semillas de maíz criollo", "Necesitamos un camión"}),
        ({"barter_only": "on"}, {"Semillas de maíz criollo"}),
        ({"status": "closed"}, {"Machetes usados"}),
        ({"status": "any", "category": "tools"}, {"Machetes usados"}),
        ({"kind": "offer", "country": "BR"}, {"Sementes crioulas de feijão"}),
    ],
)
def test_directory_filters(
    client: Client, market_place: dict[str, Any], query: dict[str, str], expected: set[str]
) -> None:
    """Each filter narrows the list; only open listings show unless another status is asked."""
    page = client.get(URL, query).content.decode()
    assert _titles(page) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("semilla", {"Semillas de maíz criollo"}),  # Spanish stem
        ("semente", {"Sementes crioulas de feijão"}),  # Portuguese stem
        ("compost", {"Training in composting"}),  # English stem
        ("camiones", {"Necesitamos un camión"}),  # plural, folded accents
        ("maiz", {"Semillas de maíz criollo"}),  # without the accent
        ("machetes", set()),  # closed: not shown by default
        ("OR", set()),  # query syntax is read as a word
    ],
)
def test_directory_search_is_stemmed_by_language(
    client: Client, market_place: dict[str, Any], q: str, expected: set[str]
) -> None:
    """Search finds listings by the stem of their own language, through the page."""
    assert _titles(client.get(URL, {"q": q}).content.decode()) == expected


def test_htmx_gets_only_the_results(client: Client, market_place: dict[str, Any]) -> None:
    """With HX-Request the server answers the result list alone, without the page around it."""
    body = client.get(URL, {"kind": "need"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Necesitamos un camión" in body
    assert "<html" not in body and "<form" not in body


def test_directory_works_without_javascript(client: Client, market_place: dict[str, Any]) -> None:
    """The filter form is a plain GET form that the server answers with a whole page."""
    page = client.get(URL).content.decode()
    assert re.search(r'<form method="get" action="/market/"', page)
    assert 'name="q"' in page and 'type="submit"' in page


def test_directory_queries_do_not_grow_with_rows(
    db: None, django_assert_max_num_queries: Any
) -> None:
    """Thirty listings of many organizations, for a signed-in manager, cost a fixed handful."""
    manager = factories.person()
    for number in range(40):
        organization = factories.organization(name=f"Comuna {number:02d}")
        market.listing(organization, title=f"Oferta {number}", country="VE", quantity=3, unit="kg")
        if number < 10:
            factories.role(manager, organization, "spokesperson")
    client = Client()
    client.force_login(manager)
    client.get(URL)  # the session and the like are loaded once
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    page = response.content.decode()
    assert page.count('class="card"') == 30 + 10
    with django_assert_max_num_queries(12):
        client.get(URL, {"q": "oferta"})


def test_my_organizations_listings_are_shown_to_managers(market_place: dict[str, Any]) -> None:
    """A spokesperson sees a section with every listing of their organization, closed too."""
    spokesperson = factories.person()
    factories.role(spokesperson, market_place["maizal"], "spokesperson")
    client = Client()
    client.force_login(spokesperson)
    page = client.get(URL).content.decode()
    section = page.split('id="mine-title"')[1]
    assert "Machetes usados" in section and "Necesitamos un camión" in section
    assert "Sementes crioulas" not in section
    assert 'id="mine-title"' not in Client().get(URL).content.decode()


def test_detail_shows_the_listing_with_sanitized_markdown(client: Client, db: None) -> None:
    """Markdown is rendered; scripts and raw HTML are removed; the text carries its language."""
    listing = market.listing(
        factories.organization(),
        title="Miel",
        description="Miel **pura** <script>alert('x')</script> <img src=x onerror=alert(1)>",
        language="pt",
    )
    body = client.get(listing.get_absolute_url()).content.decode()
    assert "<strong>pura</strong>" in body
    assert "<script>alert" not in body and "onerror" not in body
    assert '<div lang="pt">' in body


def test_photos_have_sizes_and_load_lazily(db: None) -> None:
    """Each photo on the page has width, height and loading="lazy"."""
    from minga.market import services

    organization = factories.organization()
    spokesperson = factories.person()
    factories.role(spokesperson, organization, "spokesperson")
    listing = services.listing_create(
        actor=spokesperson,
        organization=organization,
        data=services.ListingData(kind="offer", category="crafts", title="Canastas"),
        photos=[market.image_file("a.png", size=(120, 80))],
    )
    body = Client().get(listing.get_absolute_url()).content.decode()
    image = re.search(r"<img [^>]+>", body[body.index("<main") :])  # not the header's icon
    assert image is not None
    assert 'width="120"' in image[0] and 'height="80"' in image[0]
    assert 'loading="lazy"' in image[0]


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "offer",
        "category": "crafts",
        "title": "Canastas de mimbre",
        "description": "Hechas a mano",
        "language": "es",
        "quantity": "12",
        "unit": "unit",
        "price_amount": "",
        "price_unit": "",
        "barter_only": "on",
        "place": "Sanare",
        "delivery_area": "regional",
        "country": "VE",
        "status": "open",
        "visibility": "public",
        **changes,
    }


@pytest.fixture
def spokesperson_client(market_place: dict[str, Any]) -> Client:
    person = factories.person()
    factories.role(person, market_place["maizal"], "spokesperson")
    client = Client()
    client.force_login(person)
    return client


def test_create_with_photos_through_the_page(
    spokesperson_client: Client, market_place: dict[str, Any]
) -> None:
    """A spokesperson publishes an offer with two photos and lands on its page."""
    response = spokesperson_client.post(
        reverse("market:create"),
        _form(
            organization=market_place["maizal"].slug,
            photo_1=market.image_file("a.png"),
            photo_2=market.image_file("b.jpg", "JPEG"),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    listing = Listing.objects.get(title="Canastas de mimbre")
    assert response["Location"] == listing.get_absolute_url()
    assert listing.photos.count() == 2 and listing.barter_only and listing.quantity == 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"barter_only": "", "price_amount": "100", "price_unit": ""}, "unit of account"),
        ({"barter_only": "on", "price_amount": "100", "price_unit": "MINGA"}, "barter-only"),
        ({"photo_1": "big"}, "1 MB"),
        ({"photo_1": "gif"}, "JPEG, PNG or WebP"),
    ],
)
def test_refused_forms_show_the_error_and_save_nothing(
    spokesperson_client: Client, market_place: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    """A refused listing re-shows the form with the message; nothing is stored."""
    if changes.get("photo_1") == "big":
        changes["photo_1"] = market.big_image_file()
    elif changes.get("photo_1") == "gif":
        changes["photo_1"] = market.image_file("x.gif", "GIF")
    response = spokesperson_client.post(
        reverse("market:create"), _form(organization=market_place["maizal"].slug, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Listing.objects.filter(title="Canastas de mimbre").exists()


def test_edit_close_and_reopen_through_the_pages(
    spokesperson_client: Client, market_place: dict[str, Any]
) -> None:
    """The manager edits a listing, closes it (it leaves the directory) and reopens it."""
    listing = market_place["maiz"]
    edit = reverse("market:edit", args=[listing.uuid])
    assert spokesperson_client.get(edit).status_code == 200
    response = spokesperson_client.post(
        edit, _form(title="Semillas de maíz morado", category="seeds", photo_1=market.image_file())
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.title == "Semillas de maíz morado" and listing.photos.count() == 1
    detail = spokesperson_client.get(listing.get_absolute_url()).content.decode()
    assert reverse("market:close", args=[listing.uuid]) in detail
    spokesperson_client.post(reverse("market:close", args=[listing.uuid]), {"reason": "Vendido"})
    listing.refresh_from_db()
    assert listing.status == "closed"
    assert "Semillas de maíz morado" not in Client().get(URL).content.decode()
    spokesperson_client.post(reverse("market:reopen", args=[listing.uuid]))
    listing.refresh_from_db()
    assert listing.status == "open"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"market.listing.update", "market.listing.close", "market.listing.reopen"} <= actions
    photo = listing.photos.get()
    spokesperson_client.post(
        edit, _form(title="Semillas de maíz morado", category="seeds", remove_photos=[photo.pk])
    )
    assert not listing.photos.exists()


def test_strangers_see_no_edit_buttons(client: Client, market_place: dict[str, Any]) -> None:
    """Readers without the right see no edit, close or reopen buttons."""
    page = client.get(market_place["maiz"].get_absolute_url()).content.decode()
    assert "/edit/" not in page and "/close/" not in page


def test_closing_needs_post(spokesperson_client: Client, market_place: dict[str, Any]) -> None:
    """A link followed by GET does not close a listing."""
    listing = market_place["maiz"]
    assert spokesperson_client.get(reverse("market:close", args=[listing.uuid])).status_code == 405
