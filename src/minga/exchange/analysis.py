"""Reads for the economic commission's dashboards: who may see them, and aggregated figures.

This is the only module that queries for the dashboards. Every figure is computed by the
database (``Sum``, ``Count``, ``TruncMonth``), never by looping over the journal in Python,
and handed out as plain dataclasses that views turn into pages, pictures and CSV files.

Trade volume — the same definition everywhere on the dashboards: the sum of the amounts
of journal entries that moved money between two accounts of the unit, i.e. of kind
``posted`` and ``post_pending`` (reservations count only once, when posted), with two
exclusions:

- reversed entries and their reversals, because a corrected mistake was not trade;
- the entries a clearing round writes (client ids ``clr:…``), because they record the
  set-off of debts already counted when the trade happened, not new trade.

The payer of an entry is its debit account's organization, the payee its credit account's.

Imports: Django, the registry's selectors, this app's models (regions are read through
the accounts' organizations).
"""

from __future__ import annotations

import itertools
import uuid as uuid_lib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    F,
    FloatField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast, TruncMonth
from django.http import Http404
from django.utils import timezone

from minga.common.vocabulary import translated
from minga.core.ledger import TransferKind
from minga.registry.selectors import DECIDING_ROLES, organization_ids_with_role

from .models import Account, BarterRound, ClearingRound, Transfer, Unit

VOLUME_KINDS = (TransferKind.POSTED, TransferKind.POST_PENDING)
# clearing_rounds.clearing_round_apply names its ledger entries "clr:<round>:<obligation>".
CLEARING_CLIENT_PREFIX = "clr:"
HISTOGRAM_BINS = 12
TOP_BALANCES = 10
NETWORK_NODES = 60
CLEARING_CHART_ROWS = 20
DEFAULT_MONTHS = 12
MAX_MONTHS = 120
# Near the limit: at most a tenth of the credit line is left (reservations included).
NEAR_LIMIT_TENTHS = 9


# --- Permission -------------------------------------------------------------------------------


def can_view_dashboard(user: Any, unit: Unit) -> bool:
    """Coordinators and administrators (current role) of the unit's network, or superusers."""
    return _coordinates_network(user, unit.network_id)


def _coordinates_network(user: Any, network_id: int) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or network_id in organization_ids_with_role(user, DECIDING_ROLES)


def units_for(user: Any) -> list[Unit]:
    """The units whose dashboards the user may see, by code."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    units = Unit.objects.order_by("code")
    if not user.is_superuser:
        units = units.filter(network_id__in=organization_ids_with_role(user, DECIDING_ROLES))
    return list(units)


def get_clearing_round_for(user: Any, uuid: uuid_lib.UUID) -> ClearingRound:
    """The round if the user may see its unit's dashboard; otherwise 404, as if it did not exist."""
    clearing_round = (
        ClearingRound.objects.select_related("unit", "network").filter(uuid=uuid).first()
    )
    if clearing_round is None or not can_view_dashboard(user, clearing_round.unit):
        raise Http404
    return clearing_round


def get_barter_round_for(user: Any, uuid: uuid_lib.UUID) -> BarterRound:
    """The round if the user coordinates its network; otherwise 404."""
    barter_round = BarterRound.objects.select_related("network").filter(uuid=uuid).first()
    if barter_round is None or not _coordinates_network(user, barter_round.network_id):
        raise Http404
    return barter_round


# --- Period -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of ``first`` to the end of the month of ``last``."""

    first: date
    last: date

    @classmethod
    def parse(cls, start: str | None, end: str | None, *, today: date) -> Period:
        """From ``YYYY-MM`` strings; missing or malformed ones give the last 12 months."""
        current = today.replace(day=1)
        last = _parse_month(end) or current
        first = _parse_month(start) or _add_months(last, -(DEFAULT_MONTHS - 1))
        if first > last:
            first, last = last, first
        # A bound on the range keeps the chart legible and the work predictable.
        first = max(first, _add_months(last, -(MAX_MONTHS - 1)))
        return cls(first, last)

    @property
    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = _add_months(month, 1)
        return months

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes in the current time zone: [start, end)."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.first, time.min, tzinfo=zone),
            datetime.combine(_add_months(self.last, 1), time.min, tzinfo=zone),
        )

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m}_{self.last:%Y-%m}"


def _parse_month(text: str | None) -> date | None:
    try:
        parsed = datetime.strptime((text or "").strip(), "%Y-%m")  # noqa: DTZ007 — a month, no time
    except ValueError:
        return None
    # Years far ahead would take the period's end past the calendar's last year.
    return parsed.date() if 1970 <= parsed.year <= 9000 else None


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


# --- Balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    organization: str
    region: str
    balance: int
    lowest_balance: int
    pending_debits: int
    pending_credits: int
    frozen: bool


@dataclass(frozen=True)
class HistogramBin:
    """Accounts with ``low <= balance < high`` (minor units)."""

    low: int
    high: int
    count: int


@dataclass(frozen=True)
class BalanceSummary:
    accounts: int
    in_circulation: int  # the sum of positive balances (equal to the sum of negative ones)
    with_credit: int  # accounts with a credit line (a negative lowest balance)
    near_limit: int
    bins: list[HistogramBin]
    top_positive: list[BalanceRow]
    top_negative: list[BalanceRow]

    @property
    def largest_creditor(self) -> BalanceRow | None:
        return self.top_positive[0] if self.top_positive else None

    @property
    def largest_debtor(self) -> BalanceRow | None:
        return self.top_negative[0] if self.top_negative else None

    @property
    def near_limit_percent(self) -> int:
        return round(100 * self.near_limit / self.with_credit) if self.with_credit else 0


# SQLite's sum() stops with "integer overflow" past 2⁶³ − 1 (PostgreSQL's turns to
# numeric), and amounts within the ledger's bound can exceed that together. Sums of
# non-negative amounts are therefore taken in two parts, the value's multiples of 2³¹ and
# the rest, neither of which can overflow before two billion rows; Python adds them up.
_PART = 2**31


def _sum_in_parts(name: str, field: str, **extra: Any) -> dict[str, Sum]:
    high = F(field) / _PART
    return {
        f"{name}_high": Sum(high, default=0, **extra),
        f"{name}_low": Sum(F(field) - high * _PART, default=0, **extra),
    }


def _whole(row: Mapping[str, Any], name: str) -> int:
    return int(row[f"{name}_high"]) * _PART + int(row[f"{name}_low"])


def _exact(expression: Any) -> Cast:
    # Arithmetic on values near the bound, exact on PostgreSQL (numeric) and never an error.
    return Cast(expression, DecimalField(max_digits=40, decimal_places=0))


def balance_summary(unit: Unit) -> BalanceSummary:
    accounts = Account.objects.filter(unit=unit)
    # Near the limit: balance − reserved ≤ 9/10 × lowest, kept in integers on both sides.
    totals = accounts.annotate(
        spare_tenths=(_exact(F("balance")) - F("pending_debits")) * 10
        - _exact(F("lowest_balance")) * NEAR_LIMIT_TENTHS
    ).aggregate(
        accounts=Count("pk"),
        **_sum_in_parts("in_circulation", "balance", filter=Q(balance__gt=0)),
        with_credit=Count("pk", filter=Q(lowest_balance__lt=0)),
        near_limit=Count("pk", filter=Q(lowest_balance__lt=0, spare_tenths__lte=0)),
        low=Min("balance"),
        high=Max("balance"),
    )
    bins: list[HistogramBin] = []
    if totals["accounts"]:
        edges = histogram_edges(totals["low"], totals["high"])
        counts = accounts.aggregate(
            **{
                f"bin{index}": Count("pk", filter=Q(balance__gte=low, balance__lt=high))
                for index, (low, high) in enumerate(itertools.pairwise(edges))
            }
        )
        bins = [
            HistogramBin(low, high, counts[f"bin{index}"])
            for index, (low, high) in enumerate(itertools.pairwise(edges))
        ]
    return BalanceSummary(
        accounts=totals["accounts"],
        in_circulation=_whole(totals, "in_circulation"),
        with_credit=totals["with_credit"],
        near_limit=totals["near_limit"],
        bins=bins,
        top_positive=_balance_rows(
            accounts.filter(balance__gt=0).order_by("-balance", "organization__name")[:TOP_BALANCES]
        ),
        top_negative=_balance_rows(
            accounts.filter(balance__lt=0).order_by("balance", "organization__name")[:TOP_BALANCES]
        ),
    )


def histogram_edges(low: int, high: int, bins: int = HISTOGRAM_BINS) -> list[int]:
    """Bin edges for balances from ``low`` to ``high``: a round width (1, 2 or 5 × 10ⁿ minor
    units) whose multiples include zero, so that debtors and creditors never share a bin."""
    spread = max(high - low, 1)
    width = 1
    while width * bins < spread:
        width = _next_round(width)
    first = (low // width) * width
    last = (high // width + 1) * width
    return list(range(first, last + 1, width))


def _next_round(width: int) -> int:
    """1 → 2 → 5 → 10 → 20 → 50 …"""
    magnitude = 1
    while magnitude * 10 <= width:
        magnitude *= 10
    leading = width // magnitude
    return magnitude * (2 if leading == 1 else 5 if leading == 2 else 10)


def _balance_rows(accounts: QuerySet[Account]) -> list[BalanceRow]:
    return [
        BalanceRow(
            organization=row["organization__name"],
            region=row["organization__region__name"],
            balance=row["balance"],
            lowest_balance=row["lowest_balance"],
            pending_debits=row["pending_debits"],
            pending_credits=row["pending_credits"],
            frozen=row["frozen"],
        )
        for row in accounts.values(
            "organization__name",
            "organization__region__name",
            "balance",
            "lowest_balance",
            "pending_debits",
            "pending_credits",
            "frozen",
        )
    ]


def all_balances(unit: Unit) -> Iterator[BalanceRow]:
    """Every account of the unit, most negative first (for the CSV export)."""
    yield from _balance_rows(
        Account.objects.filter(unit=unit).order_by("balance", "organization__name")
    )


# --- Volume -----------------------------------------------------------------------------------


def trade_transfers(unit: Unit, period: Period) -> QuerySet[Transfer]:
    """The journal entries that count as trade volume (see the module docstring)."""
    start, end = period.bounds()
    return (
        Transfer.objects.filter(
            unit=unit,
            kind__in=VOLUME_KINDS,
            created_at__gte=start,
            created_at__lt=end,
            reverses__isnull=True,
            reversal__isnull=True,
        )
        .exclude(client_id__startswith=CLEARING_CLIENT_PREFIX)
        .order_by()
    )


@dataclass(frozen=True)
class RegionVolume:
    code: str
    name: str
    amounts: list[int]  # one per month of the period


@dataclass(frozen=True)
class MonthlyVolume:
    months: list[date]
    regions: list[RegionVolume]

    @property
    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*(r.amounts for r in self.regions), strict=True)] or [
            0 for _ in self.months
        ]

    @property
    def total(self) -> int:
        return sum(sum(region.amounts) for region in self.regions)

    def rows(self) -> Iterator[tuple[date, RegionVolume, int]]:
        for index, month in enumerate(self.months):
            for region in self.regions:
                yield month, region, region.amounts[index]


def monthly_volume(unit: Unit, period: Period) -> MonthlyVolume:
    """Trade volume per month, split by the payer's region (regions with no trade left out)."""
    grouped = (
        trade_transfers(unit, period)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values(
            "month",
            "debit__organization__region_id",
            "debit__organization__region__code",
            "debit__organization__region__name",
            "debit__organization__region__names",
            "debit__organization__region__position",
        )
        .annotate(**_sum_in_parts("total", "amount"))
    )
    months = period.months
    position = {month: index for index, month in enumerate(months)}
    amounts: dict[int, list[int]] = {}
    regions: dict[int, tuple[int, str, str]] = {}  # position, code, name
    for row in grouped:
        region = row["debit__organization__region_id"]
        column = amounts.setdefault(region, [0] * len(months))
        column[position[row["month"]]] += _whole(row, "total")
        regions[region] = (
            row["debit__organization__region__position"],
            row["debit__organization__region__code"],
            translated(
                row["debit__organization__region__names"] or {},
                row["debit__organization__region__name"],
            ),
        )
    ordered = sorted(regions.items(), key=lambda item: item[1][:2])
    return MonthlyVolume(
        months=months,
        regions=[RegionVolume(code, name, amounts[key]) for key, (_p, code, name) in ordered],
    )


# --- Trade network ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TradeFlow:
    """What one organization paid another in the period."""

    payer_id: int
    payer: str
    payee_id: int
    payee: str
    amount: int
    transfers: int


@dataclass(frozen=True)
class Trader:
    id: int
    name: str
    paid: int
    received: int

    @property
    def volume(self) -> int:
        return self.paid + self.received

    @property
    def net(self) -> int:
        return self.received - self.paid


@dataclass(frozen=True)
class TradeNetwork:
    flows: list[TradeFlow]  # largest first
    traders: list[Trader]  # largest volume first

    def top(self, count: int = NETWORK_NODES) -> tuple[list[Trader], list[tuple[int, int, int]]]:
        """The ``count`` largest traders and the pairs among them (both directions summed)."""
        kept = self.traders[:count]
        keys = {trader.id for trader in kept}
        pairs: dict[tuple[int, int], int] = {}
        for flow in self.flows:
            if flow.payer_id in keys and flow.payee_id in keys:
                pair = (min(flow.payer_id, flow.payee_id), max(flow.payer_id, flow.payee_id))
                pairs[pair] = pairs.get(pair, 0) + flow.amount
        return kept, [(a, b, amount) for (a, b), amount in sorted(pairs.items())]


def _flows(unit: Unit, period: Period) -> QuerySet[Any, Any]:
    return (
        trade_transfers(unit, period)
        .values(
            payer_id=F("debit__organization_id"),
            payer=F("debit__organization__name"),
            payee_id=F("credit__organization_id"),
            payee=F("credit__organization__name"),
        )
        .annotate(
            **_sum_in_parts("amount", "amount"),
            # Ranks by the sum as a float: no overflow, and exact far beyond real volumes.
            rank=Sum(Cast("amount", FloatField())),
            transfers=Count("pk"),
        )
        .order_by("-rank", "payer", "payee", "payer_id", "payee_id")
    )


def largest_flows(unit: Unit, period: Period, limit: int) -> list[TradeFlow]:
    """The largest payer→payee sums, ranked by the database (for the page's table)."""
    return [_flow(row) for row in _flows(unit, period)[:limit]]


def _flow(row: Mapping[str, Any]) -> TradeFlow:
    return TradeFlow(
        payer_id=row["payer_id"],
        payer=row["payer"],
        payee_id=row["payee_id"],
        payee=row["payee"],
        amount=_whole(row, "amount"),
        transfers=row["transfers"],
    )


def trade_network(unit: Unit, period: Period) -> TradeNetwork:
    """Every payer→payee sum of the period, and each organization's totals."""
    flows = [_flow(row) for row in _flows(unit, period)]
    names: dict[int, str] = {}
    paid: dict[int, int] = {}
    received: dict[int, int] = {}
    for flow in flows:
        names[flow.payer_id], names[flow.payee_id] = flow.payer, flow.payee
        paid[flow.payer_id] = paid.get(flow.payer_id, 0) + flow.amount
        received[flow.payee_id] = received.get(flow.payee_id, 0) + flow.amount
    traders = sorted(
        (Trader(pk, name, paid.get(pk, 0), received.get(pk, 0)) for pk, name in names.items()),
        key=lambda t: (-t.volume, t.name, t.id),
    )
    return TradeNetwork(flows=flows, traders=traders)


# --- Clearing and barter rounds ---------------------------------------------------------------


@dataclass(frozen=True)
class ClearingRoundRow:
    uuid: uuid_lib.UUID
    created_at: datetime
    status: str
    total_before: int
    total_after: int

    @property
    def cleared(self) -> int:
        return self.total_before - self.total_after


def clearing_rounds(unit: Unit) -> list[ClearingRoundRow]:
    return [
        ClearingRoundRow(
            r.uuid, r.created_at, r.get_status_display(), r.total_before, r.total_after
        )
        for r in ClearingRound.objects.filter(unit=unit).only(
            "uuid", "created_at", "status", "total_before", "total_after"
        )
    ]


@dataclass(frozen=True)
class ClearingPosition:
    organization: str
    payable_before: int
    receivable_before: int
    payable_after: int
    receivable_after: int
    net: int


@dataclass(frozen=True)
class ClearingSummary:
    total_before: int
    total_after: int
    cleared: int
    percent_cleared: str
    positions: list[ClearingPosition]  # largest debt before the round first

    @property
    def chart_positions(self) -> list[ClearingPosition]:
        return self.positions[:CLEARING_CHART_ROWS]


def clearing_summary(clearing_round: ClearingRound) -> ClearingSummary:
    """The round's stored report (computed when it was opened), as figures."""
    report: Mapping[str, Any] = clearing_round.report or {}
    positions = [
        ClearingPosition(
            organization=str(row.get("name", "")),
            payable_before=int(row.get("payable_before", 0)),
            receivable_before=int(row.get("receivable_before", 0)),
            payable_after=int(row.get("payable_after", 0)),
            receivable_after=int(row.get("receivable_after", 0)),
            net=int(row.get("net", 0)),
        )
        for row in report.get("organizations", [])
    ]
    positions.sort(key=lambda p: (-p.payable_before, -p.receivable_before, p.organization))
    return ClearingSummary(
        total_before=int(report.get("total_before", clearing_round.total_before)),
        total_after=int(report.get("total_after", clearing_round.total_after)),
        cleared=int(report.get("cleared", clearing_round.cleared)),
        percent_cleared=str(report.get("percent_cleared", "")),
        positions=positions,
    )


@dataclass(frozen=True)
class BarterRoundRow:
    uuid: uuid_lib.UUID
    created_at: datetime
    items: int
    items_traded: int
    cycles: int


def barter_rounds(network_id: int) -> list[BarterRoundRow]:
    return [
        BarterRoundRow(
            r.uuid,
            r.created_at,
            int(r.report.get("items", 0)),
            int(r.report.get("items_traded", 0)),
            len(r.report.get("cycles", [])),
        )
        for r in BarterRound.objects.filter(network_id=network_id).only(
            "uuid", "created_at", "report"
        )
    ]


@dataclass(frozen=True)
class BarterSummary:
    items: int
    items_traded: int
    cycles: list[list[str]]  # item titles in giving order: each goes to the next one's owner
    non_trading: list[str]


def barter_summary(barter_round: BarterRound) -> BarterSummary:
    report: Mapping[str, Any] = barter_round.report or {}
    return BarterSummary(
        items=int(report.get("items", 0)),
        items_traded=int(report.get("items_traded", 0)),
        cycles=[[str(title) for title in cycle] for cycle in report.get("cycles", [])],
        non_trading=[str(title) for title in report.get("non_trading", [])],
    )


def cycle_rows(summary: BarterSummary) -> Iterable[tuple[int, int, str, str]]:
    """(cycle, position, item, next item) — the item goes to the next item's owner."""
    for number, cycle in enumerate(summary.cycles, start=1):
        for position, item in enumerate(cycle):
            yield number, position + 1, item, cycle[(position + 1) % len(cycle)]
