"""The communication network on a 360 px phone in Haitian Creole: an editor writes a bulletin
in Spanish and asks for a Portuguese version, a volunteer translator claims and writes it, a
reviewer approves it, and a reader switches between the Portuguese version and the original;
a campaign's day of action shows on the network's calendar and in its iCalendar feed. Every
page fits the screen without sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.comms import services
from minga.comms.models import Bulletin, BulletinTranslation, Volunteer
from tests import factories

from .phone import PHONE, creole, fits
from .test_assembly_flow import _sign_in, _submit


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Callable[[], Any]]:
    """Opens 360×740 phones (one per person, each with its own cookies) whose interface
    language is Haitian Creole (the language switcher's cookie)."""
    contexts: list[Any] = []

    def open_phone() -> Any:
        context = browser.new_context(
            viewport=PHONE, locale="ht-HT", is_mobile=True, has_touch=True
        )
        # Generous: the machine that runs CI is shared, and a first page may take seconds.
        context.set_default_timeout(60_000)
        context.add_cookies([{"name": "minga_language", "value": "ht", "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_bulletin_translated_reviewed_and_read_and_a_day_of_action_on_the_calendar(
    live_server: Any, phone: Callable[[], Any]
) -> None:
    base = live_server.url
    radio = factories.organization(
        name="Radyo Lakou", slug="radyo-lakou", kind="community_media", country="HT"
    )
    editor = factories.person("editora")
    factories.role(editor, radio, "spokesperson")
    translator = factories.person("tradutora")
    Volunteer.objects.create(user=translator, languages=["pt"])
    reviewer = factories.person("revisora")
    Volunteer.objects.create(user=reviewer, languages=["pt"], reviewer_languages=["pt"])

    # The editor writes the bulletin in Spanish, publishes it and asks for Portuguese.
    page = phone()
    _sign_in(page, base, "editora")
    page.goto(base + "/comms/bulletins/new/")
    assert fits(page)
    page.fill("#id_title", "Feria de semillas en la comuna")
    page.fill("#id_body", "Las familias intercambiaron **maíz criollo** y frijol.")
    page.select_option("#id_language", "es")
    _submit(page, "main form button[type=submit]")
    bulletin = Bulletin.objects.get(title="Feria de semillas en la comuna")
    assert page.url.endswith(bulletin.get_absolute_url())
    _submit(page, "button[name=action][value=publish]")
    page.check("input[name=languages][value=pt]")
    _submit(page, f"form[action$='{bulletin.uuid}/translations/'] button[type=submit]")
    assert BulletinTranslation.objects.get(bulletin=bulletin).stage == "requested"
    assert fits(page)

    # The volunteer finds it in her languages, claims it, writes it, sends it for review.
    page = phone()
    _sign_in(page, base, "tradutora")
    page.goto(base + "/comms/translations/")
    assert fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Feria de semillas en la comuna").first.click()
    _submit(page, "button[name=action][value=claim]")
    page.fill("#id_title", "Feira de sementes na comuna")
    page.fill("#id_text", "As famílias trocaram **milho crioulo** e feijão.")
    assert fits(page)
    _submit(page, "button[name=then][value=submit]")
    assert BulletinTranslation.objects.get(bulletin=bulletin).stage == "submitted"

    # The reviewer approves it.
    page = phone()
    _sign_in(page, base, "revisora")
    page.goto(base + "/comms/translations/")
    with page.expect_navigation():
        page.get_by_role("link", name="Feria de semillas en la comuna").first.click()
    _submit(page, "button[name=action][value=approve]")
    assert BulletinTranslation.objects.get(bulletin=bulletin).stage == "published"

    # A reader (no account, interface in Creole) reads the Portuguese version, then the
    # original, one click away.
    page = phone()
    page.goto(base + bulletin.get_absolute_url())
    assert "Feria de semillas en la comuna" in page.inner_text("h1")
    with page.expect_navigation():
        page.click("a[lang=pt]")
    assert page.inner_text("h1") == "Feira de sementes na comuna"
    assert "milho crioulo" in page.inner_text("article")
    assert page.locator("article").get_attribute("lang") == "pt"
    assert fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name=creole("Read the original")).click()
    assert page.inner_text("h1") == "Feria de semillas en la comuna"
    assert "maíz criollo" in page.inner_text("article")

    # A campaign's day of action: on the calendar and in the iCalendar feed.
    campaign = services.campaign_create(
        actor=SYSTEM,
        organization=radio,
        data=services.CampaignData(
            title="Kanpay semans lib", starts_on=timezone.localdate(), goals="Semans lib"
        ),
    )
    starts = timezone.now() + timedelta(days=3)
    services.event_create(
        actor=SYSTEM,
        organization=radio,
        data=services.EventData(
            title="Jounen aksyon pou semans",
            kind="day_of_action",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            time_zone="America/Port-au-Prince",
            place="Plas Jakmèl",
            country="HT",
            campaign=campaign,
        ),
    )
    month = timezone.localtime(starts).strftime("%Y-%m")
    page.goto(f"{base}/comms/calendar/?campaign={campaign.slug}&month={month}")
    assert "Jounen aksyon pou semans" in page.inner_text("main")
    assert fits(page)
    feed = page.request.get(f"{base}/comms/campaigns/{campaign.slug}/calendar.ics")
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == ["Jounen aksyon pou semans"]
    assert str(events[0]["LOCATION"]).startswith("Plas Jakmèl")
