"""The fund page's charts: the site's SVG bar charts (no script, no image request), each
named for screen readers, with the same figures written as text beside them."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.funds import services
from tests.funds.factories import FundsWorld, fund


def test_the_fund_page_draws_its_figures_as_svg_charts_beside_the_same_figures(
    w: FundsWorld,
) -> None:
    """Received and spent by month and by category, and the budget's progress: one SVG
    each, named by its title, its bars' figures those of the page's tables; no script."""
    f = fund(w, transparency="public", approval_rule="one_manager")
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=f, category="food", year=year, amount=40_000)
    services.contribution_receive(actor=w.first, fund=f, amount=123_456, category="gifts")
    asked = services.spending_request(
        actor=w.first,
        fund=f,
        kind="expense",
        amount=10_000,
        category="food",
        description="Rice",
        payee="Market",
    )
    services.spending_approve(actor=w.second, movement=asked)
    page = Client().get(reverse("funds:fund", kwargs={"uuid": f.uuid})).content.decode()
    titles = re.findall(r'<svg class="chart"[^>]* aria-label="([^"]+)"', page)
    assert titles == [
        "Received by month, in MINGA",
        "Spent by month, in MINGA",
        "Received by category, in MINGA",
        "Spent by category, in MINGA",
        "Budget this year: spent, in percent of the budget",
    ]
    charts = re.findall(r'<svg class="chart".*?</svg>', page, re.S)
    assert len(charts) == 5 and not any("<script" in chart for chart in charts)
    assert 'class="bar"' not in page
    # The bars' figures (the unit in the title) and the same figures as text.
    assert ">1234.56</text>" in page and ">100.00</text>" in page and ">25%</text>" in page
    assert "1234.56 MINGA" in page and "100.00 MINGA / 400.00 MINGA" in page
    month = timezone.localdate().strftime("%Y-%m")
    assert f"<td>{month}</td><td>1234.56 MINGA</td><td>100.00 MINGA</td>" in page


def test_a_fund_with_no_movement_draws_no_chart(w: FundsWorld) -> None:
    """Nothing to draw: no empty chart, and no chart section."""
    f = fund(w, transparency="public")
    page = Client().get(reverse("funds:fund", kwargs={"uuid": f.uuid})).content.decode()
    assert "<svg" not in page
