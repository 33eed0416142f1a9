"""The library on a 360 px phone in Haitian Creole: a contributor publishes a formula and an
ancestral-knowledge item under a strict community protocol; an outsider searches and finds
the formula but not the knowledge; the outsider asks to be let in, the custodian lets them
in, and the outsider now finds the item and opens it."""

from __future__ import annotations

from typing import Any

import pytest

from minga.common.permissions import SYSTEM
from minga.library import services
from minga.library.models import Item
from minga.library.search import rebuild_item_index
from tests import factories
from tests.library import factories as library

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit

SHOTS = "/tmp/minga-library-e2e"  # noqa: S108 - screenshots for a person to look at


def _search(page: Any, base: str, words: str) -> str:
    page.goto(base + "/library/")
    page.fill("input[name=q]", words)
    _submit(page, "form[role=search] button[type=submit]")
    return str(page.inner_text("main"))


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_outsider_is_let_into_a_strict_protocol_and_then_finds_the_item(
    live_server: Any, phone_for: Any
) -> None:
    community = factories.organization(name="Lakou Ginen", slug="lakou")
    custodian = factories.person("gadyen")
    factories.role(custodian, community, "member")
    protocol = library.protocol(community, name="Konesans fanm yo")
    services.membership_grant(actor=SYSTEM, protocol=protocol, person=custodian, role="steward")
    outsider = factories.person("vizitè")
    factories.role(outsider, factories.organization(name="Lòt kominote", slug="lot"), "member")
    rebuild_item_index()
    base = live_server.url

    # The contributor (a member of the community and the protocol's steward) publishes.
    author = phone_for()
    _sign_in(author, base, custodian.username)
    author.goto(base + "/library/items/new/?kind=formula")
    assert author.evaluate("() => document.documentElement.lang") == "ht"
    author.fill("#id_title", "Biyòl fimye bèf pou mayi")
    author.fill("#id_language", "ht")
    author.fill("#id_summary", "Angrè likid fèmante pou jaden mayi")
    author.fill("#id_yield_quantity", "200")
    author.select_option("#id_yield_unit", "l")
    author.fill("#id_ingredients", "40 kg fimye bèf fre\n2 l lèt\nsèl; yon ti kras")
    author.fill("#id_steps", "Melanje fimye a ak dlo.\nFèmen barik la.")
    assert fits(author)
    _submit(author, "main form button[type=submit]")
    formula = Item.objects.get(title="Biyòl fimye bèf pou mayi")
    assert author.url.endswith(formula.get_absolute_url())
    assert formula.ingredients.count() == 3

    author.goto(base + "/library/items/new/?kind=knowledge")
    author.fill("#id_title", "Seremoni grenn mayi Ginen")
    author.fill("#id_language", "ht")
    author.fill("#id_summary", "Jan fanm yo beni grenn mayi anvan plante")
    author.fill("#id_community_of_origin", "Lakou Ginen")
    author.check(f"input[name=access-protocols][value='{protocol.uuid}']")
    author.fill("#id_consent-given_by", "Asanble lakou a")
    author.fill("#id_consent-given_on", "2025-03-01")
    author.fill("#id_consent-method", "Desizyon asanble a")
    author.fill("#id_consent-scope", "Pataje ak manm pwotokòl la sèlman")
    assert fits(author)
    author.screenshot(path=f"{SHOTS}-publish.png", full_page=True)
    _submit(author, "main form button[type=submit]")
    secret = Item.objects.get(title="Seremoni grenn mayi Ginen")
    assert list(secret.protocols.all()) == [protocol]

    # The outsider searches: the formula, not the ceremony, and no count of it either.
    reader = phone_for()
    _sign_in(reader, base, outsider.username)
    found = _search(reader, base, "mayi")
    assert "Biyòl fimye bèf pou mayi" in found and "Seremoni" not in found
    assert fits(reader)
    reader.screenshot(path=f"{SHOTS}-search-before.png", full_page=True)
    reader.goto(base + secret.get_absolute_url())
    assert "Seremoni" not in reader.content()

    # The outsider asks to be let in.
    reader.goto(base + "/library/protocols/")
    reader.click(f"a[href='{protocol.get_absolute_url()}']")
    reader.wait_for_load_state()
    reader.fill("textarea[name=message], input[name=message]", "Mwen se pitit pitit lakou a.")
    _submit(reader, f"form[action$='{protocol.uuid}/request/'] button[type=submit]")
    assert creole("Your request was sent to the protocol's stewards.") in reader.inner_text("body")
    assert fits(reader)

    # The custodian lets them in from the requests page.
    author.goto(base + "/library/requests/")
    assert "Mwen se pitit pitit lakou a." in author.inner_text("main")
    assert fits(author)
    _submit(author, "button[name=decision][value=grant]")
    assert protocol.memberships.filter(person=outsider).exists()

    # Now the outsider finds the ceremony and opens it.
    found = _search(reader, base, "mayi")
    assert "Seremoni grenn mayi Ginen" in found
    reader.click(f"main a[href='{secret.get_absolute_url()}']")
    reader.wait_for_load_state()
    assert reader.inner_text("h1").strip().startswith("Seremoni grenn mayi Ginen")
    assert fits(reader)
    reader.screenshot(path=f"{SHOTS}-opened.png", full_page=True)
