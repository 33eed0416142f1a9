"""A delegate votes on a small phone in Haitian Creole: a ranked ballot with a mistake comes
back with the mistake explained in Kreyòl, is corrected, and the receipt is checked; the
receipts, amendment changes and follow-up pages fit the screen without sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from minga.assemblies import selectors, services
from minga.assemblies.models import SecretBallot
from minga.registry.models import Body
from tests import factories
from tests.assemblies.conftest import accredit

from .test_assembly_flow import _sign_in, _submit

PHONE = {"width": 360, "height": 740}
CANDIDATES = ["Marie-Ange Désir", "Jean-Baptiste Pierre", "Rose-Carline Étienne"]


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A 360×740 phone whose interface language is Haitian Creole (the switcher's cookie)."""
    context = browser.new_context(viewport=PHONE, locale="ht-HT", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "minga_language", "value": "ht", "url": live_server.url}])
    yield context.new_page()
    context.close()


def _fits(page: Any) -> bool:
    """Nothing sticks out sideways: the page is no wider than the screen."""
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_delegate_votes_in_creole_on_a_phone(live_server: Any, phone: Any) -> None:
    network = factories.organization(kind="network", name="Rezo Konbit", slug="rezo")
    chair = factories.person("kowòdonatris")
    factories.role(chair, network, "coordinator")
    body = Body.objects.create(organization=network, kind="congress", slug="kongre", name="Kongrè")
    services.body_rules_establish(
        actor=chair,
        body=body,
        data=services.RulesData(allowed_methods=["majority", "irv"], amendment_window_days=7),
    )
    delegates, orgs = [], []
    for number in (1, 2):
        org = factories.organization(name=f"Komin {number}", slug=f"komin-{number}")
        factories.membership(org, network)
        services.body_membership_add(
            actor=chair,
            body=body,
            organization=org,
            started_on=timezone.localdate() - timedelta(days=5),
        )
        delegate = factories.person(f"delege-{number}")
        factories.role(delegate, org, "spokesperson")
        accredit(delegate, org, body)
        delegates.append(delegate)
        orgs.append(org)
    vote = services.vote_create(
        actor=chair,
        body=body,
        title="Komisyon pwomotè",
        method="irv",
        choices=CANDIDATES,
        secret=True,
        opens_at=timezone.now() - timedelta(minutes=5),
        closes_at=timezone.now() + timedelta(hours=2),
    )
    # Pages whose content is long and unbroken on a phone: a proposal's amended text with a
    # long address, and results with parts.
    proposal = services.proposal_create(
        actor=delegates[0],
        body=body,
        on_behalf_of=orgs[0],
        title="Fon komen pou semans",
        text="Nou kreye yon fon komen. Plis enfòmasyon: https://example.org/"
        + "dokiman-long-san-espas-" * 6,
    )
    services.proposal_transition(actor=delegates[0], proposal=proposal, to_status="open")
    amendment = services.amendment_propose(
        actor=delegates[1],
        proposal=proposal,
        base_version=selectors.current_version(proposal),
        new_text="Nou kreye yon fon komen pou semans ak zouti. Plis enfòmasyon: "
        "https://example.org/" + "lot-dokiman-long-san-espas-" * 6,
        on_behalf_of=orgs[1],
    )
    plan = services.result_create(
        actor=chair,
        body=body,
        title="Bank semans nan chak komin (plan jeneral pou tout rejyon yo)",
        responsible=orgs[0],
        due_on=timezone.localdate() + timedelta(days=90),
    )
    services.result_create(
        actor=chair,
        body=body,
        title="Lis semans natif yo pa komin ak pa sezon plantasyon",
        responsible=orgs[1],
        parent=plan,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    base = live_server.url

    _sign_in(phone, base, delegates[0].username)
    phone.goto(base + vote.get_absolute_url())
    assert phone.evaluate("() => document.documentElement.lang") == "ht"
    # A mistake: two candidates share the first rank.
    phone.fill("#rank-0", "1")
    phone.fill("#rank-1", "1")
    phone.fill("#rank-2", "2")
    _submit(phone, "#cast")
    with translation.override("ht"):
        expected = gettext(
            "“%(first)s” and “%(second)s” both have rank %(rank)d; "
            "give each candidate a different rank."
        ) % {"first": CANDIDATES[0], "second": CANDIDATES[1], "rank": 1}
    english = (
        f"“{CANDIDATES[0]}” and “{CANDIDATES[1]}” both have rank 1; "
        "give each candidate a different rank."
    )
    assert expected != english
    assert phone.inner_text("#ballot-error").strip() == expected
    assert phone.get_attribute("#rank-1", "aria-invalid") == "true"
    assert phone.input_value("#rank-1") == "1" and not SecretBallot.objects.exists()
    assert _fits(phone)

    # Corrected, the ballot is cast: the form gives way to the receipt.
    phone.fill("#rank-1", "3")
    _submit(phone, "#cast")
    receipt = phone.inner_text("#receipt-code").strip()
    assert len(receipt) >= 24 and phone.locator("#cast").count() == 0
    assert SecretBallot.objects.get().contents == {
        "ranking": [CANDIDATES[0], CANDIDATES[2], CANDIDATES[1]]
    }
    assert _fits(phone)

    # The delegate checks that the ballot is counted, on a page of long digests.
    phone.click("#check-receipt")
    phone.wait_for_load_state()
    phone.fill("#receipt", receipt)
    _submit(phone, "main form button[type=submit]")
    with translation.override("ht"):
        counted = gettext("Your ballot is counted.")
    assert counted != "Your ballot is counted." and counted in phone.inner_text("main")
    assert _fits(phone)

    for path in (
        reverse("assemblies:amendment_diff", args=[amendment.uuid]),
        reverse("assemblies:results"),
        plan.get_absolute_url(),
    ):
        phone.goto(base + path)
        assert _fits(phone), path
