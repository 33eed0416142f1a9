"""A seed bank's yearly report as a document (``minga.common.documents``): HTML and PDF.

Reads only, through the selectors, so it holds only the accessions the reader may see;
no coordinates, no custodians. The caller checks that the reader manages the bank.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Sum
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from minga.common.documents import Document, Section, Table

from . import selectors
from .models import GerminationTest, Lot, Regeneration, RequestStatus, SeedBank, SeedRequest


def _number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return str(formats.number_format(value, digits, use_l10n=True, force_grouping=True))


def yearly_report(
    user: Any, bank: SeedBank, year: int, *, today: datetime.date | None = None
) -> Document:
    today = today or timezone.localdate()
    accessions = selectors.visible_accessions(user).filter(bank=bank)
    lots = Lot.objects.filter(accession__in=accessions.values("pk"))
    received = lots.filter(received_on__year=year).aggregate(count=Count("id"), seeds=Sum("seeds"))
    tests = GerminationTest.objects.filter(
        lot__in=lots.values("pk"), tested_on__year=year
    ).aggregate(count=Count("id"), sown=Sum("sown"), germinated=Sum("germinated"))
    regenerations = Regeneration.objects.filter(lot__in=lots.values("pk"))
    shipped = SeedRequest.objects.filter(
        lot__in=lots.values("pk"), status=RequestStatus.SHIPPED, shipped_on__year=year
    )
    germination = (
        100 * tests["germinated"] / tests["sown"] if tests["count"] and tests["sown"] else None
    )
    year_rows = [
        [_("Accessions registered"), _number(accessions.filter(created_at__year=year).count())],
        [_("Lots received"), _number(received["count"])],
        [_("Germination tests"), _number(tests["count"])],
        [_("Germination of the tests (%)"), _number(germination, 1)],
        [_("Grow-outs sown"), _number(regenerations.filter(sow_on__year=year).count())],
        [
            _("Grow-outs harvested"),
            _number(regenerations.filter(harvest__received_on__year=year).count()),
        ],
        [_("Seed requests shipped"), _number(shipped.count())],
        [_("Seeds shipped"), _number(shipped.aggregate(seeds=Sum("seeds"))["seeds"] or 0)],
    ]
    inventory = selectors.bank_inventory(user, bank, today=today)
    inventory_rows = [
        [
            row.taxon,
            _number(row.accessions),
            _number(row.lots),
            _number(row.seeds),
            _number(row.grams, 1),
            _number(row.germination_percent, 0),
            _number(row.due),
        ]
        for row in inventory
    ]

    def risky(reason: str) -> Any:
        return selectors.accessions_at_risk(user, bank, reason=reason, today=today)

    risk_rows = [
        [label, _number(risky(reason).count())]
        for reason, label in (
            ("viability", _("Viability below the threshold")),
            ("quantity", _("Fewer seeds than the minimum")),
            ("duplicate", _("No safety duplicate")),
        )
    ]
    recipients = (
        shipped.values_list("requester__name")
        .annotate(requests=Count("id"), seeds=Sum("seeds"))
        .order_by("requester__name")
    )
    sections = [
        Section(
            _("The year %(year)d") % {"year": year},
            tables=[
                Table(
                    _("The year %(year)d") % {"year": year},
                    [_("Figure"), _("Value")],
                    year_rows,
                    row_headers=True,
                )
            ],
        ),
        Section(
            _("Holdings today"),
            paragraphs=[
                _("Stock on %(date)s; weight where the hundred-seed weight is known.")
                % {"date": formats.date_format(today, "SHORT_DATE_FORMAT")}
            ],
            tables=[
                Table(
                    _("Holdings today"),
                    [
                        _("Species"),
                        _("Accessions"),
                        _("Lots"),
                        _("Seeds"),
                        _("Weight (g)"),
                        _("Last germination (%)"),
                        _("Lots to regenerate"),
                    ],
                    inventory_rows,
                    row_headers=True,
                )
            ],
        ),
        Section(
            _("Accessions at risk"),
            tables=[
                Table(
                    _("Accessions at risk"),
                    [_("Risk"), _("Accessions")],
                    risk_rows,
                    row_headers=True,
                )
            ],
        ),
    ]
    if recipients:
        sections.append(
            Section(
                _("Seeds shared"),
                tables=[
                    Table(
                        _("Seeds shared"),
                        [_("Commune"), _("Requests"), _("Seeds")],
                        [[name, _number(n), _number(seeds)] for name, n, seeds in recipients],
                        row_headers=True,
                    )
                ],
            )
        )
    meta = [bank.organization.display_name]
    if bank.place:
        meta.append(bank.place)
    if bank.instcode:
        meta.append(_("Institute code %(code)s") % {"code": bank.instcode})
    meta.append(_("Made on %(date)s") % {"date": formats.date_format(today, "SHORT_DATE_FORMAT")})
    return Document(
        title=_("%(bank)s: report of %(year)d") % {"bank": bank.name, "year": year},
        language=get_language() or "en",
        meta=meta,
        sections=sections,
    )
