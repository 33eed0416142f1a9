"""Who may publish and manage offers and needs: roles × organizations, by rule and by page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.permissions import has_perm
from minga.market.models import Listing
from tests import factories
from tests.market import factories as market


@pytest.fixture
def communes(db: None) -> dict[str, Any]:
    own = factories.organization(name="Comuna Propia")
    other = factories.organization(name="Comuna Vecina")
    return {
        "own": own,
        "other": other,
        "listing": market.listing(own),
        "foreign": market.listing(other),
    }


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("member", False),
        ("delegate", False),
        ("spokesperson", True),
        ("coordinator", True),
        ("administrator", True),
    ],
)
def test_managing_roles_create_and_change_for_their_own_organization_only(
    communes: dict[str, Any], kind: str, allowed: bool
) -> None:
    """Spokespeople, coordinators and administrators manage their organization's listings,
    and no other's; members and delegates do not."""
    person = factories.person()
    factories.role(person, communes["own"], kind)
    assert has_perm(person, "market.listing.create", communes["own"]) is allowed
    assert has_perm(person, "market.listing.change", communes["listing"]) is allowed
    assert has_perm(person, "market.listing.create") is allowed
    assert not has_perm(person, "market.listing.create", communes["other"])
    assert not has_perm(person, "market.listing.change", communes["foreign"])


def test_ended_and_future_roles_give_no_right(communes: dict[str, Any]) -> None:
    """A role that has ended, or has not started, is not a current role."""
    today = timezone.localdate()
    former = factories.person()
    factories.role(
        former,
        communes["own"],
        "spokesperson",
        started_on=today - timedelta(days=100),
        ended_on=today - timedelta(days=1),
    )
    future = factories.person()
    factories.role(future, communes["own"], "coordinator", started_on=today + timedelta(days=5))
    for person in (former, future):
        assert not has_perm(person, "market.listing.create", communes["own"])
        assert not has_perm(person, "market.listing.change", communes["listing"])


def test_anonymous_inactive_and_superusers(communes: dict[str, Any]) -> None:
    """Anonymous and inactive people may not; a superuser may everything."""
    inactive = factories.person(is_active=False)
    factories.role(inactive, communes["own"], "spokesperson")
    for person in (AnonymousUser(), inactive):
        assert not has_perm(person, "market.listing.create", communes["own"])
        assert not has_perm(person, "market.listing.change", communes["listing"])
    root = factories.person(is_superuser=True)
    assert has_perm(root, "market.listing.change", communes["foreign"])


def _form(organization: Any, **changes: Any) -> dict[str, Any]:
    return {
        "organization": organization.slug,
        "kind": "offer",
        "category": "tools",
        "title": "Machetes",
        "language": "es",
        "delivery_area": "local",
        "status": "open",
        "visibility": "public",
        **changes,
    }


def test_pages_refuse_people_without_the_right(communes: dict[str, Any]) -> None:
    """Without a managing role the create and edit pages and the actions answer 403."""
    member = factories.person()
    factories.role(member, communes["own"], "member")
    client = Client()
    client.force_login(member)
    listing = communes["listing"]
    assert client.get(reverse("market:create")).status_code == 403
    assert client.post(reverse("market:create"), _form(communes["own"])).status_code == 403
    assert client.get(reverse("market:edit", args=[listing.uuid])).status_code == 403
    assert client.post(reverse("market:close", args=[listing.uuid])).status_code == 403
    listing.refresh_from_db()
    assert listing.status == "open"
    assert Listing.objects.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(communes: dict[str, Any]) -> None:
    """The create page asks anonymous visitors to sign in."""
    response = Client().get(reverse("market:create"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_spokesperson_cannot_publish_for_another_organization(communes: dict[str, Any]) -> None:
    """The organization to choose is among those the person manages; another is refused."""
    spokesperson = factories.person()
    factories.role(spokesperson, communes["own"], "spokesperson")
    client = Client()
    client.force_login(spokesperson)
    page = client.get(reverse("market:create")).content.decode()
    assert communes["own"].slug in page and communes["other"].slug not in page
    response = client.post(reverse("market:create"), _form(communes["other"]))
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not Listing.objects.filter(title="Machetes").exists()
    response = client.post(reverse("market:create"), _form(communes["own"]))
    assert response.status_code == 302
    assert Listing.objects.get(title="Machetes").organization == communes["own"]
