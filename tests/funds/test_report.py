"""The yearly report of a fund: its figures are the journal's, year by year, and it is
read by who may read the fund only."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from minga.common.money import format_amount
from minga.funds import services
from minga.funds.report import yearly_report
from tests.funds.factories import FundsWorld, client_for, fund


def _rows(document: object) -> dict[str, list[list[str]]]:
    return {s.heading: s.tables[0].rows for s in document.sections if s.tables}  # type: ignore[attr-defined]


def test_the_yearly_report_carries_the_balance_over_and_sums_only_its_year(
    w: FundsWorld,
) -> None:
    """Last year's contribution is this year's opening balance; this year's figures are
    its own movements, a reversal included; each total equals the journal's."""
    made = fund(w, approval_rule="one_manager", transparency="public")
    today = timezone.localdate()
    year = today.year
    services.budget_set(actor=w.first, fund=made, category="tools", year=year, amount=10**6)
    services.contribution_receive(
        actor=w.first, fund=made, amount=40_000, received_on=date(year - 1, 12, 31)
    )
    services.contribution_receive(actor=w.first, fund=made, amount=5_000, category="gifts")
    asked = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=7_000,
        category="tools",
        description="Azadas",
        payee="Ferretería",
    )
    paid = services.spending_approve(actor=w.second, movement=asked)
    wrong = services.contribution_receive(actor=w.first, fund=made, amount=300, category="gifts")
    services.movement_reverse(actor=w.first, movement=wrong, reason="Duplicada")

    def money(amount: int) -> str:
        return format_amount(amount, made.unit.scale, made.unit.code)

    rows = _rows(yearly_report(made, year))
    assert rows["Summary"] == [
        ["Balance on 1 January", money(40_000)],
        ["Received", money(5_000)],
        ["Spent", money(7_000)],
        ["Balance on 31 December", money(38_000)],
    ]
    made.account.refresh_from_db()
    assert made.account.balance == 38_000
    assert rows["By category"] == [
        ["gifts", money(5_000), money(0)],
        ["tools", money(0), money(7_000)],
    ]
    assert rows["Budget"] == [["tools", money(10**6), money(7_000)]]
    last = _rows(yearly_report(made, year - 1))
    assert last["Summary"][0] == ["Balance on 1 January", money(0)]
    assert last["Summary"][3] == ["Balance on 31 December", money(40_000)]
    assert paid.status == "done"


def test_the_report_is_a_pdf_for_the_funds_readers_only(w: FundsWorld) -> None:
    year = timezone.localdate().year
    public = fund(w, transparency="public")
    response = client_for(w.stranger).get(reverse("funds:report", args=[public.uuid, year, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = client_for(w.stranger).get(reverse("funds:report", args=[public.uuid, year, "html"]))
    assert "Balance on 31 December" in page.content.decode()
    hidden = fund(w, transparency="managers", name="Privado")
    url = reverse("funds:report", args=[hidden.uuid, year, "pdf"])
    assert client_for(w.stranger).get(url).status_code == 404
    assert client_for(w.first).get(url).status_code == 200
    future = reverse("funds:report", args=[public.uuid, year + 1, "pdf"])
    assert client_for(w.first).get(future).status_code == 404
    odd = reverse("funds:report", args=[public.uuid, year, "docx"])
    assert client_for(w.first).get(odd).status_code == 404
