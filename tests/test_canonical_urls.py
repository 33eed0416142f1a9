"""Every object's canonical address (``/<prefix>/<uuid>/``) leads to its current page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from minga.common.models import Visibility
from minga.exchange.agreements import LineInput, agreement_propose
from tests import factories
from tests.exchange.ledger_helpers import unit_with_accounts
from tests.market import factories as market


def _path(obj: Any) -> str:
    return urlsplit(obj.get_canonical_url()).path


def test_canonical_addresses_redirect_to_pages(db: None) -> None:
    """Organization, person, relation, role, unit, account, agreement and listing."""
    unit, (account, other) = unit_with_accounts(2)
    person = factories.person("canonica", profile_visibility=Visibility.PUBLIC)
    role = factories.role(person, account.organization, "spokesperson")
    relation = factories.membership(account.organization, unit.network)
    agreement = agreement_propose(
        actor=None,
        proposer=account.organization,
        title="Canon",
        lines=[
            LineInput(
                supplier=account.organization,
                receiver=other.organization,
                description="x",
                amount=1,
            )
        ],
        payment="ledger",
        unit=unit,
    )
    listing = market.listing(account.organization, title="Canónico")
    client = Client()
    client.force_login(person)
    for obj in (account.organization, person, relation, role, unit, account, agreement, listing):
        response = client.get(_path(obj))
        if _path(obj) == obj.get_absolute_url():  # the canonical address is the page itself
            assert response.status_code == 200, obj
        else:
            assert response.status_code == 302, (obj, _path(obj))
            assert response["Location"] == obj.get_absolute_url()


def test_restricted_objects_are_not_revealed(db: None) -> None:
    """A restricted organization's canonical address answers 404 to others."""
    hidden = factories.organization(visibility=Visibility.CUSTODIANS)
    assert Client().get(_path(hidden)).status_code == 404
    assert Client().get("/nothing-here/00000000-0000-0000-0000-000000000000/").status_code == 404
