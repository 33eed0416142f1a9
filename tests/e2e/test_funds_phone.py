"""A solidarity fund on a 360 px phone in Haitian Creole (issue 15): a contributor pledges,
a manager records the payment, a grant is requested by one manager and approved by a
second (four eyes), and the public fund page shows it; a lawyer records a hearing of a
legal case; a stranger and the server's administrator cannot see the case. Every page fits
the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from minga.funds import services
from minga.funds.models import CaseDate, Movement, Pledge
from tests import factories
from tests.funds.factories import fund, legal_case, world

from .phone import creole, fits
from .test_assembly_flow import _sign_in, _submit


def _body(page: Any) -> str:
    return str(page.inner_text("body"))


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_pledge_receipt_grant_and_a_private_hearing_on_a_phone_in_creole(
    live_server: Any, phone_for: Any, tmp_path: Any
) -> None:
    w = world()
    f = fund(w, name="Fon solidarite", transparency="public", managers=[w.first, w.second])
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=f, category="semans", year=year, amount=500_000)
    services.contribution_receive(actor=w.first, fund=f, amount=100_000)
    case = legal_case(w, f, pseudonym="Flamboyan")
    lawyer = factories.person("avoka")
    services.member_add(actor=w.first, case=case, user=lawyer, role="lawyer")
    base = live_server.url
    fund_url = f"{base}/funds/{f.uuid}/"

    # A member of the commune pledges.
    contributor = phone_for()
    _sign_in(contributor, base, w.member.username)
    contributor.goto(f"{base}/funds/{f.uuid}/pledge/")
    assert fits(contributor)
    contributor.fill("#id_amount", "25")
    _submit(contributor, "main form button[type=submit]")
    assert creole("Thank you: your pledge is recorded.") in _body(contributor)
    # The pledge's own page (where the reminders lead), with its cancel button.
    pledge = Pledge.objects.get(contributor=w.member)
    contributor.goto(f"{base}{pledge.get_absolute_url()}")
    assert fits(contributor)
    assert creole("Cancel the pledge") in _body(contributor)
    contributor.screenshot(path=tmp_path / "pledge-ht.png", full_page=True)

    # A manager records the payment of the pledge, then asks for a grant.
    first = phone_for()
    _sign_in(first, base, w.first.username)
    first.goto(f"{fund_url}pledges/?overdue=1")
    assert fits(first)
    assert creole("No pledge is overdue.") in _body(first)
    first.goto(f"{fund_url}pledges/")
    assert fits(first)
    with first.expect_navigation():
        first.click(f"main a:has-text('{creole('Record the payment')}')")
    _submit(first, "main form button[type=submit]")
    assert creole("The contribution is recorded in the ledger.") in _body(first)
    first.goto(f"{fund_url}spend/")
    first.select_option("#id_kind", "grant")
    first.fill("#id_amount", "300")
    first.fill("#id_category", "semans")
    first.fill("#id_description", "Semans mayi pou Komin Vwazen")
    first.fill("#id_recipient", w.neighbour.slug)
    assert fits(first)
    _submit(first, "main form button[type=submit]")
    assert creole("The request is waiting for approval.") in _body(first)

    # The one who asked cannot approve; a second manager does, and the money moves.
    _submit(first, "main form[action$='/decide/'] button")
    assert creole("You asked for this; another manager must approve it.") in _body(first)
    last = phone_for()
    _sign_in(last, base, w.second.username)
    last.goto(fund_url)
    assert fits(last)
    _submit(last, "main form[action$='/decide/'] button")
    assert creole("Approved: the money has moved in the ledger.") in _body(last)
    grant = Movement.objects.get(kind="grant")
    assert grant.status == "done"

    # The manager attaches the grant's receipt (a PDF); the page confirms it.
    last.click(f"summary:has-text('{creole('Attach the receipt')}')")
    receipt = tmp_path / "resi.pdf"
    receipt.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    last.set_input_files("main form[action$='/receipt/'] input[type=file]", str(receipt))
    _submit(last, "main form[action$='/receipt/'] button[type=submit]")
    assert creole("The receipt is attached.") in _body(last)
    assert fits(last)
    last.screenshot(path=tmp_path / "fund-ht.png", full_page=True)
    grant.refresh_from_db()
    assert grant.receipt.name.endswith(".pdf")

    # The public page shows the grant, to anyone.
    public = phone_for()
    public.goto(fund_url)
    assert "Semans mayi pou Komin Vwazen" in _body(public)
    assert fits(public)
    # Its figures drawn as SVG charts (named in Creole for screen readers), on the phone.
    assert public.locator("svg.chart").count() >= 2
    assert public.locator("svg.chart").first.get_attribute("aria-label") == creole(
        "Received by month, in %(unit)s"
    ) % {"unit": w.unit.code}
    public.screenshot(path=tmp_path / "fund-public-ht.png", full_page=True)

    # The lawyer records a hearing of the case.
    counsel = phone_for()
    _sign_in(counsel, base, "avoka")
    counsel.goto(f"{base}/funds/cases/")
    assert fits(counsel)
    with counsel.expect_navigation():
        counsel.click(f"main a:has-text('{case.reference}')")
    counsel.click(f"summary:has-text('{creole('Add a hearing or deadline')}')")
    counsel.fill("#id_on", "2030-03-04")
    counsel.fill("#id_time", "9:00")
    counsel.fill("#id_what", "Odyans imigrasyon")
    counsel.fill("#id_where", "Tribinal Miami")
    _submit(counsel, "main form[action$='/dates/'] button[type=submit]")
    assert creole("The date is recorded; the team will be reminded.") in _body(counsel)
    assert "Odyans imigrasyon" in _body(counsel)
    assert fits(counsel)
    counsel.screenshot(path=tmp_path / "case-ht.png", full_page=True)
    assert CaseDate.objects.filter(case=case).count() == 1

    # A stranger and the server's administrator do not see it.
    root = factories.person("administrate", is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=root, name="telefòn", confirmed=True)
    stranger = phone_for()
    _sign_in(stranger, base, w.stranger.username)
    administrator = phone_for()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    _sign_in(administrator, base, "administrate", f"{code:06d}")
    for page in (stranger, administrator):
        answer = page.goto(f"{base}/funds/cases/{case.uuid}/")
        assert answer is not None and answer.status == 404
        page.goto(f"{base}/funds/cases/")
        assert creole("You are on no case's team.") in _body(page)
        assert "Flamboyan" not in _body(page) and "Odyans" not in _body(page)
        assert fits(page)


@pytest.mark.e2e
@pytest.mark.usefixtures("seeded_transactional_db")
def test_settings_managers_and_budget_on_a_phone_in_creole(
    live_server: Any, phone_for: Any, tmp_path: Any
) -> None:
    """The commune's spokesperson adds a second manager, changes the approval rule and the
    fund's purpose in Creole, and sets a budget line; each page fits and confirms."""
    w = world()
    f = fund(w, name="Fon zouti", transparency="public", managers=[w.first])
    base = live_server.url
    page = phone_for()
    _sign_in(page, base, w.first.username)
    page.goto(f"{base}/funds/{f.uuid}/managers/")
    assert fits(page)
    too_few = "Two managers must approve spending, and the fund has one: add a second manager."
    assert creole(too_few) in _body(page)
    page.fill("#id_username", w.second.username)
    _submit(page, f"main button:has-text('{creole('Add the manager')}')")
    assert creole("%(name)s manages the fund.") % {"name": w.second.username} in _body(page)
    page.select_option("#id_approval_rule", "one_manager")
    _submit(page, "main form:has(#id_approval_rule) button[type=submit]")
    assert creole("The approval of spending is saved.") in _body(page)
    assert fits(page)
    page.screenshot(path=tmp_path / "managers-ht.png", full_page=True)
    page.goto(f"{base}/funds/{f.uuid}/settings/")
    assert fits(page)
    page.fill("#id_purpose_ht", "Zouti pou tout komin yo")
    _submit(page, "main form button[type=submit]")
    assert creole("The fund's settings are saved.") in _body(page)
    page.screenshot(path=tmp_path / "settings-ht.png", full_page=True)
    page.goto(f"{base}/funds/{f.uuid}/budget/")
    page.fill("#id_category", "zouti")
    page.fill("#id_amount", "200")
    _submit(page, "main form:has(#id_category) button[type=submit]")
    assert creole("The budget is saved.") in _body(page)
    assert fits(page)
    page.screenshot(path=tmp_path / "budget-ht.png", full_page=True)
    f.refresh_from_db()
    assert f.approval_rule == "one_manager"
    assert f.purposes == {"ht": "Zouti pou tout komin yo"}
    assert f.budget_lines.get().amount == 20_000
