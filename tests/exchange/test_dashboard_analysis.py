"""The dashboards' figures on a small hand-made ledger: balances, monthly volume, the network."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from minga.common.permissions import SYSTEM
from minga.core.ledger import TransferKind
from minga.exchange import analysis, services
from minga.exchange.models import Account
from tests import factories
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime, *inputs: services.TransferInput) -> None:
    """Submit the transfers as if it were ``moment`` (the journal stamps entries with now)."""
    with monkeypatch.context() as patch:
        patch.setattr(services.ledger.timezone, "now", lambda: moment)
        # As the platform: one of these is a clearing round's set-off.
        assert submit(*inputs, platform=True).all_applied


def _day(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 12, tzinfo=UTC)


@pytest.fixture
def trade(db: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Three organizations in three regions trading over the first quarter of 2025.

    Volume: January 100 (south), February 10 (south) and 40 (caribbean), March 50 (south,
    a reservation posted then). Not volume: a transfer and its reversal, a clearing set-off.
    """
    network = factories.organization(kind="network", name="Red Andina")
    unit = services.unit_create(
        actor=SYSTEM,
        code="ANDE",
        name="Andino",
        kind="community",
        network=network,
        default_lowest_balance=-3_000,
    )
    south, caribbean, north = (
        services.account_open(
            actor=SYSTEM, organization=factories.organization(name=name, region=region), unit=unit
        )
        for name, region in (
            ("Comuna Sur", "south-america"),
            ("Comuna Caribe", "caribbean"),
            ("Comuna Norte", "north-america"),
        )
    )
    _at(monkeypatch, _day(1, 15), move(south, caribbean, 100))
    _at(monkeypatch, _day(2, 15), move(caribbean, south, 40))
    _at(monkeypatch, _day(2, 20), move(south, north, 10))
    _at(monkeypatch, _day(2, 21), move(south, caribbean, 999, client_id="error"))
    _at(monkeypatch, _day(2, 22), move(caribbean, south, 999, client_id="fix", reverses="error"))
    _at(monkeypatch, _day(2, 25), move(south, north, 50, kind=TransferKind.PENDING, client_id="r"))
    _at(
        monkeypatch,
        _day(3, 10),
        services.TransferInput(client_id="r-post", kind=TransferKind.POST_PENDING, pending="r"),
    )
    _at(monkeypatch, _day(3, 12), move(caribbean, north, 30, client_id="clr:round:obligation"))
    return {"unit": unit, "south": south, "caribbean": caribbean, "north": north}


QUARTER = analysis.Period(date(2025, 1, 1), date(2025, 3, 1))


def test_balance_summary_and_histogram_bins(db: None) -> None:
    """Money in circulation is the sum of positive balances; the histogram's bins have a
    round width, zero on an edge, and count each account once; near the limit means less
    than a tenth of the credit line left."""
    _unit, (a, b, c) = unit_with_accounts(3, code="SALDO", lowest=-3_000)
    submit(move(a, b, 2_800), move(b, c, 1_000))
    summary = analysis.balance_summary(a.unit)
    assert (summary.accounts, summary.in_circulation) == (3, 2_800)
    assert (summary.with_credit, summary.near_limit, summary.near_limit_percent) == (3, 1, 33)
    assert summary.largest_debtor is not None and summary.largest_creditor is not None
    assert (summary.largest_debtor.organization, summary.largest_debtor.balance) == (
        a.organization.name,
        -2_800,
    )
    assert (summary.largest_creditor.organization, summary.largest_creditor.balance) == (
        b.organization.name,
        1_800,
    )
    assert [row.balance for row in summary.top_positive] == [1_800, 1_000]
    assert [row.balance for row in summary.top_negative] == [-2_800]
    assert {(b.low, b.high): b.count for b in summary.bins if b.count} == {
        (-3_000, -2_500): 1,
        (1_000, 1_500): 1,
        (1_500, 2_000): 1,
    }
    assert sum(b.count for b in summary.bins) == 3
    assert all(left.high == right.low for left, right in itertools.pairwise(summary.bins))
    assert 0 in {b.low for b in summary.bins}


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 0, [0, 1]),
        (-5, 5, [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6]),
        (-120, 90, list(range(-120, 101, 20))),
        (250, 9_999, list(range(0, 10_001, 1_000))),
    ],
)
def test_histogram_edges_are_round_and_cover_the_range(
    low: int, high: int, expected: list[int]
) -> None:
    """Edges are multiples of 1, 2 or 5 × 10ⁿ, start at or below the lowest balance and
    end above the highest, so every balance falls in exactly one half-open bin."""
    assert analysis.histogram_edges(low, high) == expected


def test_an_empty_unit_has_no_bins(db: None) -> None:
    """A unit without accounts has zero everywhere and nothing to draw."""
    unit, _accounts = unit_with_accounts(0, code="VACIA")
    summary = analysis.balance_summary(unit)
    assert (summary.accounts, summary.in_circulation, summary.bins) == (0, 0, [])
    assert summary.largest_debtor is None and summary.near_limit_percent == 0


def test_monthly_volume_by_payer_region(trade: dict[str, Any]) -> None:
    """Posted and posted-reservation amounts per month and payer's region; reversals and
    clearing set-offs are not trade; months without trade are zeros."""
    volume = analysis.monthly_volume(trade["unit"], QUARTER)
    assert volume.months == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    assert [(r.code, r.amounts) for r in volume.regions] == [
        ("south-america", [100, 10, 50]),
        ("caribbean", [0, 40, 0]),
    ]
    assert (volume.totals, volume.total) == ([100, 50, 50], 200)
    february = analysis.monthly_volume(
        trade["unit"], analysis.Period(date(2025, 2, 1), date(2025, 2, 1))
    )
    assert [(r.code, r.amounts) for r in february.regions] == [
        ("south-america", [10]),
        ("caribbean", [40]),
    ]


def test_trade_network_edges_and_traders(trade: dict[str, Any]) -> None:
    """Flows are payer→payee sums with transfer counts; traders rank by paid + received;
    the picture's pairs add both directions and keep only the top traders."""
    network = analysis.trade_network(trade["unit"], QUARTER)
    south, caribbean, north = (trade[k].organization for k in ("south", "caribbean", "north"))
    assert [(f.payer, f.payee, f.amount, f.transfers) for f in network.flows] == [
        (south.name, caribbean.name, 100, 1),
        (south.name, north.name, 60, 2),
        (caribbean.name, south.name, 40, 1),
    ]
    assert [(t.name, t.paid, t.received, t.net) for t in network.traders] == [
        (south.name, 160, 40, -120),
        (caribbean.name, 40, 100, 60),
        (north.name, 0, 60, 60),
    ]
    traders, pairs = network.top(2)
    assert [t.name for t in traders] == [south.name, caribbean.name]
    assert pairs == [(min(south.pk, caribbean.pk), max(south.pk, caribbean.pk), 140)]
    assert len(network.top()[1]) == 2


def test_balances_export_rows_cover_every_account(trade: dict[str, Any]) -> None:
    """The export lists every account of the unit, most negative first, with its region."""
    rows = list(analysis.all_balances(trade["unit"]))
    assert [(r.organization, r.balance) for r in rows] == [
        ("Comuna Sur", -120),
        ("Comuna Caribe", 30),
        ("Comuna Norte", 90),
    ]
    assert (
        sum(r.balance for r in rows)
        == 0
        == sum(Account.objects.filter(unit=trade["unit"]).values_list("balance", flat=True))
    )


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        (None, None, date(2024, 7, 1), date(2025, 6, 1)),
        ("2025-01", "2025-03", date(2025, 1, 1), date(2025, 3, 1)),
        ("2025-03", "2025-01", date(2025, 1, 1), date(2025, 3, 1)),
        ("garbage", "2025-13", date(2024, 7, 1), date(2025, 6, 1)),
        ("1990-01", "2025-06", date(2015, 7, 1), date(2025, 6, 1)),
    ],
)
def test_period_parsing(start: str | None, end: str | None, first: date, last: date) -> None:
    """Missing or malformed months give the last 12; reversed bounds swap; at most 10 years."""
    period = analysis.Period.parse(start, end, today=date(2025, 6, 18))
    assert (period.first, period.last) == (first, last)
