"""Inline SVG bar charts: labels escaped, bars scaled to the largest value or a maximum."""

from __future__ import annotations

import re

from minga.common.charts import BAR_WIDTH, Bar, bar_chart


def _widths(svg: str) -> list[float]:
    return [float(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]


def test_bars_are_scaled_to_the_largest_value() -> None:
    svg = str(bar_chart("Inscritos", [Bar("A", 10), Bar("B", 5), Bar("C", 0)]))
    assert _widths(svg) == [BAR_WIDTH, BAR_WIDTH / 2, 0.0]
    assert 'aria-label="Inscritos"' in svg
    assert "<title>Inscritos</title>" in svg


def test_a_maximum_caps_the_bars_and_the_figure_is_written_after_each() -> None:
    svg = str(bar_chart("Asistencia", [Bar("A", 50, "50 %"), Bar("B", 150, "150 %")], maximum=100))
    assert _widths(svg) == [BAR_WIDTH / 2, BAR_WIDTH]
    assert "50 %" in svg and "150 %" in svg


def test_labels_and_titles_are_escaped_and_long_labels_shortened() -> None:
    svg = str(bar_chart('<script>"x"</script>', [Bar("<b>" + "n" * 80, 1)]))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert "…" in svg


def test_no_bars_draw_nothing_and_zero_values_draw_empty_bars() -> None:
    assert str(bar_chart("Nada", [])) == ""
    assert _widths(str(bar_chart("Ceros", [Bar("A", 0), Bar("B", 0)]))) == [0.0, 0.0]
