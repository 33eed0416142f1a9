"""A newcomer finds the federation, asks to join, and a coordinator approves: in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.registry.models import OrganizationRelation
from minga.registry.search import rebuild_organization_index
from tests import factories


@pytest.mark.usefixtures("seeded_transactional_db")
def test_newcomer_joins_and_coordinator_approves(live_server: Any, page_for: Any) -> None:
    """Home → language switch → directory search → sign-up → join request → approval."""
    confederation = factories.organization(
        kind="network", name="Confederación Minga", slug="confederacion-minga"
    )
    factories.organization(
        name="Comuna El Maizal", kind="commune", area="Lara", description="Semillas de maíz criollo"
    )
    coordinator = factories.person("coordinadora", display_name="Coordinadora")
    factories.role(coordinator, confederation, "coordinator")
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    rebuild_organization_index()

    page = page_for()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "es"
    page.click(".menu-button")  # on a phone the menu (and the language switcher) is folded
    page.select_option("#language-select", "en")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.click(".menu-button")
    page.click("text=Directory")
    page.fill("#id_q", "maizal")
    page.locator("#results").get_by_text("Comuna El Maizal").wait_for()
    page.locator("#results").get_by_text("Comuna El Maizal").click()
    page.wait_for_url("**/organizations/**")
    assert "Lara" in page.content()

    page.goto(live_server.url + "/accounts/signup/?next=/join/")
    page.fill("#id_username", "tierra-libre")
    page.fill("#id_display_name", "Vocera Tierra Libre")
    page.fill("#id_password1", "una-clave-bien-larga-2026")
    page.fill("#id_password2", "una-clave-bien-larga-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/join/")
    page.select_option("#id_network", "confederacion-minga")
    page.fill("#id_name", "Cooperativa Tierra Libre")
    page.select_option("#id_kind", "cooperative")
    page.select_option("#id_country", "CO")
    page.select_option("#id_region", "south-america")
    page.fill("#id_motivation", "Producimos café y queremos intercambiar con las comunas.")
    page.click("main button[type=submit]")
    page.wait_for_url("**/organizations/cooperativa-tierra-libre/")
    assert "Cooperativa Tierra Libre" in page.content()
    assert (
        OrganizationRelation.objects.get(member__slug="cooperativa-tierra-libre").status
        == "pending"
    )

    coordinator_page = page_for("es-VE")
    coordinator_page.goto(live_server.url + "/accounts/login/?next=/coordination/")
    coordinator_page.fill("#id_username", "coordinadora")
    coordinator_page.fill("#id_password", factories.PASSWORD)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    coordinator_page.fill("#id_otp_token", f"{code:06d}")
    coordinator_page.click("main button[type=submit]")
    coordinator_page.wait_for_url("**/coordination/")
    request = coordinator_page.locator(".card", has_text="Cooperativa Tierra Libre")
    assert "Producimos café" in request.inner_text()
    request.locator("button[value=approve]").click()
    coordinator_page.wait_for_load_state()
    assert (
        OrganizationRelation.objects.get(member__slug="cooperativa-tierra-libre").status == "active"
    )

    page.goto(live_server.url + "/organizations/?q=tierra")
    page.locator("#results").get_by_text("Cooperativa Tierra Libre").wait_for()
    anonymous = page_for()
    anonymous.goto(live_server.url + "/organizations/cooperativa-tierra-libre/")
    assert "Cooperativa Tierra Libre" in anonymous.content()
