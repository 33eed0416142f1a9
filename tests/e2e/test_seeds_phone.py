"""Every page of the seed bank on a 360 px phone, in Haitian Creole and in Spanish, for the
bank's keeper and for the commune that asks for seeds: nothing wider than the screen, the
only possible choice preselected, and a confirmation after each action."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from minga.common.permissions import SYSTEM
from minga.seeds import services
from tests import factories
from tests.seeds import factories as seeds

from .phone import fits
from .test_assembly_flow import _sign_in, _submit

SHOTS = "/tmp/minga-seeds-phone"  # noqa: S108 - screenshots for a person to look at


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def _speak(phone: Any, base: str, language: str) -> None:
    phone.context.add_cookies([{"name": "minga_language", "value": language, "url": base}])


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_every_seeds_page_fits_a_phone_in_creole_and_spanish(
    live_server: Any, phone_for: Any
) -> None:
    commune = factories.organization(name="Komin Latibonit", slug="latibonit", country="HT")
    keeper = factories.person("gadyen-semans")
    factories.role(keeper, commune, "spokesperson")
    bank = seeds.bank(commune, name="Bank semans Latibonit")
    accession = seeds.accession(
        bank,
        genus="Zea",
        species="mays",
        ACCENAME="Mayi peyi wouj ak gwo grenn",
        ORIGCTY="HTI",
        SAMPSTAT="300",
        DECLATITUDE="19.1",
        DECLONGITUDE="-72.4",
        COLLSITE="Lakou fanmi an, anba pye mango a, bò rivyè a",
    )
    lot = seeds.lot(accession, code="L-2024-LONG-CODE-01", seeds=250, room="Chanm fre")
    seeds.germination(lot, germinated=90, days_ago=400)
    regeneration = services.regeneration_plan(
        actor=SYSTEM,
        lot=lot,
        grower=commune,
        place="Jaden lakou a",
        sow_on=timezone.localdate() + timedelta(days=10),
        plants=40,
        seeds_used=50,
    )
    neighbour = factories.organization(name="Komin Kenskòf", slug="kenskof", country="HT")
    asker = factories.person("vwazen")
    factories.role(asker, neighbour, "spokesperson")
    seed_request = services.request_create(
        actor=asker,
        lot=lot,
        requester=neighbour,
        data=services.RequestData(seeds=20, conditions_accepted=True, purpose="Lekòl la"),
    )
    base = live_server.url
    year = timezone.localdate().year
    keeper_pages = {
        "index": "/seeds/",
        "bank": bank.get_absolute_url(),
        "settings": f"/seeds/banks/{bank.uuid}/settings/",
        "inventory": f"/seeds/banks/{bank.uuid}/inventory/",
        "at-risk": f"/seeds/banks/{bank.uuid}/at-risk/",
        "origins": f"/seeds/banks/{bank.uuid}/origins/",
        "import": f"/seeds/banks/{bank.uuid}/import/",
        "report": f"/seeds/banks/{bank.uuid}/report-{year}.html",
        "accession-new": f"/seeds/banks/{bank.uuid}/accessions/new/",
        "accession": accession.get_absolute_url(),
        "lot-new": f"/seeds/accessions/{accession.uuid}/lots/new/",
        "lot": lot.get_absolute_url(),
        "test-new": f"/seeds/lots/{lot.uuid}/tests/new/",
        "grow-out-new": f"/seeds/lots/{lot.uuid}/grow-out/",
        "grow-out": regeneration.get_absolute_url(),
        "requests": "/seeds/requests/",
        "request": seed_request.get_absolute_url(),
    }
    asker_pages = {
        "asker-index": "/seeds/",
        "asker-new-bank": "/seeds/banks/new/",
        "asker-lot": lot.get_absolute_url(),
        "asker-request-new": f"/seeds/lots/{lot.uuid}/request/",
        "asker-request": seed_request.get_absolute_url(),
    }
    keeping, asking = phone_for(), phone_for()
    _sign_in(keeping, base, keeper.username)
    _sign_in(asking, base, asker.username)
    for language in ("ht", "es"):
        for phone, pages in ((keeping, keeper_pages), (asking, asker_pages)):
            _speak(phone, base, language)
            for name, path in pages.items():
                response = phone.goto(base + path)
                assert response is not None and response.status == 200, (language, name)
                assert phone.evaluate("() => document.documentElement.lang") == language
                assert fits(phone), (language, name)
                phone.screenshot(path=f"{SHOTS}-{language}-{name}.png", full_page=True)

    # The only possible choice comes chosen: the grower is the bank's own commune, the
    # requester the asker's only commune, the new bank's organization the asker's.
    keeping.goto(f"{base}/seeds/lots/{lot.uuid}/grow-out/")
    assert keeping.input_value("#id_grower") == "latibonit"
    asking.goto(f"{base}/seeds/lots/{lot.uuid}/request/")
    assert asking.input_value("#id_requester") == "kenskof"
    asking.goto(f"{base}/seeds/banks/new/")
    assert asking.input_value("#id_organization") != ""

    # A confirmation after each action, in the reader's language (Spanish here).
    keeping.goto(base + seed_request.get_absolute_url())
    _submit(keeping, "main form button:not(.secondary)")
    assert _in("es", "The request was approved; the seeds were taken from the lot.") in (
        keeping.inner_text(".messages")
    )
    keeping.goto(f"{base}/seeds/banks/{bank.uuid}/settings/")
    _submit(keeping, "main form button[type=submit]")
    assert _in("es", "The settings were saved.") in keeping.inner_text(".messages")
    keeping.goto(base + regeneration.get_absolute_url())
    keeping.fill("#id_code", "L-2025")
    keeping.fill("#id_seeds", "800")
    keeping.fill("#id_storage_temperature", "18")
    keeping.fill("#id_moisture_percent", "11")
    _submit(keeping, "main form button[type=submit]")
    assert _in("es", "The harvest was recorded as a new lot.") in keeping.inner_text(".messages")
    assert fits(keeping)
    keeping.screenshot(path=f"{SHOTS}-es-harvested.png", full_page=True)
    asking.goto(base + seed_request.get_absolute_url())
    _submit(asking, "main form button.secondary")
    assert _in("es", "The request was cancelled.") in asking.inner_text(".messages")
    assert fits(asking)
