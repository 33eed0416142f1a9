"""Every object's canonical address (``/<prefix>/<uuid>/``) leads to its current page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.test import Client

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.exchange.services import LineInput, agreement_propose
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
        actor=SYSTEM,
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


def test_every_canonical_model_says_who_may_see_it(db: None) -> None:
    """No model's canonical address redirects without asking the app that owns it."""
    from django.apps import apps

    from minga.common.models import IdentifiedModel, VisibleContent
    from minga.common.views import _readers

    unguarded = [
        model.__name__
        for model in apps.get_models()
        if issubclass(model, IdentifiedModel)
        and model.canonical_path_prefix
        and model not in _readers
        and not issubclass(model, VisibleContent)
    ]
    assert unguarded == ["User"]  # people/<uuid>/ is the person page itself, which checks


def test_addresses_of_hidden_things_lead_nowhere(db: None) -> None:
    """A pending membership of a hidden organization, a role in it, and a hidden person's
    address all answer 404 and name no page, to strangers and to anonymous readers."""
    network = factories.organization(kind="network")
    hidden = factories.organization(
        name="Oculta", slug="oculta", visibility=Visibility.ORGANIZATIONS
    )
    relation = factories.membership(hidden, network, status="pending")
    person = factories.person("escondida", profile_visibility=Visibility.SERVER)
    role = factories.role(person, hidden, "spokesperson")
    stranger = Client()
    stranger.force_login(factories.person())
    for client in (Client(), stranger):
        for obj in (relation, role):
            response = client.get(_path(obj))
            assert response.status_code == 404, obj
            assert "oculta" not in response.get("Location", "")
    anonymous = Client().get(_path(person))
    assert anonymous.status_code == 404
    assert "escondida" not in anonymous.get("Location", "")
