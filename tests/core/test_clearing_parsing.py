"""Reading obligation CSV files: valid shapes are accepted, every error names line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from minga.core.clearing import MAX_TOTAL, Obligation, ObligationFileError, parse_obligations
from minga.core.clearing.parsing import read_obligations


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
    """Each malformed input raises ObligationFileError naming its 1-based line and field."""
    error = error_of(text)
    assert error.line == line
    assert error.field == field
    assert fragment in str(error)
    prefix = f"line {line}, field {field}: " if field else f"line {line}: "
    assert str(error).startswith(prefix)


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
