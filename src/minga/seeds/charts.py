"""The viability curve of a lot as a small inline SVG: no script, no third-party server."""

from __future__ import annotations

import datetime

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .selectors import LotViability

WIDTH, HEIGHT, LEFT, BOTTOM = 320, 160, 34, 20


def viability_svg(viability: LotViability) -> SafeString | str:
    if len(viability.curve) < 2:
        return ""
    start, end = viability.curve[0][0], viability.curve[-1][0]
    span = max(1, (end - start).days)
    plot_w, plot_h = WIDTH - LEFT - 6, HEIGHT - BOTTOM - 6

    def x(day: datetime.date) -> float:
        return LEFT + plot_w * (day - start).days / span

    def y(percent: float) -> float:
        return 6 + plot_h * (1 - percent / 100)

    points = " ".join(f"{x(day):.1f},{y(percent):.1f}" for day, percent in viability.curve)
    threshold = ""
    if viability.threshold_percent is not None:
        ty = y(viability.threshold_percent)
        threshold = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b00" stroke-dasharray="4 3"/>',
            LEFT,
            f"{ty:.1f}",
            WIDTH - 6,
            f"{ty:.1f}",
        )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="9" text-anchor="end">{}</text>',
        ((LEFT - 3, f"{y(value) + 3:.1f}", f"{value} %") for value in (0, 50, 100)),
    )
    label = _("Predicted viability from %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return format_html(
        '<svg class="viability" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}">'
        '<rect x="{left}" y="6" width="{pw}" height="{ph}" fill="none" stroke="#999"/>'
        "{ticks}{threshold}"
        '<polyline points="{points}" fill="none" stroke="#060" stroke-width="2"/>'
        '<text x="{left}" y="{h1}" font-size="9">{start}</text>'
        '<text x="{right}" y="{h1}" font-size="9" text-anchor="end">{end}</text></svg>',
        w=WIDTH,
        h=HEIGHT,
        label=label,
        left=LEFT,
        pw=plot_w,
        ph=plot_h,
        ticks=ticks,
        threshold=threshold,
        points=points,
        h1=HEIGHT - 6,
        right=WIDTH - 6,
        start=start.isoformat(),
        end=end.isoformat(),
    )
