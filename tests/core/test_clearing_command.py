"""The ``minga clearing`` command, driven through ``main([...])`` with temporary files."""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

import pytest

from minga.core.clearing.command import main

CYCLE = "debtor,creditor,amount\nA,B,10\nB,C,10\nC,A,10\nC,D,5\n"
OUTPUTS = {"setoff.csv", "positions.csv", "report.json"}


def write(tmp_path: Path, text: str, name: str = "debts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_readable_report_on_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json the command prints a per-organization table, totals and the percentage,
    and writes the files beside the input by default."""
    assert main([str(write(tmp_path, CYCLE))]) == 0
    out = capsys.readouterr().out
    assert "Organization" in out
    assert "Total debt before: 35" in out
    assert "Total debt after:  5" in out
    assert "Cleared:           30 (85.71 %)" in out
    assert {path.name for path in (tmp_path / "debts.csv.clearing").iterdir()} == OUTPUTS


def test_no_files_writes_nothing(tmp_path: Path) -> None:
    """With --no-files only the report is printed; nothing is written beside the input."""
    assert main([str(write(tmp_path, CYCLE)), "--no-files"]) == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "debts.csv"]


def test_json_output_is_one_object_with_the_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints exactly one JSON object with integer totals, percentage and details."""
    assert main([str(write(tmp_path, CYCLE)), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"total_before", "total_after", "cleared", "percent_cleared"} <= set(report)
    assert {"organizations", "setoff"} <= set(report)
    assert (report["total_before"], report["total_after"], report["cleared"]) == (35, 5, 30)
    assert all(type(report[key]) is int for key in ("total_before", "total_after", "cleared"))
    assert report["percent_cleared"] == "85.71"
    by_name = {row["organization"]: row for row in report["organizations"]}
    assert by_name["C"] == {
        "organization": "C",
        "payable_before": 15,
        "receivable_before": 10,
        "payable_after": 5,
        "receivable_after": 0,
        "net": -5,
    }
    assert len(report["setoff"]) == 4


def test_json_is_compact_unless_pretty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one compact line; --pretty indents the same object by two spaces, on
    stdout and in report.json alike."""
    path = write(tmp_path, CYCLE)
    assert main([str(path), "--json", "--no-files"]) == 0
    compact = capsys.readouterr().out
    assert compact.count("\n") == 1 and compact.endswith("}\n")
    report = json.loads(compact)
    out_dir = tmp_path / "out"
    assert main([str(path), "--json", "--pretty", "--out-dir", str(out_dir)]) == 0
    pretty = capsys.readouterr().out
    assert pretty == json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    assert (out_dir / "report.json").read_text(encoding="utf-8") == pretty
    assert main([str(path), "--out-dir", str(out_dir)]) == 0
    assert (out_dir / "report.json").read_text(encoding="utf-8") == compact


def test_out_dir_receives_setoff_positions_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out-dir writes setoff.csv, positions.csv and report.json (creating the directory)."""
    out_dir = tmp_path / "out" / "nested"
    assert main([str(write(tmp_path, CYCLE)), "--json", "--out-dir", str(out_dir)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {path.name for path in out_dir.iterdir()} == OUTPUTS, "and no temporary files"
    assert json.loads((out_dir / "report.json").read_text(encoding="utf-8")) == printed
    with (out_dir / "setoff.csv").open(encoding="utf-8", newline="") as handle:
        setoff = list(csv.DictReader(handle))
    assert list(setoff[0]) == ["debtor", "creditor", "amount_cleared", "amount_remaining"]
    assert {(r["debtor"], r["creditor"]): int(r["amount_remaining"]) for r in setoff} == {
        ("A", "B"): 0,
        ("B", "C"): 0,
        ("C", "A"): 0,
        ("C", "D"): 5,
    }
    with (out_dir / "positions.csv").open(encoding="utf-8", newline="") as handle:
        positions = list(csv.DictReader(handle))
    assert list(positions[0]) == [
        "organization",
        "payable_before",
        "receivable_before",
        "payable_after",
        "receivable_after",
        "net",
    ]
    assert [row["organization"] for row in positions] == ["A", "B", "C", "D"]
    assert sum(int(row["net"]) for row in positions) == 0


def test_outputs_get_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    """The files are readable as the user's umask allows (not private temporary files),
    and no temporary file is left behind."""
    umask = os.umask(0o027)
    try:
        assert main([str(write(tmp_path, CYCLE)), "--out-dir", str(tmp_path / "out")]) == 0
    finally:
        os.umask(umask)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (tmp_path / "out").iterdir()}
    assert modes == dict.fromkeys(OUTPUTS, 0o640)


def test_success_replaces_previous_outputs(tmp_path: Path) -> None:
    """A successful run overwrites the files of an earlier run."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "report.json").write_text("old", encoding="utf-8")
    assert main([str(write(tmp_path, CYCLE)), "--out-dir", str(out_dir)]) == 0
    assert json.loads((out_dir / "report.json").read_text(encoding="utf-8"))["cleared"] == 30


def test_quoted_names_and_blank_lines_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file the quick column reader hands to the row reader (quotes, blank lines, CRLF)
    clears like its plain twin, names with commas quoted again in setoff.csv."""
    text = 'debtor,creditor,amount\r\n"Café, Ltda.",B,10\r\n\r\nB,C,10\r\nC,"Café, Ltda.",10\r\n'
    out_dir = tmp_path / "out"
    assert main([str(write(tmp_path, text)), "--json", "--out-dir", str(out_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["cleared"] == 30
    setoff = (out_dir / "setoff.csv").read_text(encoding="utf-8")
    assert setoff.splitlines()[1] == '"Café, Ltda.",B,10,0'


def test_bad_input_exits_2_names_line_and_field_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed row: error on stderr with line and field, exit 2, no output files at all."""
    path = write(tmp_path, "debtor,creditor,amount\nA,B,10\nB,C,12.50\n")
    out_dir = tmp_path / "out"
    assert main([str(path), "--json", "--out-dir", str(out_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "minga clearing: error:" in captured.err
    assert "line 3, field amount: '12.50' is not a whole number of minor units" in captured.err
    assert not out_dir.exists()


def test_bad_input_leaves_existing_outputs_untouched(tmp_path: Path) -> None:
    """Failure never overwrites or adds files in an existing output directory."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "report.json").write_text("previous", encoding="utf-8")
    path = write(tmp_path, "debtor,creditor,amount\nA,A,10\n")
    assert main([str(path), "--out-dir", str(out_dir)]) == 2
    assert [p.name for p in out_dir.iterdir()] == ["report.json"]
    assert (out_dir / "report.json").read_text(encoding="utf-8") == "previous"


def test_overflowing_totals_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Amounts that together exceed 64-bit integers are an input error, not a crash."""
    half = 2**62
    path = write(tmp_path, f"debtor,creditor,amount\nA,B,{half}\nB,A,{half}\n")
    assert main([str(path), "--json"]) == 2
    assert "line 3, field amount" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that cannot be read is reported on stderr with exit code 2."""
    assert main([str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_usage_errors_exit_2_with_the_program_name(capsys: pytest.CaptureFixture[str]) -> None:
    """Missing arguments or unknown options give argparse's usage message and exit 2."""
    assert main([]) == 2
    assert "usage: minga clearing" in capsys.readouterr().err
    assert main(["x.csv", "--frobnicate"]) == 2


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """--help prints usage naming 'minga clearing' and exits successfully."""
    assert main(["--help"]) == 0
    assert "usage: minga clearing" in capsys.readouterr().out


def test_empty_network_is_reported_without_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header-only file clears nothing and reports 0.00 %."""
    assert main([str(write(tmp_path, "debtor,creditor,amount\n")), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["total_before"], report["cleared"], report["percent_cleared"]) == (0, 0, "0.00")
