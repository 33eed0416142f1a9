"""Reading obligation CSV files: valid shapes are accepted, every error names line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from minga.core.clearing import (
    MAX_TOTAL,
    Obligation,
    ObligationColumns,
    ObligationFileError,
    parse_obligation_columns,
    parse_obligations,
)
from minga.core.clearing.parsing import read_obligation_columns, read_obligations


def test_valid_file_is_parsed_in_order() -> None:
    """Each data row becomes one obligation, in file order, names and amounts stripped."""
    text = "debtor,creditor,amount\nA,B,10\n  Coop Sur , Comuna Norte ,  2500 \n"
    assert parse_obligations(text) == [
        Obligation("A", "B", 10),
        Obligation("Coop Sur", "Comuna Norte", 2500),
    ]


def test_header_columns_may_come_in_any_order_and_case() -> None:
    """The header names the columns; their order and capitalisation do not matter."""
    text = "Amount, CREDITOR ,debtor\n7,B,A\n"
    assert parse_obligations(text) == [Obligation("A", "B", 7)]


def test_quoted_names_bom_crlf_and_blank_lines_are_accepted() -> None:
    """Quoted names with commas, a UTF-8 byte-order mark, CRLF endings and blank lines work."""
    data = '\ufeffdebtor,creditor,amount\r\n\r\n"Café, Ltda.",Ñandú,5\r\n'.encode()
    assert parse_obligations(data) == [Obligation("Café, Ltda.", "Ñandú", 5)]


def test_header_only_file_has_no_obligations() -> None:
    """A header with no rows is a valid, empty network."""
    assert parse_obligations("debtor,creditor,amount\n") == []


def test_reading_from_a_path(tmp_path: Path) -> None:
    """read_obligations reads the file as UTF-8 from disk."""
    path = tmp_path / "debts.csv"
    path.write_text("debtor,creditor,amount\nÁ,B,1\n", encoding="utf-8")
    assert read_obligations(path) == [Obligation("Á", "B", 1)]


def error_of(text: str | bytes) -> ObligationFileError:
    with pytest.raises(ObligationFileError) as caught:
        parse_obligations(text)
    return caught.value


HEADER = "debtor,creditor,amount\n"


@pytest.mark.parametrize(
    ("text", "line", "field", "fragment"),
    [
        (
            HEADER + "A,B,10\nA,B,12.50\n",
            3,
            "amount",
            "'12.50' is not a whole number of minor units",
        ),
        (HEADER + "A,B,12,50\n", 2, None, "expected 3 fields, found 4"),
        (HEADER + "A,B,-5\n", 2, "amount", "is negative"),
        (HEADER + "A,B,0\n", 2, "amount", "must be greater than zero"),
        (HEADER + "A,B,000\n", 2, "amount", "must be greater than zero"),
        (HEADER + "A,B,\n", 2, "amount", "is empty"),
        (HEADER + "A,B,1e3\n", 2, "amount", "not a whole number"),
        (HEADER + "A,B,1_000\n", 2, "amount", "not a whole number"),
        (HEADER + "A,B,+10\n", 2, "amount", "not a whole number"),
        (HEADER + "A,B,١٢\n", 2, "amount", "not a whole number"),
        (HEADER + "A,B,ten\n", 2, "amount", "not a whole number"),
        (HEADER + f"A,B,{MAX_TOTAL + 1}\n", 2, "amount", "exceeds the maximum"),
        (HEADER + "A,B,1" + "0" * 40 + "\n", 2, "amount", "exceeds the maximum"),
        (HEADER + "A,B\n", 2, "amount", "missing"),
        (HEADER + "A\n", 2, "creditor", "missing"),
        (HEADER + " ,B,10\n", 2, "debtor", "organization name is empty"),
        (HEADER + "A,  ,10\n", 2, "creditor", "organization name is empty"),
        (HEADER + ",,\n", 2, "debtor", "organization name is empty"),
        (HEADER + "A,B,1\n\n\nA, A ,10\n", 5, "creditor", "same organization as the debtor"),
        ("A,B,10\n", 1, None, "expected the header row debtor,creditor,amount"),
        ("debtor,creditor\nA,B\n", 1, None, "expected the header row"),
        ("debtor,creditor,amount,note\n", 1, None, "expected the header row"),
        ("debtor,debtor,amount\n", 1, None, "expected the header row"),
        ("", 1, None, "missing header row"),
        ("\n\n", 1, None, "missing header row"),
        (HEADER + 'A,"B,10\n', 2, None, "malformed CSV"),
    ],
)
def test_errors_name_line_and_field(text: str, line: int, field: str | None, fragment: str) -> None:
    """Each malformed input raises ObligationFileError naming its 1-based line and field,
    from the row reader and from the column reader alike."""
    error = error_of(text)
    assert error.line == line
    assert error.field == field
    assert fragment in str(error)
    prefix = f"line {line}, field {field}: " if field else f"line {line}: "
    assert str(error).startswith(prefix)
    with pytest.raises(ObligationFileError) as caught:
        parse_obligation_columns(text)
    assert (caught.value.line, caught.value.field, str(caught.value)) == (
        error.line,
        error.field,
        str(error),
    )


def test_decimal_amount_message_is_exact() -> None:
    """The message for a decimal amount reads exactly as documented."""
    text = HEADER + "".join(f"A,B,{i}\n" for i in range(1, 11)) + "A,B,12.50\n"
    assert str(error_of(text)) == (
        "line 12, field amount: '12.50' is not a whole number of minor units"
    )


def test_total_overflow_names_the_line_where_it_happens() -> None:
    """Amounts that each fit but together exceed 2**63 - 1 fail at the line that overflows."""
    half = MAX_TOTAL // 2 + 1
    error = error_of(HEADER + f"A,B,1\nA,B,{half}\nB,A,{half}\n")
    assert (error.line, error.field) == (4, "amount")
    assert "add up to" in str(error)


def test_invalid_utf8_names_the_line() -> None:
    """Bytes that are not UTF-8 are reported on the line where they occur."""
    error = error_of(HEADER.encode() + b"A,B,1\nCaf\xe9,B,2\n")
    assert error.line == 3
    assert "UTF-8" in str(error)


def test_errors_give_no_partial_result() -> None:
    """All or nothing: one bad row late in the file means no obligations at all."""
    text = HEADER + "A,B,1\n" * 1000 + "A,B,x\n"
    with pytest.raises(ObligationFileError):
        parse_obligations(text)


# --- the column reader -------------------------------------------------------


def as_rows(columns: ObligationColumns) -> list[Obligation]:
    return [
        Obligation(debtor, creditor, amount)
        for debtor, creditor, amount in zip(
            columns.debtors, columns.creditors, columns.amounts, strict=True
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "A,B,10\nB,C,20\n",
        HEADER + "A,B,10\nB,C,20",  # no newline at the end
        "amount,creditor,debtor\n5,B,A\n",
        HEADER + "  Coop Sur , Comuna Norte ,  2500 \n",
        HEADER + "A,B,0000000000000000000000000000001\n",  # long, but small
        HEADER + "A,B,1\r\nB,A,2\r\n",
        HEADER + '"Café, Ltda.",Ñandú,5\n',  # quoted: read row by row
        HEADER + "A,B,1\n\n  \nB,A,2\n",  # blank lines: read row by row
        "\n" + HEADER + "A,B,1\n",  # blank line before the header
        HEADER + "A,B,1\rB,A,2\r",  # old Mac line ends
        HEADER,
    ],
)
def test_column_reader_reads_what_the_row_reader_reads(text: str) -> None:
    """Plain files and unusual but valid ones give the same rows, in the same order."""
    assert as_rows(parse_obligation_columns(text)) == parse_obligations(text)
    data = text.encode()
    assert as_rows(parse_obligation_columns(data)) == parse_obligations(data)


def test_column_reader_reads_from_a_path(tmp_path: Path) -> None:
    """read_obligation_columns reads the file as UTF-8 from disk, a byte-order mark aside."""
    path = tmp_path / "debts.csv"
    path.write_bytes("\ufeffdebtor,creditor,amount\nÁ,B,1\n".encode())
    assert as_rows(read_obligation_columns(path)) == [Obligation("Á", "B", 1)]


# Mostly valid rows, with now and then a piece that trips one check of the fast
# path: quotes, empty and space-only cells, NUL, non-ASCII digits and spaces, zero,
# signs, decimals, and amounts around the 64-bit limit.
NAMES = st.sampled_from(
    [*"ABCDEFGHIJKLMNOPQRST", "Ñandú", " u ", "org 7", "v\u2003", "\tw", "x\x1c", "y\x0b"]
)
AMOUNTS = st.sampled_from(["1", "7", "12", "250", "0" * 25 + "4", str(MAX_TOTAL // 4)])
ODD = st.sampled_from(
    [
        "", " ", "0", "00", "-5", "+5", "1.5", "1_0", "٣", "\u00b2", "A",
        str(MAX_TOTAL), str(MAX_TOTAL + 1), "9" * 20, '"A"', '"A,B"', 'x"y', "\x00",
    ]
)  # fmt: skip
SEPARATORS = st.sampled_from([",", "\n", "\r\n", "\r", ",,", "\n\n", " \n"])


def mostly(usual: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.integers(0, 59).flatmap(lambda roll: ODD if roll == 0 else usual)


@st.composite
def obligation_texts(draw: st.DrawFn) -> str:
    header = draw(
        st.sampled_from([HEADER] * 4 + ["Creditor, AMOUNT ,debtor\n", "debtor,creditor\n"])
    )
    order = [0, 1, 2] if header.startswith("debtor") else [1, 2, 0]
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        cells = [draw(mostly(NAMES)), draw(mostly(NAMES)), draw(mostly(AMOUNTS))]
        rows.append(",".join(cells[k] for k in order) + "\n")
    text = header + "".join(rows)
    if draw(st.booleans()):
        text = text.removesuffix("\n")
    # Now and then a separator goes astray: a row gains or loses a field, a line
    # breaks in two, a blank line or a CR appears.
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SEPARATORS) + text[at:]
    return text


def outcome(parse: Callable[[str], list[Obligation]], text: str) -> object:
    """The rows read, or the error's line, field and message."""
    try:
        return parse(text)
    except ObligationFileError as error:
        return (error.line, error.field, str(error))


@settings(max_examples=1500, deadline=None)
@given(obligation_texts())
@example(HEADER + "A,B,1\nB,A\nC,D,2,\n")  # two wrong rows that add up to right
@example(HEADER + f"A,B,{MAX_TOTAL}\nB,A,1\n")  # each fits, the total does not
def test_column_reader_agrees_with_the_row_reader(text: str) -> None:
    """Whatever the text, the column reader accepts the same rows or raises the same error
    (same line, field and message) as the row reader."""
    columns = outcome(lambda text: as_rows(parse_obligation_columns(text)), text)
    assert columns == outcome(parse_obligations, text)
