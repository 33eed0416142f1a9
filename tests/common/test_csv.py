"""One formula-safe CSV writer: text a spreadsheet would run stays text."""

from __future__ import annotations

import csv
import io

import pytest

from minga.common.csv import spreadsheet_safe, spreadsheet_writer


@pytest.mark.parametrize("text", ["=1+1", "+34 600", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_looks_like_a_formula_is_quoted(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Comuna El Maizal", "", -12, 3.5, None])
def test_other_cells_are_left_alone(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_the_writer_quotes_every_text_cell_and_reads_back() -> None:
    stream = io.StringIO()
    writer = spreadsheet_writer(stream)
    writer.writerow(['=HYPERLINK("x")', -5, "ok"])
    writer.writerows([["@a", "b"]])
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [['\'=HYPERLINK("x")', "-5", "ok"], ["'@a", "b"]]
