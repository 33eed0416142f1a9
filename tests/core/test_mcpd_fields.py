"""Validation of MCPD v2.1 passport rows as a pure function."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.mcpd.fields import (
    FIELDS,
    McpdDate,
    McpdError,
    format_value,
    parse_date,
    validate_row,
)

COUNTRIES = frozenset({"PER", "BOL", "HTI", "MEX", "NLD"})
GOOD = {
    "INSTCODE": "PER001",
    "ACCENUMB": "CS-0001",
    "GENUS": "Zea",
    "SPECIES": "mays",
    "CROPNAME": "maize;maíz",
    "ACCENAME": "Kculli",
    "ACQDATE": "201904--",
    "ORIGCTY": "PER",
    "DECLATITUDE": "-13.5",
    "DECLONGITUDE": "-71.97",
    "LATITUDE": "133000S",
    "LONGITUDE": "0715812W",
    "ELEVATION": "3400",
    "COLLDATE": "20190312",
    "SAMPSTAT": "300",
    "COLLSRC": "26",
    "STORAGE": "11;13",
    "DUPLSITE": "PER001;BOL002",
    "MLSSTAT": "0",
    "GEOREFMETH": "GPS",
}


def test_a_good_row_is_cleaned() -> None:
    """Codes become numbers, lists become lists, dates keep their unknown parts."""
    clean = validate_row(GOOD, line=2, country_codes=COUNTRIES)
    assert clean["SAMPSTAT"] == 300 and clean["STORAGE"] == [11, 13]
    assert clean["CROPNAME"] == ["maize", "maíz"]
    assert clean["ACQDATE"] == McpdDate(2019, 4, None)
    assert clean["DECLATITUDE"] == -13.5
    assert clean["DONORNAME"] is None
    assert set(clean) == set(FIELDS)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("INSTCODE", "", "is required"),
        ("INSTCODE", "PE001", "not an institute code"),
        ("INSTCODE", "XXX001", "not an institute code"),
        ("DUPLSITE", "PER001;nowhere", "'nowhere' is not an institute code"),
        ("GENUS", "zea", "not a genus"),
        ("ORIGCTY", "PE", "not an ISO 3166 alpha-3"),
        ("ACQDATE", "2019-04-01", "not a date"),
        ("ACQDATE", "20190231", "not a day of the calendar"),
        ("ACQDATE", "2019--12", "a day without a month"),
        ("COLLDATE", "20191301", "no month 13"),
        ("DECLATITUDE", "91", "outside -90 to 90"),
        ("DECLONGITUDE", "east", "not a number"),
        ("LATITUDE", "1330S", "DDMMSSH"),
        ("LONGITUDE", "1907000E", "not a position"),
        ("ELEVATION", "3400.5", "whole number"),
        ("SAMPSTAT", "301", "not in the code list"),
        ("COLLSRC", "field", "not in the code list"),
        ("STORAGE", "11;14", "'14' is not in the code list"),
        ("MLSSTAT", "2", "not in the code list"),
        ("GEOREFMETH", "gps", "not one of"),
        ("COLOUR", "red", "not an MCPD v2.1 column"),
    ],
)
def test_a_bad_value_names_the_line_and_the_field(field: str, value: str, words: str) -> None:
    """Each broken rule raises McpdError with the line, the field and what is wrong."""
    with pytest.raises(McpdError) as error:
        validate_row({**GOOD, field: value}, line=7, country_codes=COUNTRIES)
    assert (error.value.line, error.value.field) == (7, field)
    assert words in error.value.message
    assert str(error.value).startswith(f"line 7, {field}: ")


def test_one_decimal_coordinate_alone_is_refused() -> None:
    """A latitude without its longitude names the missing one."""
    row = {**GOOD, "DECLONGITUDE": ""}
    with pytest.raises(McpdError) as error:
        validate_row(row, line=3, country_codes=COUNTRIES)
    assert error.value.field == "DECLONGITUDE"


@settings(deadline=None)
@given(
    year=st.integers(1000, 2100),
    month=st.one_of(st.none(), st.integers(1, 12)),
    day=st.integers(1, 28),
    with_day=st.booleans(),
)
def test_dates_round_trip(year: int, month: int | None, day: int, with_day: bool) -> None:
    """Any MCPD date, with or without month and day, survives text and back."""
    date = McpdDate(year, month, day if (with_day and month is not None) else None)
    assert parse_date(str(date)) == date


def test_cleaned_values_format_back_to_equivalent_text() -> None:
    """Formatting a cleaned row and validating it again gives the same values."""
    clean = validate_row(GOOD, line=2, country_codes=COUNTRIES)
    text = {name: format_value(value) for name, value in clean.items()}
    assert validate_row(text, line=2, country_codes=COUNTRIES) == clean
