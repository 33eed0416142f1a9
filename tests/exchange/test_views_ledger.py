"""The ledger's pages: the exchange home, account pages, paying, and the coordinators' forms."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from minga.common.permissions import SYSTEM
from minga.exchange import services
from minga.exchange.forms import to_minor_units
from minga.exchange.models import Account, Transfer
from tests import factories
from tests.exchange.web_helpers import World, balances, build_world, page_client


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _account_url(account: Account) -> str:
    return reverse("exchange:account", kwargs={"uuid": account.uuid})


def _client_id(page: str) -> str:
    found = re.search(r'name="client_id" value="([^"]+)"', page)
    assert found, "the pay form carries its client id"
    return found.group(1)


def _pay(client: Client, world: World, amount: str, client_id: str, **extra: str) -> Any:
    data = {"client_id": client_id, "recipient": "Semillas", "amount": amount, **extra}
    return client.post(_account_url(world.a), data)


def test_pages_need_signing_in(world: World) -> None:
    """Anonymous visitors are sent to sign in."""
    assert Client().get(reverse("exchange:home")).status_code == 302
    assert Client().get(_account_url(world.a)).status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("spokesperson", 200),
        ("network_coordinator", 200),
        ("superuser", 200),
        ("outsider", 404),
        ("payee", 404),
        ("other_coordinator", 404),
        ("network_member", 404),
    ],
)
def test_account_page_is_visible_only_to_allowed_people(
    world: World, who: str, status: int
) -> None:
    """Others get 404, as if the account did not exist."""
    response = page_client(world.people[who]).get(_account_url(world.a))
    assert response.status_code == status


def test_account_page_shows_figures_and_journal(world: World) -> None:
    """Balance, available to spend (balance − reserved − credit limit) and the journal."""
    services.transfers_submit(
        actor=SYSTEM,
        inputs=[
            services.TransferInput(
                client_id="in",
                debit=str(world.b.uuid),
                credit=str(world.a.uuid),
                unit="MINGA",
                amount=2_000,
                memo="cosecha",
            ),
            services.TransferInput(
                client_id="hold",
                kind="pending",
                debit=str(world.a.uuid),
                credit=str(world.b.uuid),
                unit="MINGA",
                amount=500,
            ),
        ],
    )
    page = page_client(world.people["member"]).get(_account_url(world.a)).content.decode()
    assert "20.00 MINGA" in page  # balance
    assert "115.00 MINGA" in page  # available: 20 − 5 + 100
    assert "5.00 MINGA" in page  # reserved
    assert "cosecha" in page and "Cooperativa Semillas" in page
    assert 'name="client_id"' not in page  # a plain member may not pay


def test_pay_form_happy_path(world: World) -> None:
    """The spokesperson pays 12.50 MINGA: 1,250 minor units move, and the page says so."""
    client = page_client(world.people["spokesperson"])
    page = client.get(_account_url(world.a)).content.decode()
    assert 'name="recipient"' in page and "Cooperativa Semillas" not in page  # typed, not listed
    response = _pay(client, world, "12.50", _client_id(page), memo="semillas de maíz")
    assert response.status_code == 302
    assert balances(world.a, world.b) == [-1_250, 1_250]
    assert Transfer.objects.get().memo == "semillas de maíz"
    page = client.get(_account_url(world.a)).content.decode()
    assert "12.50 MINGA" in page


def test_double_submit_of_one_form_pays_once(world: World) -> None:
    """Sending the same form twice (a double tap, a resend) pays once."""
    client = page_client(world.people["spokesperson"])
    client_id = _client_id(client.get(_account_url(world.a)).content.decode())
    assert _pay(client, world, "3", client_id).status_code == 302
    second = _pay(client, world, "3", client_id)
    assert second.status_code == 302
    assert Transfer.objects.count() == 1
    assert balances(world.a, world.b) == [-300, 300]
    page = client.get(_account_url(world.a)).content.decode()
    assert "already made" in page


def test_a_new_visit_gets_a_new_client_id(world: World) -> None:
    """Each time the form is shown it is a new payment."""
    client = page_client(world.people["spokesperson"])
    first = _client_id(client.get(_account_url(world.a)).content.decode())
    second = _client_id(client.get(_account_url(world.a)).content.decode())
    assert first != second


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.505", "at most 2 decimals"),
        ("abc", "such as 12.50"),
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("1e3", "such as 12.50"),
        ("", "required"),
    ],
)
def test_amount_errors_are_explained_and_pay_nothing(
    world: World, amount: str, message: str
) -> None:
    """Amounts with more decimals than the unit, or that are not amounts, are refused."""
    client = page_client(world.people["spokesperson"])
    response = _pay(client, world, amount, "web-x")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Transfer.objects.exists()


def test_refusal_by_the_ledger_is_shown_in_the_form(world: World) -> None:
    """Beyond the credit limit the form says why, and nothing moves."""
    client = page_client(world.people["spokesperson"])
    response = _pay(client, world, "100.01", "web-big")
    assert "credit limit" in response.content.decode()
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("text", "scale", "minor"),
    [("12.50", 2, 1250), ("12,5", 2, 1250), ("7", 0, 7), ("0.001", 3, 1), ("1.10", 1, 11)],
)
def test_decimal_amounts_convert_exactly(text: str, scale: int, minor: int) -> None:
    """Decimals are converted with Decimal, never through floating point."""
    assert to_minor_units(text, scale) == minor


@pytest.mark.parametrize(("text", "scale"), [("0.1", 0), ("1.234", 2), ("1,000.50", 2), ("NaN", 2)])
def test_decimal_amounts_refuse_what_the_unit_cannot_hold(text: str, scale: int) -> None:
    with pytest.raises(ValidationError):
        to_minor_units(text, scale)


def test_others_cannot_post_the_pay_form(world: World) -> None:
    """A member who may only read the account gets 403 when posting the form."""
    response = _pay(page_client(world.people["member"]), world, "1", "web-m")
    assert response.status_code == 403
    assert not Transfer.objects.exists()


def test_the_payee_is_found_by_name_short_code_or_suggestion(world: World) -> None:
    """The payee is typed: part of its name, its short code, or the "Name (code)" a
    suggestion fills in; only organizations with an account in the unit match."""
    client = page_client(world.people["spokesperson"])
    page = client.get(_account_url(world.a)).content.decode()
    assert '<select name="recipient"' not in page and "<option" not in page.split("<main")[1]
    for number, typed in enumerate(
        ["semillas", "cooperativa sem", "Cooperativa Semillas (semillas)"]
    ):
        data = {"client_id": f"web-{number}", "recipient": typed, "amount": "1"}
        assert client.post(_account_url(world.a), data).status_code == 302, typed
    for typed in ("Comuna Nueva", "nadie así"):  # no account in the unit; no such name
        data = {"client_id": "web-x", "recipient": typed, "amount": "1"}
        page = client.post(_account_url(world.a), data).content.decode()
        assert "No organization matches" in page
    assert balances(world.a, world.b) == [-300, 300]


def test_several_payees_matching_are_offered_as_choices(world: World) -> None:
    """Two accounts' organizations match what was typed: the form comes back with those two
    as choices (and nothing else); choosing one pays it."""
    twin = factories.organization(name="Cooperativa Semillas del Sur", slug="semillas-sur")
    twin_account = services.account_open(actor=SYSTEM, organization=twin, unit=world.unit)
    client = page_client(world.people["spokesperson"])
    data = {"client_id": "web-1", "recipient": "semillas", "amount": "1"}
    assert client.post(_account_url(world.a), data).status_code == 302  # the exact code
    data = {"client_id": "web-2", "recipient": "Cooperativa Semillas", "amount": "2"}
    assert client.post(_account_url(world.a), data).status_code == 302  # the exact name
    data = {"client_id": "web-3", "recipient": "cooperativa sem", "amount": "3"}
    page = client.post(_account_url(world.a), data).content.decode()
    assert "Several organizations match" in page
    assert page.count('type="radio" name="recipient_choice"') == 2
    assert 'value="semillas-sur"' in page and 'value="semillas"' in page
    data["recipient_choice"] = "semillas-sur"
    assert client.post(_account_url(world.a), data).status_code == 302
    assert balances(world.b, twin_account) == [300, 300]


def test_account_page_queries_do_not_grow_with_entries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """Fifty journal entries and the pay form cost a fixed handful of queries."""
    inputs = [
        services.TransferInput(
            client_id=f"n-{n}",
            debit=str(world.a.uuid),
            credit=str(world.b.uuid),
            unit="MINGA",
            amount=1,
        )
        for n in range(60)
    ]
    services.transfers_submit(actor=SYSTEM, inputs=inputs)
    for number in range(20):
        organization = factories.organization(name=f"Comuna {number}")
        services.account_open(actor=SYSTEM, organization=organization, unit=world.unit)
    client = page_client(world.people["spokesperson"])
    client.get(_account_url(world.a))
    with django_assert_max_num_queries(13):
        response = client.get(_account_url(world.a))
    assert response.content.decode().count("<tr>") == 51


def test_home_shows_my_accounts_and_managed_units(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """Members see their organizations' accounts; coordinators the accounts of their unit."""
    page = page_client(world.people["spokesperson"]).get(reverse("exchange:home")).content.decode()
    assert "Comuna El Maizal · MINGA" in page
    assert "Units you manage" not in page
    for number in range(60):
        organization = factories.organization(name=f"Comuna {number:02d}")
        factories.membership(organization, world.network)
        services.account_open(actor=SYSTEM, organization=organization, unit=world.unit)
    client = page_client(world.people["network_coordinator"])
    client.get(reverse("exchange:home"))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("exchange:home"))
    page = response.content.decode()
    assert "Units you manage" in page
    assert "62 accounts" in page
    assert page.count('action="/exchange/accounts/') == 100  # 50 accounts × (limits, freeze)
    assert 'name="organization"' in page  # typed, with suggestions: no list of candidates
    assert "Comuna Nueva" not in page
    second = client.get(reverse("exchange:home"), {"page": 2}).content.decode()
    assert second.count('action="/exchange/accounts/') == 24


def test_coordinator_opens_an_account_for_a_member(world: World) -> None:
    """Only members of the network, and only by the network's coordinators."""
    url = reverse("exchange:account_open", kwargs={"code": "MINGA"})
    spokesperson = page_client(world.people["spokesperson"])
    assert spokesperson.post(url, {"organization": "nueva"}).status_code == 403
    coordinator = page_client(world.people["network_coordinator"])
    assert coordinator.post(url, {"organization": "lejana"}).status_code == 302
    assert not Account.objects.filter(organization=world.outsider_org).exists()
    assert coordinator.post(url, {"organization": "nueva"}).status_code == 302
    account = Account.objects.get(organization=world.newcomer_org)
    assert account.lowest_balance == -10_000


def test_coordinator_sets_limits_with_decimals(world: World) -> None:
    """The credit limit is typed as a positive amount in the unit; the upper limit may be empty."""
    url = reverse("exchange:account_limits", kwargs={"uuid": world.a.uuid})
    data = {"credit_limit": "250.50", "upper_limit": "", "next": _account_url(world.a)}
    assert page_client(world.people["spokesperson"]).post(url, data).status_code == 403
    coordinator = page_client(world.people["network_coordinator"])
    response = coordinator.post(url, data)
    assert response.status_code == 302 and response["Location"] == _account_url(world.a)
    account = Account.objects.get(pk=world.a.pk)
    assert (account.lowest_balance, account.highest_balance) == (-25_050, None)
    coordinator.post(url, {"credit_limit": "1.234", "upper_limit": "5"})
    assert Account.objects.get(pk=world.a.pk).lowest_balance == -25_050
    response = coordinator.post(url, {"credit_limit": "0", "upper_limit": "5"}, follow=True)
    assert Account.objects.get(pk=world.a.pk).highest_balance == 500


def test_coordinator_freezes_with_a_reason(world: World) -> None:
    """Freezing needs a reason; a frozen account's page offers no payment; unfreezing works."""
    url = reverse("exchange:account_freeze", kwargs={"uuid": world.a.uuid})
    assert (
        page_client(world.people["maizal_coordinator"])
        .post(url, {"frozen": "1", "reason": "x"})
        .status_code
        == 403
    )
    coordinator = page_client(world.people["network_coordinator"])
    coordinator.post(url, {"frozen": "1", "reason": ""})
    assert not Account.objects.get(pk=world.a.pk).frozen
    coordinator.post(url, {"frozen": "1", "reason": "auditoría"})
    assert Account.objects.get(pk=world.a.pk).frozen
    page = page_client(world.people["spokesperson"]).get(_account_url(world.a)).content.decode()
    assert "frozen" in page and 'name="amount"' not in page
    coordinator.post(url, {"frozen": "0"})
    assert not Account.objects.get(pk=world.a.pk).frozen


def test_coordinator_creates_a_unit(world: World) -> None:
    """A unit with whole hours and a default credit limit of 20 hours."""
    url = reverse("exchange:unit_create")
    data = {
        "network": "red",
        "code": "hora",
        "name": "Horas",
        "kind": "hours",
        "scale": "0",
        "default_credit_limit": "20",
        "default_upper_limit": "",
    }
    assert page_client(world.people["spokesperson"]).post(url, data).status_code == 403
    coordinator = page_client(world.people["network_coordinator"])
    assert coordinator.post(url, data).status_code == 302
    unit = world.network.units.get(code="HORA")
    assert (unit.scale, unit.default_lowest_balance, unit.default_highest_balance) == (0, -20, None)
    other = page_client(world.people["other_coordinator"])
    other.post(url, {**data, "code": "OTRA"})
    assert not world.network.units.filter(code="OTRA").exists()
