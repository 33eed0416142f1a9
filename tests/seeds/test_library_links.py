"""Library items linked to an accession (the story and uses of the variety), under the
library's own access rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.library.content import AccessData
from minga.seeds import selectors, services
from tests.library import factories as library
from tests.seeds import factories as seeds


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_linked_items_show_only_to_readers_the_library_allows(
    bank: Any, keeper: Any, commune: Any
) -> None:
    """The keeper links a public recipe and a members-only story by pasting their addresses;
    the keeper sees both on the accession, an anonymous reader only the recipe."""
    accession = seeds.accession(bank)
    recipe = library.item(commune)
    story = library.item(
        commune, access=AccessData(visibility=Visibility.ORGANIZATIONS, visible_to=[commune])
    )
    client = _client(keeper)
    for item in (recipe, story):
        page = client.post(
            f"/seeds/accessions/{accession.uuid}/library/",
            {"item": f"https://minga.example{item.get_absolute_url()}"},
            follow=True,
        ).content.decode()
        assert "The library item was linked to the accession." in page
    assert set(selectors.library_items_of(keeper, accession)) == {recipe, story}
    assert list(selectors.library_items_of(None, accession)) == [recipe]
    public = _client().get(accession.get_absolute_url()).content.decode()
    assert recipe.get_absolute_url() in public and story.get_absolute_url() not in public
    client.post(
        f"/seeds/accessions/{accession.uuid}/library/", {"item": str(story.uuid), "remove": "1"}
    )
    assert list(accession.library_items.all()) == [recipe]


def test_an_item_the_keeper_may_not_read_cannot_be_linked(
    bank: Any, keeper: Any, neighbour: Any, neighbour_keeper: Any
) -> None:
    """Another commune's members-only item is refused as if it did not exist; another
    commune's keeper may not link anything to this bank's accession."""
    accession = seeds.accession(bank)
    hidden = library.item(
        neighbour, access=AccessData(visibility=Visibility.ORGANIZATIONS, visible_to=[neighbour])
    )
    page = _client(keeper).post(
        f"/seeds/accessions/{accession.uuid}/library/", {"item": str(hidden.uuid)}, follow=True
    )
    assert "No library item you may read has this address." in page.content.decode()
    with pytest.raises(DomainError):
        services.accession_link_item(actor=keeper, accession=accession, item=hidden)
    assert not accession.library_items.exists()
    response = _client(neighbour_keeper).post(
        f"/seeds/accessions/{accession.uuid}/library/", {"item": str(hidden.uuid)}
    )
    assert response.status_code == 403
