"""Every page of the site on a 360×740 phone, in Haitian Creole and in Spanish: nothing
scrolls sideways, every menu entry can be reached (with JavaScript and without), titles
start in the first third of the screen, and checkboxes are big enough to tap."""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests import factories
from tests.site_world import SiteWorld, build_site_world, site_pages

PHONE = {"width": 360, "height": 740}
# Screenshots of pages that fail, to look at (MINGA_SCREENSHOTS=dir saves every page).
SHOTS = Path(os.environ.get("MINGA_SCREENSHOTS") or Path(tempfile.gettempdir()) / "minga-phone")
SAVE_EVERY_PAGE = bool(os.environ.get("MINGA_SCREENSHOTS"))

SCROLLS_SIDEWAYS = "() => document.scrollingElement.scrollWidth > window.innerWidth"
# The menu entries that are neither visible nor behind a visible toggle (a <summary>).
UNREACHABLE_MENU = """() => Array.from(document.querySelectorAll('header.top nav a, header.top nav button, main nav a'))
  .filter(item => {
    const visible = element => {
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth
        && style.visibility !== 'hidden';
    };
    if (visible(item)) return false;
    // Behind the menu toggle (a label for a checkbox, which works without JavaScript).
    const toggle = document.querySelector('label.menu-button');
    return !(item.closest('.menu-panel') && toggle && visible(toggle));
  })
  .map(item => item.textContent.trim())"""
SMALL_CHECKBOXES = """() => Array.from(document.querySelectorAll('main input[type=checkbox], main input[type=radio]'))
  .filter(box => box.offsetParent !== null)
  .filter(box => { const r = box.getBoundingClientRect(); return r.width < 24 || r.height < 24; })
  .map(box => box.name)"""
TITLE_TOP = "() => document.querySelector('main h1').getBoundingClientRect().top"


def _phone(browser: Any, live_server: Any, language: str, *, javascript: bool = True) -> Any:
    context = browser.new_context(
        viewport=PHONE,
        locale="es-ES" if language == "es" else "ht-HT",
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(20_000)
    context.add_cookies([{"name": "minga_language", "value": language, "url": live_server.url}])
    return context


def _sign_in(context: Any, live_server: Any, user: Any) -> None:
    """The browser gets the session of a person signed in with their second factor."""
    client = factories.verified_client(user)
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


@pytest.fixture
def world(seeded_transactional_db: None, settings: Any) -> SiteWorld:
    from django.apps import apps

    # The market's categories, which flushing after other live-server tests took away.
    importlib.import_module("minga.market.migrations.0002_seed_categories").seed(apps, None)
    settings.MINGA_DEMO = True  # the demo banner takes room on every page: count it
    return build_site_world()


def _walk(page: Any, base: str, world: SiteWorld, language: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, urls in site_pages(world).items():
        for url in urls:
            try:
                response = page.goto(base + url)
            except PlaywrightError:
                continue  # an empty refusal (403): pages this reader may not open
            found = []
            if response is None or response.status >= 400:
                continue  # pages this reader may not open are other tests' business
            if page.evaluate(SCROLLS_SIDEWAYS):
                found.append("scrolls sideways")
            small = page.evaluate(SMALL_CHECKBOXES)
            if small:
                found.append(f"small checkboxes {sorted(set(small))}")
            if page.locator("main h1").count() and page.evaluate(TITLE_TOP) > PHONE["height"] / 3:
                found.append("title below the first third")
            if found or SAVE_EVERY_PAGE:
                SHOTS.mkdir(parents=True, exist_ok=True)
                slug = url.strip("/").replace("/", "_").replace("?", "_")[:80] or "home"
                page.screenshot(path=str(SHOTS / f"{language}-{slug}.png"), full_page=True)
            if found:
                problems[f"{name} {url}"] = found
    return problems


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["ht", "es"])
def test_every_page_fits_a_phone(
    browser: Any, live_server: Any, world: SiteWorld, language: str
) -> None:
    """A coordinator who is also a delegate (so every form is on her pages) opens every
    page: none is wider than the screen, none pushes its title below the first third, no
    checkbox is smaller than a 24 px target."""
    context = _phone(browser, live_server, language)
    _sign_in(context, live_server, world.coordinator)
    page = context.new_page()
    try:
        assert _walk(page, live_server.url, world, language) == {}
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_every_menu_entry_can_be_reached_on_a_phone(
    browser: Any, live_server: Any, world: SiteWorld, javascript: bool
) -> None:
    """Every entry of the main menu (and of the exchange's own menu) is on the screen or
    behind a visible toggle, with JavaScript and without; the exchange's agreements page can
    be reached by tapping."""
    context = _phone(browser, live_server, "es", javascript=javascript)
    _sign_in(context, live_server, world.coordinator)
    page = context.new_page()
    try:
        for url in (reverse("home"), reverse("exchange:home"), reverse("trade:agreements")):
            page.goto(live_server.url + url)
            assert page.evaluate(UNREACHABLE_MENU) == [], url
        # The toggle opens the menu, and every entry is then on the screen.
        page.click("label.menu-button")
        assert page.locator("header.top nav a").first.is_visible()
        for entry in page.locator("header.top nav a").all():
            box = entry.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        page.goto(live_server.url + reverse("exchange:home"))
        link = page.locator(f"main a[href='{reverse('trade:agreements')}']").first
        link.click()
        page.wait_for_url(f"**{reverse('trade:agreements')}")
    finally:
        context.close()
