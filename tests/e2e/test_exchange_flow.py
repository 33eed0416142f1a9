"""Two communes trade through the ledger and a coordinator clears debts: in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.common.permissions import SYSTEM
from minga.exchange import services
from minga.exchange.models import Agreement, ClearingRound
from minga.exchange.services import obligations_import
from tests import factories


def _sign_in(page: Any, base: str, username: str, code: str = "") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    if code:
        page.fill("#id_otp_token", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.usefixtures("seeded_transactional_db")
def test_trade_delivery_moves_balances_and_clearing_report(live_server: Any, page_for: Any) -> None:
    network = factories.organization(kind="network", name="Confederación", slug="confederacion")
    unit = services.unit_create(
        actor=SYSTEM,
        code="MINGA",
        name="Minga",
        kind="community",
        network=network,
        default_lowest_balance=-100_000,
    )
    unit.clearing_consent = "coordinator"
    unit.save()
    maizal = factories.organization(name="Comuna El Maizal", slug="el-maizal")
    cafe = factories.organization(name="Comuna Cafetalera", slug="cafetalera")
    third = factories.organization(name="Comuna Tercera", slug="tercera")
    accounts = {}
    for organization, username in ((maizal, "vocera-maizal"), (cafe, "vocero-cafe")):
        factories.membership(organization, network)
        factories.role(factories.person(username), organization, "spokesperson")
        accounts[organization.slug] = services.account_open(
            actor=SYSTEM, organization=organization, unit=unit
        )
    factories.membership(third, network)
    coordinator = factories.person("coordinadora")
    factories.role(coordinator, network, "coordinator")
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    obligations_import(
        actor=SYSTEM,
        unit=unit,
        rows=[
            (2, maizal, cafe, 30_000, "", None),
            (3, cafe, third, 20_000, "", None),
            (4, third, maizal, 10_000, "", None),
        ],
    )
    base = live_server.url

    buyer = page_for()
    _sign_in(buyer, base, "vocera-maizal")
    buyer.goto(base + "/exchange/agreements/new/")
    buyer.select_option("#id_organization", "el-maizal")
    buyer.select_option("#id_role", "receive")
    buyer.fill("#id_counterpart", "cafetalera")  # the picker: a name or short code
    buyer.fill("#id_title", "Café para la escuela")
    buyer.fill("#id_description", "30 kg de café")
    buyer.select_option("#id_payment", "ledger")
    buyer.select_option("#id_unit", "MINGA")
    buyer.fill("#id_amount", "250.00")
    buyer.click("main button[type=submit]")
    buyer.wait_for_url("**/exchange/agreements/*/")
    agreement = Agreement.objects.get()

    seller = page_for()
    _sign_in(seller, base, "vocero-cafe")
    seller.goto(base + agreement.get_absolute_url())
    seller.click("button[value=accept]")
    seller.wait_for_load_state()
    assert Agreement.objects.get().status == "accepted"

    buyer.goto(base + agreement.get_absolute_url())
    buyer.click("button[value=deliver]")
    buyer.wait_for_load_state()
    assert Agreement.objects.get().status == "settled"
    buyer.goto(f"{base}/exchange/accounts/{accounts['el-maizal'].uuid}/")
    assert "-250.00 MINGA" in buyer.content()
    seller.goto(f"{base}/exchange/accounts/{accounts['cafetalera'].uuid}/")
    assert "250.00 MINGA" in seller.content()

    commission = page_for()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    _sign_in(commission, base, "coordinadora", f"{code:06d}")
    commission.goto(base + "/exchange/clearing/")
    commission.click("form[action$='/clearing/open/'] button")
    commission.wait_for_url("**/exchange/clearing/*/")
    report = commission.content()
    assert "600.00 MINGA" in report and "300.00 MINGA" in report and "50.00 %" in report
    commission.click("button[value=apply]")
    commission.wait_for_load_state()
    assert ClearingRound.objects.get().status == "applied"
