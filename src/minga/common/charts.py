"""Small charts drawn on the server as inline SVG: no script, no image request, readable
on a 360 px phone (the drawing scales to the width of the page) and by screen readers
(the title is the image's name; pages show the same figures in a table beside it).

For pictures of many series or a network, see ``minga.exchange.charts`` (matplotlib).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 320
ROW = 36
LABEL_LENGTH = 40
BAR_WIDTH = 250  # leaves room for the figure after the longest bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str = ""  # the figure written after the bar (the value when empty)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def bar_chart(
    title: str, bars: Sequence[Bar], *, maximum: float | None = None, colour: str = "#2e6b30"
) -> SafeString:
    """Horizontal bars, one per row, each with its label above it and its figure after it;
    ``maximum`` is the value of a full bar (the largest value when not given)."""
    if not bars:
        return SafeString("")
    top = maximum if maximum is not None else max(bar.value for bar in bars)
    height = ROW * len(bars) + 4

    def length(value: float) -> float:
        return BAR_WIDTH * max(0.0, min(value, top)) / top if top > 0 else 0.0

    rows = format_html_join(
        "",
        '<text x="2" y="{}" font-size="13">{}</text>'
        '<rect x="2" y="{}" width="{}" height="12" fill="{}"/>'
        '<text x="{}" y="{}" font-size="13">{}</text>',
        (
            (
                ROW * index + 14,
                _short(bar.label),
                ROW * index + 19,
                f"{length(bar.value):.1f}",
                colour,
                f"{length(bar.value) + 6:.1f}",
                ROW * index + 30,
                bar.text or f"{bar.value:g}",
            )
            for index, bar in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        title,
        title,
        rows,
    )
