"""A fund's yearly report, as a page and a PDF (``common.documents``).

Its figures are the year's kept monthly totals (``selectors.kept_entries``), replayed by
the same pure core as the fund's page (``minga.core.funds.fund_figures``): the balance at
the start of the year is the sum of every earlier month, the balance at its end that plus
the year's movements. What it shows follows the fund's page: only readers of the fund get
it, contributors only when they chose to be named, legal cases only as counts with groups
under five suppressed.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from minga.common.documents import Document, Section, Table
from minga.common.money import format_amount
from minga.core.funds import fund_figures

from . import selectors
from .models import Fund


def yearly_report(fund: Fund, year: int) -> Document:
    unit = fund.unit

    def money(amount: int) -> str:
        return format_amount(amount, unit.scale, unit.code)

    entries = selectors.kept_entries(fund)
    prefix = f"{year:04d}-"
    opening = sum(e.amount for e in entries if e.month < prefix)
    figures = fund_figures(
        [e for e in entries if e.month.startswith(prefix)],
        selectors.budget_of(fund, year),
        str(year),
    )
    closing = opening + figures.balance
    sections = [
        Section(
            _("Summary"),
            tables=[
                Table(
                    _("Summary"),
                    [_("Item"), _("Amount")],
                    [
                        [_("Balance on 1 January"), money(opening)],
                        [_("Received"), money(figures.income)],
                        [_("Spent"), money(figures.spending)],
                        [_("Balance on 31 December"), money(closing)],
                    ],
                    row_headers=True,
                )
            ],
        ),
        Section(
            _("By month"),
            tables=[
                Table(
                    _("By month"),
                    [_("Month"), _("Received"), _("Spent")],
                    [[m, money(i), money(o)] for m, (i, o) in figures.by_month.items()],
                    row_headers=True,
                )
            ],
        ),
        Section(
            _("By category"),
            tables=[
                Table(
                    _("By category"),
                    [_("Category"), _("Received"), _("Spent")],
                    [
                        [
                            category,
                            money(figures.income_by_category.get(category, 0)),
                            money(figures.spending_by_category.get(category, 0)),
                        ]
                        for category in sorted(
                            {*figures.income_by_category, *figures.spending_by_category}
                        )
                    ],
                    row_headers=True,
                )
            ],
        ),
    ]
    if figures.budget:
        sections.append(
            Section(
                _("Budget"),
                tables=[
                    Table(
                        _("Budget"),
                        [_("Category"), _("Budget"), _("Spent")],
                        [[b.category, money(b.budget), money(b.spent)] for b in figures.budget],
                        row_headers=True,
                    )
                ],
            )
        )
    named = selectors.named_contributors(fund)
    if named:
        sections.append(Section(_("Contributors who chose to be named"), [", ".join(named)]))
    if selectors.fund_has_cases(fund):
        counts = selectors.case_report(fund)["kind"]
        text = (
            _("Legal cases of the fund: %(count)s.") % {"count": counts.total}
            if counts.total is not None
            else _("Fewer than five cases.")
        )
        sections.append(Section(_("Legal support"), [text]))
    return Document(
        title=_("%(fund)s: report %(year)s") % {"fund": fund.name, "year": year},
        language=(get_language() or "en").split("-")[0],
        meta=[fund.owner_name(), unit.code, fund.get_transparency_display()],
        sections=sections,
    )
