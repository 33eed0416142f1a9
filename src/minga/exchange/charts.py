"""Pictures for the economic commission's dashboards: chart specifications in, SVG or PNG out.

Pure drawing: plain dataclasses (amounts already in major units, every label already
translated by the caller) go in, image bytes come out. This module imports matplotlib,
networkx and the standard library only — never Django — so it can be tested and reused
without settings or a database.

Figures are built with :class:`matplotlib.figure.Figure` directly, never through pyplot:
pyplot keeps global state and is not safe in a threaded web server, while a ``Figure``
with the Agg canvas is. The backend is still set to Agg so that an accidental pyplot
import elsewhere cannot try to open a window on the server.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

import networkx as nx
from matplotlib.figure import Figure

ImageFormat = Literal["svg", "png"]
FORMATS: dict[str, str] = {"svg": "image/svg+xml", "png": "image/png"}

# 80 dots per inch keeps PNGs small for slow connections while staying legible on phones;
# page templates compute <img width height> from the same numbers (see pixel_size).
DPI = 80
WIDTH_INCHES = 9.0
WIDE = (WIDTH_INCHES, 4.5)
SQUARE = (WIDTH_INCHES, WIDTH_INCHES)

INK = "#1d1d1b"
MUTED = "#5b5b57"
NEGATIVE = "#a11d1d"
NEGATIVE_LIGHT = "#e6a3a3"
POSITIVE = "#2e6b30"
POSITIVE_LIGHT = "#9fcfa0"
ACCENT = "#8a3b12"
EDGE = "#8a8a85"
# Colour-blind-friendly qualitative palette (Okabe–Ito), repeated when regions outnumber it.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)

NETWORK_LABELS = 12
CYCLE_COLUMNS = 3
MAX_CYCLES_DRAWN = 30
LABEL_LENGTH = 22
# Fixed seed: the same data always gives the same layout, so pictures can be compared.
LAYOUT_SEED = 20240501


# --- Specifications -------------------------------------------------------------------------


@dataclass(frozen=True)
class Labels:
    """Texts a person reads on the picture, translated by the caller."""

    title: str
    x: str = ""
    y: str = ""
    empty: str = ""


@dataclass(frozen=True)
class HistogramChart:
    """Counts of accounts per balance range; edges has one more element than counts."""

    edges: Sequence[float]
    counts: Sequence[int]
    labels: Labels


@dataclass(frozen=True)
class StackedSeries:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class StackedBarChart:
    """One bar per category (month), stacked by series (region)."""

    categories: Sequence[str]
    series: Sequence[StackedSeries]
    labels: Labels


@dataclass(frozen=True)
class GraphNode:
    key: str
    name: str
    volume: float
    net: float  # received minus paid: colours net receivers and net payers apart


@dataclass(frozen=True)
class GraphEdge:
    a: str
    b: str
    volume: float


@dataclass(frozen=True)
class NetworkChart:
    nodes: Sequence[GraphNode]
    edges: Sequence[GraphEdge]
    labels: Labels
    net_receiver: str = ""
    net_payer: str = ""


@dataclass(frozen=True)
class PositionRow:
    name: str
    payable_before: float
    payable_after: float
    receivable_before: float
    receivable_after: float


@dataclass(frozen=True)
class PositionsChart:
    """Grouped horizontal bars: what each organization owes and is owed, before and after."""

    rows: Sequence[PositionRow]
    labels: Labels
    series_names: tuple[str, str, str, str] = (
        "payable before",
        "payable after",
        "receivable before",
        "receivable after",
    )


@dataclass(frozen=True)
class CyclesChart:
    """Barter cycles, each a ring of item titles in giving order."""

    cycles: Sequence[Sequence[str]]
    labels: Labels
    cycle_title: str = "%(number)d (%(size)d)"  # formatted with the number and size
    more: str = ""  # shown when cycles beyond MAX_CYCLES_DRAWN are left out


# --- Sizes ------------------------------------------------------------------------------------


def pixel_size(inches: tuple[float, float]) -> tuple[int, int]:
    """The PNG's size in pixels, for <img width height> (no tight bounding box is used)."""
    return round(inches[0] * DPI), round(inches[1] * DPI)


def positions_size(rows: int) -> tuple[float, float]:
    return (WIDTH_INCHES, 1.6 + 0.42 * max(rows, 1))


def cycles_size(cycles: int) -> tuple[float, float]:
    drawn = max(min(cycles, MAX_CYCLES_DRAWN), 1)
    rows = math.ceil(drawn / CYCLE_COLUMNS)
    return (WIDTH_INCHES, 0.6 + rows * WIDTH_INCHES / CYCLE_COLUMNS)


# --- Drawing ----------------------------------------------------------------------------------


def histogram(chart: HistogramChart, image_format: ImageFormat) -> bytes:
    figure, axes = _figure(WIDE)
    axes.set_title(chart.labels.title)
    if not any(chart.counts):
        return _empty(figure, axes, chart.labels, image_format)
    lows, highs = chart.edges[:-1], chart.edges[1:]
    colours = [NEGATIVE if high <= 0 else POSITIVE for high in highs]
    axes.bar(
        lows,
        chart.counts,
        width=[high - low for low, high in zip(lows, highs, strict=True)],
        align="edge",
        color=colours,
        edgecolor="white",
        linewidth=0.8,
    )
    axes.axvline(0, color=INK, linewidth=0.8)
    axes.set_xlabel(chart.labels.x)
    axes.set_ylabel(chart.labels.y)
    axes.yaxis.get_major_locator().set_params(integer=True)
    return _save(figure, image_format)


def stacked_bars(chart: StackedBarChart, image_format: ImageFormat) -> bytes:
    figure, axes = _figure(WIDE)
    axes.set_title(chart.labels.title)
    if not any(any(series.values) for series in chart.series):
        return _empty(figure, axes, chart.labels, image_format)
    positions = range(len(chart.categories))
    bottoms = [0.0] * len(chart.categories)
    for index, series in enumerate(chart.series):
        axes.bar(
            positions,
            series.values,
            bottom=bottoms,
            label=_shorten(series.name),
            color=PALETTE[index % len(PALETTE)],
            width=0.8,
        )
        bottoms = [b + v for b, v in zip(bottoms, series.values, strict=True)]
    axes.set_xticks(list(positions), list(chart.categories), rotation=60, fontsize=8)
    axes.set_xlabel(chart.labels.x)
    axes.set_ylabel(chart.labels.y)
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    return _save(figure, image_format)


def network(chart: NetworkChart, image_format: ImageFormat) -> bytes:
    figure, axes = _figure(SQUARE)
    axes.set_title(chart.labels.title)
    axes.set_axis_off()
    if not chart.nodes:
        return _empty(figure, axes, chart.labels, image_format)
    graph: Any = nx.Graph()
    # Insertion order feeds the layout: sort so that equal data gives an equal picture.
    for node in sorted(chart.nodes, key=lambda n: n.key):
        graph.add_node(node.key)
    for edge in sorted(chart.edges, key=lambda e: (e.a, e.b)):
        if edge.a in graph and edge.b in graph:
            graph.add_edge(edge.a, edge.b, volume=edge.volume)
    layout = nx.spring_layout(graph, seed=LAYOUT_SEED, k=1.6 / math.sqrt(len(graph)))
    by_key = {node.key: node for node in chart.nodes}
    largest_edge = max((e.volume for e in chart.edges), default=0.0) or 1.0
    for a, b, data in graph.edges(data=True):
        (xa, ya), (xb, yb) = layout[a], layout[b]
        axes.plot(
            [xa, xb],
            [ya, yb],
            color=EDGE,
            alpha=0.6,
            linewidth=0.4 + 5.6 * data["volume"] / largest_edge,
            zorder=1,
            solid_capstyle="round",
        )
    largest_node = max(node.volume for node in chart.nodes) or 1.0
    keys = list(graph.nodes)
    axes.scatter(
        [layout[key][0] for key in keys],
        [layout[key][1] for key in keys],
        s=[30 + 900 * math.sqrt(by_key[key].volume / largest_node) for key in keys],
        c=[POSITIVE if by_key[key].net >= 0 else NEGATIVE for key in keys],
        edgecolors="white",
        linewidths=0.8,
        zorder=2,
    )
    # Names only for the largest traders, so that the picture stays readable on a phone.
    for node in sorted(chart.nodes, key=lambda n: (-n.volume, n.key))[:NETWORK_LABELS]:
        x, y = layout[node.key]
        axes.annotate(
            _shorten(node.name),
            (x, y),
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=INK,
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
        )
    if chart.net_receiver or chart.net_payer:
        axes.scatter([], [], c=POSITIVE, label=chart.net_receiver)
        axes.scatter([], [], c=NEGATIVE, label=chart.net_payer)
        axes.legend(fontsize=8, frameon=False, loc="lower left")
    axes.margins(0.08)
    return _save(figure, image_format)


def positions(chart: PositionsChart, image_format: ImageFormat) -> bytes:
    figure, axes = _figure(positions_size(len(chart.rows)))
    axes.set_title(chart.labels.title)
    if not chart.rows:
        return _empty(figure, axes, chart.labels, image_format)
    height = 0.2
    colours = (NEGATIVE, NEGATIVE_LIGHT, POSITIVE, POSITIVE_LIGHT)
    # The first row (largest debt) is drawn at the top.
    centres = [len(chart.rows) - 1 - index for index in range(len(chart.rows))]
    values = [
        [row.payable_before for row in chart.rows],
        [row.payable_after for row in chart.rows],
        [row.receivable_before for row in chart.rows],
        [row.receivable_after for row in chart.rows],
    ]
    for index, (name, colour, series) in enumerate(
        zip(chart.series_names, colours, values, strict=True)
    ):
        offset = (1.5 - index) * height
        axes.barh(
            [centre + offset for centre in centres], series, height=height, color=colour, label=name
        )
    axes.set_yticks(centres, [_shorten(row.name) for row in chart.rows], fontsize=8)
    axes.set_xlabel(chart.labels.x)
    # Below the bars, so that it never hides one.
    figure.legend(fontsize=8, frameon=False, loc="outside lower center", ncols=4)
    return _save(figure, image_format)


def cycles(chart: CyclesChart, image_format: ImageFormat) -> bytes:
    drawn = list(chart.cycles[:MAX_CYCLES_DRAWN])
    size = cycles_size(len(drawn))
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    if not drawn:
        axes = figure.add_subplot()
        axes.set_title(chart.labels.title)
        return _empty(figure, axes, chart.labels, image_format)
    title = chart.labels.title
    if len(chart.cycles) > len(drawn) and chart.more:
        title = f"{title}\n{chart.more}"
    figure.suptitle(title)
    rows = math.ceil(len(drawn) / CYCLE_COLUMNS)
    grid = figure.subplots(rows, CYCLE_COLUMNS, squeeze=False)
    for index, cell in enumerate(grid.flat):
        cell.set_axis_off()
        if index < len(drawn):
            items = drawn[index]
            _ring(cell, items, chart.cycle_title % {"number": index + 1, "size": len(items)})
    return _save(figure, image_format)


# --- Helpers ----------------------------------------------------------------------------------


def _ring(axes: Any, items: Sequence[str], title: str) -> None:
    """Items on a circle, an arrow from each to the next: each goes to the next one's owner."""
    count = len(items)
    axes.set_title(title, fontsize=9)
    axes.set_xlim(-1.7, 1.7)
    axes.set_ylim(-1.5, 1.5)
    axes.set_aspect("equal")
    points = [
        (
            math.cos(math.pi / 2 - 2 * math.pi * i / count),
            math.sin(math.pi / 2 - 2 * math.pi * i / count),
        )
        for i in range(count)
    ]
    for position, point in enumerate(points):
        following = points[(position + 1) % count]
        axes.annotate(
            "",
            xy=following,
            xytext=point,
            arrowprops={
                "arrowstyle": "-|>",
                "color": ACCENT,
                "shrinkA": 10,
                "shrinkB": 10,
                "connectionstyle": "arc3,rad=0.25",
            },
        )
    axes.scatter([p[0] for p in points], [p[1] for p in points], s=60, c=ACCENT, zorder=2)
    for point, item in zip(points, items, strict=True):
        axes.annotate(
            _shorten(item, 18),
            point,
            xytext=(0, -11 if point[1] < -0.1 else 7),
            textcoords="offset points",
            ha="center",
            va="top" if point[1] < -0.1 else "bottom",
            fontsize=7,
            color=INK,
        )


def _figure(size: tuple[float, float]) -> tuple[Figure, Any]:
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _empty(figure: Figure, axes: Any, labels: Labels, image_format: ImageFormat) -> bytes:
    axes.set_axis_off()
    axes.text(0.5, 0.5, labels.empty, ha="center", va="center", color=MUTED, fontsize=12)
    return _save(figure, image_format)


def _save(figure: Figure, image_format: ImageFormat) -> bytes:
    buffer = io.BytesIO()
    # No creation date in the metadata: the same data gives the same bytes.
    metadata: dict[str, Any] = {"Date": None} if image_format == "svg" else {"Software": None}
    figure.savefig(buffer, format=image_format, dpi=DPI, metadata=metadata)
    return buffer.getvalue()


def _shorten(text: str, length: int = LABEL_LENGTH) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
