"""A congress decides in a real browser: a meeting is called, delegates check in, a
proposal is amended and voted, the declaration is published and endorsed, and a result of
it is followed up."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.assemblies import services
from minga.assemblies.models import (
    Amendment,
    Attendance,
    Declaration,
    Endorsement,
    FollowUpResult,
    Meeting,
    MeetingDecision,
    Proposal,
    Vote,
)
from minga.registry.models import Body
from tests import factories
from tests.assemblies.conftest import accredit


def _sign_in(page: Any, base: str, username: str, code: str = "") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    if code:
        page.fill("#id_otp_token", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _submit(page: Any, selector: str) -> None:
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)


def _local(moment: Any) -> str:
    """A moment as a datetime-local value in the signed-in person's time zone (UTC here)."""
    return timezone.localtime(moment, UTC).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.usefixtures("seeded_transactional_db")
def test_meeting_amendment_vote_declaration_endorsements_and_follow_up(
    live_server: Any, page_for: Any
) -> None:
    network = factories.organization(kind="network", name="Red de Comunas", slug="red")
    chair = factories.person("coordinadora")
    factories.role(chair, network, "coordinator")
    device = TOTPDevice.objects.create(user=chair, name="phone", confirmed=True)
    body = Body.objects.create(
        organization=network, kind="congress", slug="congreso", name="Congreso"
    )
    services.body_rules_establish(
        actor=chair,
        body=body,
        data=services.RulesData(
            quorum="1/2",
            allowed_methods=["majority", "consent"],
            proposers="delegates",
            amendment_window_days=7,
        ),
    )
    orgs, delegates = [], []
    for number in (1, 2, 3):
        org = factories.organization(name=f"Comuna {number}", slug=f"comuna-{number}")
        factories.membership(org, network)
        services.body_membership_add(
            actor=chair,
            body=body,
            organization=org,
            started_on=timezone.localdate() - timedelta(days=5),
        )
        delegate = factories.person(f"delegada-{number}")
        factories.role(delegate, org, "spokesperson")
        accredit(delegate, org, body)
        orgs.append(org)
        delegates.append(delegate)
    base = live_server.url

    # The coordinator calls the meeting.
    coordinator = page_for()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    _sign_in(coordinator, base, "coordinadora", f"{code:06d}")
    now = timezone.now()
    coordinator.goto(f"{base}/assemblies/bodies/congreso/meetings/new/")
    coordinator.fill("#id_title", "Congreso ordinario")
    coordinator.fill("#id_starts_at", _local(now - timedelta(minutes=30)))
    coordinator.fill("#id_ends_at", _local(now + timedelta(hours=3)))
    coordinator.fill("#id_place", "Casa comunal")
    coordinator.fill("#id_agenda", "Apertura\nFondo común")
    _submit(coordinator, "main button[type=submit]")
    meeting = Meeting.objects.get()
    assert coordinator.url.endswith(meeting.get_absolute_url())

    # Two of three delegates check in: the quorum (1/2) is met.
    pages = []
    for delegate in delegates:
        page = page_for()
        _sign_in(page, base, delegate.username)
        pages.append(page)
    for page in pages[:2]:
        page.goto(base + meeting.get_absolute_url())
        _submit(page, "form[action$='/check-in/'] button")
    assert Attendance.objects.filter(meeting=meeting, checked_in_at__isnull=False).count() == 2
    coordinator.goto(base + meeting.get_absolute_url())
    assert "badge active" in coordinator.content()

    # A delegate proposes and opens the proposal; another amends; the author accepts.
    author, amender, third = pages
    author.goto(f"{base}/assemblies/bodies/congreso/proposals/new/")
    author.fill("#id_title", "Fondo común")
    author.select_option("#id_on_behalf_of", str(orgs[0].pk))
    author.select_option("#id_kind", "ordinary")
    author.select_option("#id_language", "es")
    author.fill("#id_text", "Creamos un fondo común de semillas.")
    _submit(author, "main button[type=submit]")
    proposal = Proposal.objects.get()
    _submit(author, "button[name=status][value=open]")
    amender.goto(base + proposal.get_absolute_url() + "amend/")
    amender.select_option("#id_on_behalf_of", str(orgs[1].pk))
    amender.fill("#id_new_text", "Creamos un fondo común de semillas y herramientas.")
    amender.fill("#id_rationale", "Las herramientas también.")
    _submit(amender, "main button[type=submit]")
    author.goto(base + proposal.get_absolute_url())
    _submit(author, "button[name=action][value=accept]")
    assert Amendment.objects.get().status == "accepted"
    assert proposal.versions.count() == 2

    # The coordinator moves it to the vote, in the meeting; the delegates vote.
    coordinator.goto(base + proposal.get_absolute_url())
    _submit(coordinator, "button[name=status][value=debate]")
    _submit(coordinator, "button[name=status][value=to_vote]")
    coordinator.goto(
        f"{base}/assemblies/bodies/congreso/votes/new/"
        f"?proposal={proposal.uuid}&meeting={meeting.uuid}"
    )
    coordinator.select_option("#id_method", "majority")
    coordinator.fill("#id_opens_at", _local(timezone.now() - timedelta(minutes=5)))
    coordinator.fill("#id_closes_at", _local(timezone.now() + timedelta(hours=2)))
    _submit(coordinator, "main button[type=submit]")
    vote = Vote.objects.get()
    assert vote.meeting == meeting
    for page, option in ((author, "yes"), (amender, "yes"), (third, "no")):
        page.goto(base + vote.get_absolute_url())
        page.check(f"input[name=option][value={option}]")
        _submit(page, "form[action$='/cast/'] button[type=submit]")
    assert vote.open_ballots.count() == 3

    # The chair closes the vote now; the proposal is adopted and the decision recorded.
    coordinator.goto(base + vote.get_absolute_url())
    _submit(coordinator, "#close-now button")
    vote.refresh_from_db()
    assert vote.tally.adopted is True and vote.closes_at <= timezone.now()
    assert Proposal.objects.get().status == "adopted"
    item = meeting.agenda_items.get(position=2)
    coordinator.goto(base + meeting.get_absolute_url())
    coordinator.click(f"details:has(#decision-{item.pk}) summary")
    coordinator.fill(f"#decision-{item.pk}", "Se aprueba el fondo común.")
    _submit(coordinator, f"details:has(#decision-{item.pk}) button[type=submit]")
    assert MeetingDecision.objects.get().agenda_item == item

    # The coordinator publishes the declaration; two organizations endorse it.
    coordinator.goto(base + proposal.get_absolute_url())
    _submit(coordinator, "button[name=kind][value=declaration]")
    declaration = Declaration.objects.get()
    assert declaration.kind == "declaration"
    assert "semillas y herramientas" in declaration.text
    for page, org in ((author, orgs[0]), (amender, orgs[1])):
        page.goto(base + declaration.get_absolute_url())
        # Speaking for one organization only, the form has chosen it already.
        assert page.locator("form[action$='/endorse/'] [name=organization]").input_value() == str(
            org.uuid
        ) or page.select_option("#organization", str(org.uuid))
        _submit(page, "form[action$='/endorse/'] button[type=submit]")
    assert set(
        Endorsement.objects.filter(withdrawn_at__isnull=True).values_list(
            "organization__slug", flat=True
        )
    ) == {"comuna-1", "comuna-2"}

    # A result of the declaration; the responsible commune reports progress.
    coordinator.goto(f"{base}/assemblies/bodies/congreso/results/new/")
    coordinator.fill("#id_title", "Banco de semillas")
    coordinator.fill("#id_responsible", orgs[2].slug)
    coordinator.select_option("#id_declaration", str(declaration.pk))
    coordinator.fill("#id_due_on", (timezone.localdate() + timedelta(days=60)).isoformat())
    _submit(coordinator, "main button[type=submit]")
    result = FollowUpResult.objects.get()
    assert result.declaration == declaration
    third.goto(base + result.get_absolute_url())
    third.select_option("#id_status", "in_progress")
    third.fill("#id_progress", "40")
    _submit(third, "form:has(input[name=part][value=status]) button[type=submit]")
    result.refresh_from_db()
    assert (result.status, result.progress) == ("in_progress", 40)

    # The minutes and the adopted text download as documents.
    minutes = coordinator.request.get(f"{base}/assemblies/meetings/{meeting.uuid}/minutes.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")
    text = coordinator.request.get(base + declaration.get_absolute_url() + "text.html")
    assert "Fondo común" in text.text()
