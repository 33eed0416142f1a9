"""Who sees a fund, on pages and in the API: its transparency decides, managers always
see it, and anonymous contributors stay anonymous to everyone but the managers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.common.audit import visible_entries
from minga.funds import selectors, services
from tests import factories
from tests.funds.factories import FundsWorld, client_for, fund

READERS = ["anonymous", "stranger", "member", "manager"]
# Who reads a fund of each transparency (the member belongs to the owning commune).
EXPECTED = {
    "public": {"anonymous", "stranger", "member", "manager"},
    "organizations": {"member", "manager"},
    "managers": {"manager"},
}


def _reader(w: FundsWorld, name: str) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "stranger": w.stranger,
        "member": w.member,
        "manager": w.second,
    }[name]


@pytest.mark.parametrize("transparency", list(EXPECTED))
def test_each_transparency_shows_the_fund_to_its_readers_only(
    w: FundsWorld, transparency: str
) -> None:
    """Lists, the page, the CSV export, the API list and detail agree; others get 404."""
    made = fund(w, transparency=transparency, name=f"Fondo {transparency}")
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    for name in READERS:
        user = _reader(w, name)
        sees = name in EXPECTED[transparency]
        assert selectors.visible_funds(user).filter(pk=made.pk).exists() is sees, name
        client = Client() if name == "anonymous" else client_for(user)
        page = client.get(made.get_absolute_url())
        assert page.status_code == (200 if sees else 404), name
        export = client.get(reverse("funds:export", args=[made.uuid]))
        assert export.status_code == (200 if sees else 404), name
        listing = client.get(reverse("funds:index"))
        assert (made.name in listing.content.decode()) is sees, name
        api = client.get(f"/api/v1/funds/funds/{made.uuid}")
        assert api.status_code == (200 if sees else 404), name
        api_list = client.get("/api/v1/funds/funds").json()
        assert (str(made.uuid) in str(api_list)) is sees, name
        movements = client.get(f"/api/v1/funds/funds/{made.uuid}/movements")
        assert movements.status_code == (200 if sees else 404), name


def test_a_superuser_reads_every_fund(w: FundsWorld) -> None:
    made = fund(w, transparency="managers")
    admin = factories.person("admin", is_superuser=True, is_staff=True)
    assert selectors.visible_funds(admin).filter(pk=made.pk).exists()


def test_an_anonymous_contributor_is_named_to_the_managers_only(w: FundsWorld) -> None:
    made = fund(w, transparency="public")
    hidden = factories.person("escondida", display_name="Contribuyente Escondida")
    shown = factories.person("nombrada", display_name="Contribuyente Nombrada")
    for person, named in ((hidden, False), (shown, True)):
        pledge = services.pledge_create(actor=person, fund=made, amount=1_000, named=named)
        services.contribution_receive(actor=w.first, fund=made, amount=1_000, pledge=pledge)
    public = Client().get(made.get_absolute_url()).content.decode()
    assert "Contribuyente Nombrada" in public
    assert "Contribuyente Escondida" not in public
    member_page = client_for(w.member).get(made.get_absolute_url()).content.decode()
    assert "Contribuyente Escondida" not in member_page
    assert "Contribuyente Escondida" not in str(
        Client().get(f"/api/v1/funds/funds/{made.uuid}").json()
    )
    managers = client_for(w.second).get(reverse("funds:pledges", args=[made.uuid]))
    assert "Contribuyente Escondida" in managers.content.decode()
    assert client_for(w.member).get(reverse("funds:pledges", args=[made.uuid])).status_code == 403
    # The audit log names no contributor to the fund's readers who are not managers.
    assert not any(
        entry.actor_id == hidden.pk for entry in visible_entries(w.member) if entry.actor_id
    )


def test_managers_pages_are_refused_to_readers_who_do_not_manage(w: FundsWorld) -> None:
    made = fund(w, transparency="public")
    for name in ("receive", "spend", "budget", "pledges"):
        url = reverse(f"funds:{name}", args=[made.uuid])
        assert client_for(w.member).get(url).status_code == 403, name
        assert client_for(w.second).get(url).status_code == 200, name


def test_a_managers_only_fund_leaks_nothing_through_the_audit_log(w: FundsWorld) -> None:
    made = fund(w, transparency="managers", name="Fondo reservado XYZZY")
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    for user in (w.member, w.stranger):
        assert not any("XYZZY" in entry.object_repr for entry in visible_entries(user))
    assert any("XYZZY" in entry.object_repr for entry in visible_entries(w.second))


def test_the_fund_list_reads_a_fixed_number_of_queries(
    w: FundsWorld, django_assert_max_num_queries: Any
) -> None:
    for number in range(6):
        fund(w, name=f"Fondo {number}")
    client = client_for(w.member)
    client.get(reverse("funds:index"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("funds:index"))
    assert response.content.decode().count("Fondo ") >= 6


def test_the_exchange_does_not_show_a_funds_accounts(w: FundsWorld) -> None:
    """A fund's designated accounts are not listed by the exchange to the commune's members
    nor to the unit's coordinators: a fund only its managers see stays unseen, and its
    limits are not the coordinators' to change."""
    from minga.exchange import selectors as exchange

    made = fund(w, transparency="managers")
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    coordinator = factories.person("coordinadora-red")
    factories.role(coordinator, w.network, "coordinator")
    for user in (w.member, w.first, coordinator):
        assert not exchange.visible_accounts(user).filter(pk=made.account_id).exists()
        assert not exchange.accounts_of_user_organizations(user).filter(pk=made.account_id).exists()
    assert not exchange.unit_accounts(w.unit).filter(pk=made.outside_account_id).exists()
    page = client_for(w.member).get(f"/exchange/accounts/{made.account.uuid}/")
    assert page.status_code == 404
