"""Every page fits the first-visit budget with realistic sizes: a network of 3,000 communes
and a Congress of 1,000 seats (100 KB of HTML per page)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.big_world import COMMUNES, SEATS, add_big_network
from tests.site_world import build_site_world, site_pages

BUDGET = 100 * 1024


def test_every_page_fits_the_budget_in_a_big_federation(db: None) -> None:
    """With 3,000 member communes and a Congress of 1,000 seats, no page a coordinator (who
    is also a delegate) or an anonymous reader opens weighs more than 100 KB: long lists are
    summarized or paginated, and organizations are chosen by typing, never from a list of
    them all."""
    world = build_site_world()
    add_big_network(world.network)
    readers = {"coordinator": factories.verified_client(world.coordinator), "anonymous": Client()}
    too_heavy = {}
    for who, client in readers.items():
        for name, urls in site_pages(world).items():
            for url in urls:
                response = client.get(url)
                if len(response.content) > BUDGET:
                    too_heavy[f"{who} {name} {url}"] = len(response.content) // 1024
    assert too_heavy == {}


def test_a_body_of_a_thousand_seats_summarizes_its_members(db: None) -> None:
    """The body's page gives the number of members and their votes, lists a few and links to
    a paginated list of all; the delegation form picks the delegate by name, not from a
    list of every member."""
    world = build_site_world()
    add_big_network(world.network, communes=SEATS, seats=SEATS)
    client = factories.verified_client(world.coordinator)
    page = client.get(reverse("assemblies:body", args=["congreso"])).content.decode()
    members_url = reverse("assemblies:body_members", args=["congreso"])
    assert members_url in page
    count = int(re.search(r"([\d,]+) members, ", page).group(1).replace(",", ""))
    assert count > SEATS
    assert page.count("comuna-popular-") < 50
    assert '<select id="delegate"' not in page and 'name="delegate"' in page
    listed = client.get(members_url + "?page=2").content.decode()
    assert listed.count("comuna-popular-") == 100
    assert COMMUNES > SEATS
