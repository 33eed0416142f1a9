"""Pages of the economic commission's dashboards, their pictures and their CSV exports.

Thin views: find the unit or round the reader may see (``analysis`` answers 404 otherwise,
so existence does not leak), read aggregated figures from ``analysis``, then render a page,
draw a picture with ``charts`` or write a CSV file. Pages stay light: every picture is a
separate request, cached privately for five minutes.
"""

from __future__ import annotations

import re
import uuid as uuid_lib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _

from minga.common.csv import spreadsheet_writer

from .. import analysis, charts
from ..models import Unit
from . import params

IMAGE_MAX_AGE = 300
TOP_FLOWS = 10


@dataclass(frozen=True)
class Picture:
    """A picture on a page: the PNG shown, and links to both formats for download."""

    src: str
    png: str
    svg: str
    width: int
    height: int
    alt: str


# --- Pages ------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    units = analysis.units_for(request.user)
    unit = _chosen_unit(request, units)
    if unit is None:
        return render(request, "exchange/dashboard/dashboard.html", {"units": units})
    period = _period(request)
    summary = analysis.balance_summary(unit)
    volume = analysis.monthly_volume(unit, period)
    query = _unit_query(unit, period)
    context = {
        "units": units,
        "unit": unit,
        "period": period,
        "period_from": f"{period.first:%Y-%m}",
        "period_to": f"{period.last:%Y-%m}",
        "summary": summary,
        "in_circulation": unit.format(summary.in_circulation),
        "largest_debtor": _named_amount(unit, summary.largest_debtor),
        "largest_creditor": _named_amount(unit, summary.largest_creditor),
        "top_positive": [_named_amount(unit, row) for row in summary.top_positive],
        "top_negative": [_named_amount(unit, row) for row in summary.top_negative],
        "volume_total": unit.format(volume.total),
        "volume_months": [
            (f"{month:%Y-%m}", unit.format(total))
            for month, total in zip(volume.months, volume.totals, strict=True)
        ],
        "volume_regions": [(r.name, unit.format(sum(r.amounts))) for r in volume.regions],
        "flows": [
            (flow.payer, flow.payee, unit.format(flow.amount), flow.transfers)
            for flow in analysis.largest_flows(unit, period, TOP_FLOWS)
        ],
        "clearing_rounds": [
            (
                row,
                unit.format(row.total_before),
                unit.format(row.total_after),
                unit.format(row.cleared),
            )
            for row in analysis.clearing_rounds(unit)
        ],
        "barter_rounds": analysis.barter_rounds(unit.network_id),
        "csv": {
            "balances": f"{reverse('dashboard:unit_csv', args=['balances'])}?"
            + urlencode({"unit": unit.code}),
            **{
                name: f"{reverse('dashboard:unit_csv', args=[name])}?{query}"
                for name in ("volume", "network")
            },
        },
        "pictures": {
            # Balances are today's, whatever the period: the URL leaves it out.
            "balances": _picture(
                reverse("dashboard:unit_chart", args=["balances"]),
                urlencode({"unit": unit.code}),
                charts.WIDE,
                _("Histogram of the balances of %(count)d accounts in %(unit)s.")
                % {"count": summary.accounts, "unit": unit.code},
            ),
            "volume": _picture(
                reverse("dashboard:unit_chart", args=["volume"]),
                query,
                charts.WIDE,
                _("Trade volume per month by the payer's region, %(total)s in all.")
                % {"total": unit.format(volume.total)},
            ),
            "network": _picture(
                reverse("dashboard:unit_chart", args=["network"]),
                query,
                charts.SQUARE,
                _("Who trades with whom: the largest traders and what they paid each other."),
            ),
        },
    }
    return render(request, "exchange/dashboard/dashboard.html", context)


@login_required
def clearing_round(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = analysis.get_clearing_round_for(request.user, uuid)
    unit = round_.unit
    summary = analysis.clearing_summary(round_)
    base = reverse("dashboard:clearing_round_chart", args=[round_.uuid])
    context = {
        "round": round_,
        "unit": unit,
        "totals": {
            "before": unit.format(summary.total_before),
            "after": unit.format(summary.total_after),
            "cleared": unit.format(summary.cleared),
            "percent": summary.percent_cleared,
        },
        "positions": [
            (
                p.organization,
                unit.format(p.payable_before),
                unit.format(p.payable_after),
                unit.format(p.receivable_before),
                unit.format(p.receivable_after),
                unit.format(p.net),
            )
            for p in summary.positions
        ],
        "picture": _picture(
            base,
            "",
            charts.positions_size(len(summary.chart_positions)),
            _("What the %(count)d most indebted organizations owe and are owed, before and after.")
            % {"count": len(summary.chart_positions)},
        ),
        "csv": reverse("dashboard:clearing_round_csv", args=[round_.uuid]),
        "back": f"{reverse('dashboard:index')}?{urlencode({'unit': unit.code})}",
    }
    return render(request, "exchange/dashboard/clearing_round.html", context)


@login_required
def barter_round(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = analysis.get_barter_round_for(request.user, uuid)
    summary = analysis.barter_summary(round_)
    drawn = min(len(summary.cycles), charts.MAX_CYCLES_DRAWN)
    context = {
        "round": round_,
        "summary": summary,
        "drawn_cycles": summary.cycles[:drawn],
        "not_drawn": len(summary.cycles) - drawn,
        "picture": _picture(
            reverse("dashboard:barter_round_chart", args=[round_.uuid]),
            "",
            charts.cycles_size(len(summary.cycles)),
            _("%(count)d barter cycles, each a ring of items in giving order.")
            % {"count": len(summary.cycles)},
        ),
        "csv": reverse("dashboard:barter_round_csv", args=[round_.uuid]),
    }
    return render(request, "exchange/dashboard/barter_round.html", context)


# --- Pictures ---------------------------------------------------------------------------------


@login_required
def unit_chart(request: HttpRequest, name: str) -> HttpResponse:
    unit = _unit_from_query(request)
    image_format = _image_format(request)
    period = _period(request)
    money = _money(unit)
    if name == "balances":
        summary = analysis.balance_summary(unit)
        data = charts.histogram(
            charts.HistogramChart(
                edges=[money(edge) for edge in _edges(summary.bins)],
                counts=[b.count for b in summary.bins],
                labels=charts.Labels(
                    title=_("Balances of the accounts in %(unit)s") % {"unit": unit.code},
                    x=_("Balance (%(unit)s)") % {"unit": unit.code},
                    y=_("Accounts"),
                    empty=_("No accounts yet."),
                ),
            ),
            image_format,
        )
        filename = f"balances-{unit.code}"
    elif name == "volume":
        volume = analysis.monthly_volume(unit, period)
        data = charts.stacked_bars(
            charts.StackedBarChart(
                categories=[f"{month:%Y-%m}" for month in volume.months],
                series=[
                    charts.StackedSeries(r.name, [money(a) for a in r.amounts])
                    for r in volume.regions
                ],
                labels=charts.Labels(
                    title=_("Trade volume per month by the payer's region"),
                    y=_("Volume (%(unit)s)") % {"unit": unit.code},
                    empty=_("No trade in this period."),
                ),
            ),
            image_format,
        )
        filename = f"volume-{unit.code}-{period.label}"
    elif name == "network":
        traders, pairs = analysis.trade_network(unit, period).top(analysis.NETWORK_NODES)
        data = charts.network(
            charts.NetworkChart(
                nodes=[
                    charts.GraphNode(str(t.id), t.name, money(t.volume), money(t.net))
                    for t in traders
                ],
                edges=[charts.GraphEdge(str(a), str(b), money(amount)) for a, b, amount in pairs],
                labels=charts.Labels(
                    title=_("Who trades with whom (the %(count)d largest traders)")
                    % {"count": len(traders)},
                    empty=_("No trade in this period."),
                ),
                net_receiver=_("received more than paid"),
                net_payer=_("paid more than received"),
            ),
            image_format,
        )
        filename = f"network-{unit.code}-{period.label}"
    else:
        raise Http404
    return _image_response(request, data, image_format, filename)


@login_required
def clearing_round_chart(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = analysis.get_clearing_round_for(request.user, uuid)
    image_format = _image_format(request)
    money = _money(round_.unit)
    summary = analysis.clearing_summary(round_)
    data = charts.positions(
        charts.PositionsChart(
            rows=[
                charts.PositionRow(
                    p.organization,
                    money(p.payable_before),
                    money(p.payable_after),
                    money(p.receivable_before),
                    money(p.receivable_after),
                )
                for p in summary.chart_positions
            ],
            labels=charts.Labels(
                title=_("Before and after the clearing round"),
                x=round_.unit.code,
                empty=_("No organization takes part in this round."),
            ),
            series_names=(
                _("Owes, before"),
                _("Owes, after"),
                _("Is owed, before"),
                _("Is owed, after"),
            ),
        ),
        image_format,
    )
    return _image_response(request, data, image_format, f"clearing-{round_.uuid}")


@login_required
def barter_round_chart(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = analysis.get_barter_round_for(request.user, uuid)
    image_format = _image_format(request)
    summary = analysis.barter_summary(round_)
    hidden = len(summary.cycles) - charts.MAX_CYCLES_DRAWN
    data = charts.cycles(
        charts.CyclesChart(
            cycles=summary.cycles,
            labels=charts.Labels(
                title=_("Barter cycles"), empty=_("This round found no barter cycle.")
            ),
            cycle_title=_("Cycle %(number)d (%(size)d items)"),
            more=_("and %(count)d more cycles, in the CSV file") % {"count": hidden}
            if hidden > 0
            else "",
        ),
        image_format,
    )
    return _image_response(request, data, image_format, f"barter-{round_.uuid}")


# --- CSV exports ------------------------------------------------------------------------------


@login_required
def unit_csv(request: HttpRequest, name: str) -> HttpResponse:
    unit = _unit_from_query(request)
    period = _period(request)
    amount = _decimal(unit)
    code = unit.code
    if name == "balances":
        header = [
            _("Organization"),
            _("Region"),
            _("Balance (%(unit)s)") % {"unit": code},
            _("Credit limit (%(unit)s)") % {"unit": code},
            _("Reserved to pay (%(unit)s)") % {"unit": code},
            _("Reserved to receive (%(unit)s)") % {"unit": code},
            _("Frozen"),
        ]
        rows: Iterable[Sequence[Any]] = (
            [
                r.organization,
                r.region,
                amount(r.balance),
                amount(r.lowest_balance),
                amount(r.pending_debits),
                amount(r.pending_credits),
                int(r.frozen),
            ]
            for r in analysis.all_balances(unit)
        )
        filename = f"balances-{code}"
    elif name == "volume":
        header = [_("Month"), _("Region"), _("Volume (%(unit)s)") % {"unit": code}]
        rows = (
            [f"{month:%Y-%m}", region.name, amount(value)]
            for month, region, value in analysis.monthly_volume(unit, period).rows()
        )
        filename = f"volume-{code}-{period.label}"
    elif name == "network":
        header = [
            _("Payer"),
            _("Payee"),
            _("Volume (%(unit)s)") % {"unit": code},
            _("Transfers"),
        ]
        rows = (
            [flow.payer, flow.payee, amount(flow.amount), flow.transfers]
            for flow in analysis.trade_network(unit, period).flows
        )
        filename = f"network-{code}-{period.label}"
    else:
        raise Http404
    return _csv_response(filename, header, rows)


@login_required
def clearing_round_csv(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = analysis.get_clearing_round_for(request.user, uuid)
    amount = _decimal(round_.unit)
    code = round_.unit.code
    summary = analysis.clearing_summary(round_)
    header = [
        _("Organization"),
        _("Owes, before (%(unit)s)") % {"unit": code},
        _("Is owed, before (%(unit)s)") % {"unit": code},
        _("Owes, after (%(unit)s)") % {"unit": code},
        _("Is owed, after (%(unit)s)") % {"unit": code},
        _("Net position (%(unit)s)") % {"unit": code},
    ]
    rows = (
        [
            p.organization,
            amount(p.payable_before),
            amount(p.receivable_before),
            amount(p.payable_after),
            amount(p.receivable_after),
            amount(p.net),
        ]
        for p in summary.positions
    )
    return _csv_response(f"clearing-{round_.uuid}", header, rows)


@login_required
def barter_round_csv(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    round_ = analysis.get_barter_round_for(request.user, uuid)
    summary = analysis.barter_summary(round_)
    header = [_("Cycle"), _("Position"), _("Item"), _("Goes to the owner of")]
    return _csv_response(
        f"barter-{round_.uuid}", header, (list(row) for row in analysis.cycle_rows(summary))
    )


# --- Helpers ----------------------------------------------------------------------------------


def _csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"minga-{_safe_filename(filename)}.csv"
    )
    # A byte order mark, so that spreadsheets on Windows read accents as UTF-8.
    response.write("\ufeff")
    writer = spreadsheet_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    patch_cache_control(response, private=True, max_age=IMAGE_MAX_AGE)
    return response


def _image_response(
    request: HttpRequest, data: bytes, image_format: charts.ImageFormat, filename: str
) -> HttpResponse:
    response = HttpResponse(data, content_type=charts.FORMATS[image_format])
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"minga-{_safe_filename(filename)}.{image_format}"
        )
    patch_cache_control(response, private=True, max_age=IMAGE_MAX_AGE)
    return response


def _image_format(request: HttpRequest) -> charts.ImageFormat:
    requested = request.GET.get("format", "png")
    if requested == "svg":
        return "svg"
    if requested == "png":
        return "png"
    raise Http404


def _chosen_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    code = params.text(request.GET, "unit")
    if not code:
        return units[0] if units else None
    for unit in units:
        if unit.code == code:
            return unit
    raise Http404


def _unit_from_query(request: HttpRequest) -> Unit:
    unit = Unit.objects.filter(code=params.text(request.GET, "unit")).first()
    if unit is None or not analysis.can_view_dashboard(request.user, unit):
        raise Http404
    return unit


def _period(request: HttpRequest) -> analysis.Period:
    return analysis.Period.parse(
        request.GET.get("from"), request.GET.get("to"), today=timezone.localdate()
    )


def _unit_query(unit: Unit, period: analysis.Period) -> str:
    return urlencode(
        {"unit": unit.code, "from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}"}
    )


def _picture(base: str, query: str, inches: tuple[float, float], alt: str) -> Picture:
    width, height = charts.pixel_size(inches)
    prefix = f"{base}?{query}&" if query else f"{base}?"
    return Picture(
        src=f"{prefix}format=png",
        png=f"{prefix}format=png&download=1",
        svg=f"{prefix}format=svg&download=1",
        width=width,
        height=height,
        alt=alt,
    )


def _named_amount(unit: Unit, row: analysis.BalanceRow | None) -> tuple[str, str] | None:
    return None if row is None else (row.organization, unit.format(row.balance))


def _edges(bins: list[analysis.HistogramBin]) -> list[int]:
    return [bins[0].low, *(b.high for b in bins)] if bins else []


def _money(unit: Unit) -> Callable[[int], float]:
    """Minor units to major units (for drawing only: pictures need no exact decimals)."""
    divisor = float(10**unit.scale)

    def convert(amount: int) -> float:
        return amount / divisor

    return convert


def _decimal(unit: Unit) -> Callable[[int], Decimal]:
    """Minor units to an exact decimal for CSV cells: 1250 with scale 2 is 12.50."""

    def convert(amount: int) -> Decimal:
        return Decimal(amount).scaleb(-unit.scale)

    return convert


def _safe_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "export"
