"""The dashboards' pictures: pure drawing, valid SVG and PNG, without a database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minga.exchange import charts

LABELS = charts.Labels(title="Título", x="Saldo (ANDE)", y="Cuentas", empty="Nada todavía.")

SPECS: dict[str, tuple[Callable[[Any, charts.ImageFormat], bytes], Any]] = {
    "histogram": (
        charts.histogram,
        charts.HistogramChart(edges=[-2.0, -1.0, 0.0, 1.0], counts=[1, 0, 2], labels=LABELS),
    ),
    "stacked": (
        charts.stacked_bars,
        charts.StackedBarChart(
            categories=["2025-01", "2025-02"],
            series=[
                charts.StackedSeries("Sudamérica", [1.0, 0.5]),
                charts.StackedSeries("Caribe", [0.0, 2.0]),
            ],
            labels=LABELS,
        ),
    ),
    "network": (
        charts.network,
        charts.NetworkChart(
            nodes=[
                charts.GraphNode(str(i), f"Comuna {i}", i + 1.0, (-1.0) ** i) for i in range(70)
            ],
            edges=[charts.GraphEdge(str(i), str((i * 7 + 3) % 70), float(i)) for i in range(70)],
            labels=LABELS,
            net_receiver="recibe",
            net_payer="paga",
        ),
    ),
    "positions": (
        charts.positions,
        charts.PositionsChart(
            rows=[
                charts.PositionRow(f"Comuna {i}", 10.0 - i, 5.0, float(i), 0.0) for i in range(20)
            ],
            labels=LABELS,
        ),
    ),
    "cycles": (
        charts.cycles,
        charts.CyclesChart(
            cycles=[["Semillas", "Herramientas", "Telas"], ["Maíz", "Abono"]] * 20,
            labels=LABELS,
            cycle_title="Ciclo %(number)d (%(size)d)",
            more="y 10 más",
        ),
    ),
}

EMPTY: dict[str, Any] = {
    "histogram": charts.HistogramChart(edges=[], counts=[], labels=LABELS),
    "stacked": charts.StackedBarChart(categories=["2025-01"], series=[], labels=LABELS),
    "network": charts.NetworkChart(nodes=[], edges=[], labels=LABELS),
    "positions": charts.PositionsChart(rows=[], labels=LABELS),
    "cycles": charts.CyclesChart(cycles=[], labels=LABELS),
}


def _valid(data: bytes, image_format: str) -> bool:
    if image_format == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    return data.startswith(b"<?xml") and b"<svg" in data and data.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize("image_format", ["svg", "png"])
@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_chart_draws_valid_svg_and_png(name: str, image_format: charts.ImageFormat) -> None:
    """Each chart gives a well-formed image in both formats."""
    draw, spec = SPECS[name]
    assert _valid(draw(spec, image_format), image_format)


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_charts_without_data_say_so(name: str) -> None:
    """With nothing to draw, the picture still renders, carrying the 'empty' message."""
    draw, _spec = SPECS[name]
    data = draw(EMPTY[name], "svg")
    assert _valid(data, "svg")
    assert "Nada todavía.".encode() in data


def test_the_network_layout_is_deterministic() -> None:
    """The same data gives the same picture (fixed seed, sorted insertion, no timestamp)."""
    draw, spec = SPECS["network"]
    assert draw(spec, "png") == draw(spec, "png")


def test_png_size_matches_the_declared_pixels() -> None:
    """The page's <img width height> come from pixel_size: the PNG has exactly that size."""
    draw, spec = SPECS["positions"]
    data = draw(spec, "png")
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == charts.pixel_size(charts.positions_size(20))


def test_cycles_beyond_the_cap_are_not_drawn() -> None:
    """At most 30 cycles are drawn; the picture's size does not grow beyond that."""
    assert charts.cycles_size(200) == charts.cycles_size(charts.MAX_CYCLES_DRAWN)
    assert charts.cycles_size(3) < charts.cycles_size(30)
