"""Suggestions of offers for a need: what is a candidate and how candidates are ranked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from minga.market.models import Listing
from minga.market.search import rebuild_listing_index
from minga.market.selectors import (
    place_compatibility,
    price_compatibility,
    suggested_offers_for,
)
from tests import factories
from tests.market import factories as market


@pytest.fixture
def asking(db: None) -> Any:
    return factories.organization(name="Comuna que Pide")


@pytest.fixture
def giving(db: None) -> Any:
    return factories.organization(name="Cooperativa que Ofrece")


def _titles(need: Listing, limit: int = 5) -> list[str]:
    rebuild_listing_index()
    return [offer.title for offer in suggested_offers_for(AnonymousUser(), need, limit=limit)]


def test_category_and_words_rank_above_either_alone(asking: Any, giving: Any) -> None:
    """Same category and the need's words beats the category alone, which beats words alone;
    an offer sharing neither is not suggested."""
    need = market.listing(asking, kind="need", category="seeds", title="Semillas de maíz criollo")
    market.listing(giving, category="seeds", title="Semillas de frijol")  # category + 1 word
    market.listing(giving, category="seeds", title="Maíz criollo en semillas")  # category + all
    market.listing(giving, category="seeds", title="Plantines de cacao")  # category only
    market.listing(giving, category="food", title="Harina de maíz")  # 1 word only
    market.listing(giving, category="tools", title="Machetes")  # nothing in common
    assert _titles(need) == [
        "Maíz criollo en semillas",
        "Semillas de frijol",
        "Plantines de cacao",
        "Harina de maíz",
    ]


def test_stemmed_words_count_as_the_same(asking: Any, giving: Any) -> None:
    """The need's words match other forms of them (the index stems by language)."""
    need = market.listing(asking, kind="need", category="services", title="Curso de semilla")
    market.listing(giving, category="tools", title="Semillas")
    assert _titles(need) == ["Semillas"]


def test_only_open_available_offers_of_other_organizations(asking: Any, giving: Any) -> None:
    """Needs, closed or reserved offers, offers past their date and the need's own
    organization's offers are never suggested."""
    yesterday = timezone.localdate() - timedelta(days=1)
    need = market.listing(asking, kind="need", title="Semillas")
    market.listing(giving, title="Semillas abiertas")
    market.listing(giving, title="Semillas cerradas", status="closed")
    market.listing(giving, title="Semillas reservadas", status="reserved")
    market.listing(giving, title="Semillas vencidas", available_until=yesterday)
    market.listing(giving, kind="need", title="Semillas pedidas")
    market.listing(asking, title="Semillas propias")
    assert _titles(need) == ["Semillas abiertas"]


def test_an_offer_gets_no_suggestions(asking: Any) -> None:
    """Suggestions are for needs only."""
    offer = market.listing(asking, title="Semillas")
    assert suggested_offers_for(AnonymousUser(), offer) == []


def test_ways_of_paying_that_fit_rank_first(asking: Any, giving: Any) -> None:
    """For a barter need, a barter offer ranks above a priced one; for a need priced in a unit,
    an offer in the same unit ranks above one in another unit, above a barter-only one."""
    barter_need = market.listing(asking, kind="need", title="Semillas", barter_only=True)
    market.listing(giving, title="Semillas a precio", price_amount=100, price_unit="MINGA")
    market.listing(giving, title="Semillas por trueque", barter_only=True)
    assert _titles(barter_need) == ["Semillas por trueque", "Semillas a precio"]
    priced_need = market.listing(
        asking,
        kind="need",
        category="tools",
        title="Herramientas",
        price_amount=50,
        price_unit="HOUR",
    )
    market.listing(giving, category="tools", title="Herramientas en trueque", barter_only=True)
    market.listing(
        giving, category="tools", title="Herramientas en horas", price_amount=10, price_unit="HOUR"
    )
    market.listing(
        giving, category="tools", title="Herramientas en mingas", price_amount=9, price_unit="MINGA"
    )
    assert _titles(priced_need) == [
        "Herramientas en horas",
        "Herramientas en mingas",
        "Herramientas en trueque",
    ]


def test_offers_that_can_reach_the_need_rank_first(asking: Any, giving: Any) -> None:
    """An offer delivered in the need's country ranks above an international one, above a local
    offer from another country."""
    need = market.listing(asking, kind="need", title="Semillas", country="VE", place="Lara")
    market.listing(giving, title="Semillas de Colombia", country="CO", delivery_area="local")
    market.listing(giving, title="Semillas del mundo", country="BR", delivery_area="international")
    market.listing(giving, title="Semillas de Lara", country="VE", place="lara")
    assert _titles(need) == ["Semillas de Lara", "Semillas del mundo", "Semillas de Colombia"]


@pytest.mark.parametrize(
    ("need", "offer", "expected"),
    [
        ({"country": "VE"}, {"country": "VE", "delivery_area": "national"}, 1.0),
        ({"country": "VE"}, {"country": "CO", "delivery_area": "regional"}, 0.0),
        ({"country": "VE"}, {"country": "CO", "delivery_area": "international"}, 0.75),
        ({}, {"country": "CO", "delivery_area": "local"}, 0.5),
        ({"country": "VE", "place": "Lara"}, {"country": "VE", "place": "Lara"}, 1.0),
        ({"country": "VE", "place": "Lara"}, {"country": "VE", "place": "Zulia"}, 0.5),
    ],
)
def test_place_compatibility(need: dict[str, Any], offer: dict[str, Any], expected: float) -> None:
    """Reach of an offer: the same country or international delivery fits; another country does not."""
    assert place_compatibility(Listing(**need), Listing(**offer)) == expected


@pytest.mark.parametrize(
    ("need", "offer", "expected"),
    [
        ({"barter_only": True}, {"barter_only": True}, 1.0),
        ({"barter_only": True}, {"price_amount": 5, "price_unit": "MINGA"}, 0.0),
        (
            {"price_amount": 5, "price_unit": "MINGA"},
            {"price_amount": 7, "price_unit": "MINGA"},
            1.0,
        ),
        (
            {"price_amount": 5, "price_unit": "MINGA"},
            {"price_amount": 7, "price_unit": "HOUR"},
            0.25,
        ),
        ({"price_amount": 5, "price_unit": "MINGA"}, {"barter_only": True}, 0.0),
        ({}, {"barter_only": True}, 0.5),
    ],
)
def test_price_compatibility(need: dict[str, Any], offer: dict[str, Any], expected: float) -> None:
    """Barter fits barter, a price fits a price in the same unit."""
    assert price_compatibility(Listing(**need), Listing(**offer)) == expected


def test_limit_and_the_need_page(asking: Any, giving: Any) -> None:
    """At most ``limit`` offers; the need's page shows the best ones with links."""
    need = market.listing(asking, kind="need", title="Semillas")
    for number in range(8):
        market.listing(giving, title=f"Semillas lote {number}")
    assert len(_titles(need, limit=5)) == 5
    assert len(_titles(need, limit=3)) == 3
    page = Client().get(need.get_absolute_url()).content.decode()
    assert page.count("Semillas lote") == 5
    assert 'id="suggestions-title"' in page
