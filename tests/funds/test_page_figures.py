"""The fund page's figures are drawn once per figures revision and kept: every write they
are drawn from counts the revision up in its own transaction, so a page never shows
figures older than the ledger; and what is kept is the same for every reader."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minga.funds import services
from minga.funds.models import Fund
from tests.funds.factories import FundsWorld, client_for, fund, legal_case

FIGURE_TABLES = ("funds_monthlytotal", "funds_budgetline", "funds_legalcase")


def _revision(made: Fund) -> int:
    made.refresh_from_db(fields=["figures_revision"])
    return made.figures_revision


def _page(made: Fund, client: Client | None = None) -> str:
    return (client or Client()).get(made.get_absolute_url()).content.decode()


def test_the_page_shows_each_change_of_its_figures_at_once(w: FundsWorld) -> None:
    """A contribution, a payment, a reversal, a budget line set and removed, cases
    opened, changed and deleted: each counts the revision up, and the next view shows it."""
    made = fund(w, transparency="public", approval_rule="one_manager")
    year = timezone.localdate().year
    assert "Balance: 0.00 MINGA" in _page(made)
    services.contribution_receive(actor=w.first, fund=made, amount=12_345)
    assert "Balance: 123.45 MINGA" in _page(made)
    services.budget_set(actor=w.first, fund=made, category="food", year=year, amount=50_000)
    assert "food: 0.00 MINGA / 500.00 MINGA" in _page(made)
    asked = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=1_000,
        category="food",
        description="Arroz",
        payee="Mercado",
    )
    services.spending_approve(actor=w.second, movement=asked)
    page = _page(made)
    assert "food: 10.00 MINGA / 500.00 MINGA" in page and "Balance: 113.45 MINGA" in page
    before = _revision(made)
    services.movement_reverse(actor=w.first, movement=asked, reason="Duplicada")
    assert _revision(made) > before
    assert "food: 0.00 MINGA / 500.00 MINGA" in _page(made)
    services.budget_remove(actor=w.first, fund=made, category="food", year=year)
    assert "500.00 MINGA" not in _page(made)
    cases = [legal_case(w, made, pseudonym=f"P{n}") for n in range(5)]
    assert "Total: 5" in _page(made)
    services.case_update(
        actor=w.first,
        case=cases[0],
        data=services.CaseData(
            pseudonym="P0", country="MX", kind="asylum", place="", summary="", status="closed"
        ),
    )
    assert "Closed" not in _page(made)  # one closed case: a group under five, not shown
    services.case_delete(actor=w.first, case=cases[0], reference=cases[0].reference)
    assert "Total: 5" not in _page(made) and "Fewer than five cases." in _page(made)


def test_a_second_view_reads_no_figures(w: FundsWorld) -> None:
    """Once drawn, the page reads no monthly total, budget line or case until a write
    counts the revision up; then it reads them once more."""
    made = fund(w, transparency="public")
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    client = Client()
    with CaptureQueriesContext(connection) as first:
        client.get(made.get_absolute_url())
    with CaptureQueriesContext(connection) as second:
        client.get(made.get_absolute_url())

    def figure_reads(queries: CaptureQueriesContext) -> int:
        return sum(any(t in q["sql"] for t in FIGURE_TABLES) for q in queries.captured_queries)

    assert figure_reads(first) >= 3 and figure_reads(second) == 0
    assert len(second.captured_queries) < len(first.captured_queries)
    services.contribution_receive(actor=w.first, fund=made, amount=1_000)
    with CaptureQueriesContext(connection) as third:
        page = client.get(made.get_absolute_url()).content.decode()
    assert figure_reads(third) >= 3 and "Balance: 20.00 MINGA" in page


def test_what_is_kept_is_the_same_for_every_reader(w: FundsWorld) -> None:
    """Drawn first for a manager (whose page lists the requests waiting), the kept figures
    carry nothing of the manager's part to an anonymous reader; each language gets its
    own drawing."""
    made = fund(w, transparency="public")
    services.contribution_receive(actor=w.first, fund=made, amount=5_000)
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=made, category="food", year=year, amount=5_000)
    services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=1_000,
        category="food",
        description="Pedido reservado XYZZY",
        payee="Mercado",
    )
    manager = _page(made, client_for(w.second))
    assert "XYZZY" in manager and "Received by month, in MINGA" in manager
    anonymous = _page(made)
    assert "XYZZY" not in anonymous and "Requests waiting" not in anonymous
    assert "Received by month, in MINGA" in anonymous
    french = Client(headers={"accept-language": "fr"}).get(made.get_absolute_url())
    assert "Received by month" not in french.content.decode()
    assert "Received by month, in MINGA" in _page(made)
