"""Amounts read the same on every page: the unit's decimals and its code, one function."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minga.common.money import amount_in_unit, format_amount
from minga.common.permissions import SYSTEM
from minga.exchange import services
from tests import factories
from tests.exchange.web_helpers import World, build_world, page_client
from tests.market import factories as market


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.mark.parametrize(
    ("amount", "scale", "text"),
    [
        (22_600, 2, "226.00 MINGA"),
        (-5, 2, "-0.05 MINGA"),
        (0, 0, "0 MINGA"),
        (7, 3, "0.007 MINGA"),
        (2**62 - 1, 6, "4611686018427.387903 MINGA"),
    ],
)
def test_amounts_are_written_with_the_units_decimals(amount: int, scale: int, text: str) -> None:
    assert format_amount(amount, scale, "MINGA") == text


def test_an_offers_price_reads_like_the_balance_that_pays_it(world: World) -> None:
    """The market shows 22600 minor units of MINGA as 226.00 MINGA, as the account page
    writes balances; a unit the exchange does not know keeps its minor units."""
    offer = market.listing(
        world.semillas, title="Semilla de maíz", price_amount=22_600, price_unit="MINGA"
    )
    odd = market.listing(world.semillas, title="Otra", price_amount=300, price_unit="NADA")
    assert services.transfers_submit(
        actor=SYSTEM,
        inputs=[
            services.TransferInput(
                client_id="p",
                debit=str(world.a.uuid),
                credit=str(world.b.uuid),
                unit="MINGA",
                amount=2_260,
            )
        ],
    ).all_applied
    client = page_client(world.people["spokesperson"])
    listing_page = client.get(reverse("market:listing", args=[offer.uuid])).content.decode()
    assert "226.00 MINGA" in listing_page and "22600 MINGA" not in listing_page
    directory = client.get(reverse("market:directory")).content.decode()
    assert "226.00 MINGA" in directory and "300 NADA" in directory
    account_page = client.get(reverse("exchange:account", args=[world.a.uuid])).content.decode()
    assert amount_in_unit(-2_260, world.unit) in account_page  # the balance, "-22.60 MINGA"
    assert odd.price_unit == "NADA"


def test_proposing_a_trade_from_an_offer_starts_from_its_price(world: World) -> None:
    offer = market.listing(world.semillas, title="Maíz", price_amount=22_650, price_unit="MINGA")
    client = page_client(world.people["spokesperson"])
    page = client.get(reverse("trade:agreement_new"), {"listing": str(offer.uuid)}).content.decode()
    assert 'value="226.50"' in page


def test_the_dashboards_and_the_journal_use_the_same_writing(world: World) -> None:
    coordinator = factories.person("coordina")
    factories.role(coordinator, world.network, "coordinator")
    page = page_client(coordinator).get(reverse("dashboard:index"), {"unit": "MINGA"})
    assert page.status_code == 200
    assert format_amount(0, 2, "MINGA") in page.content.decode()
