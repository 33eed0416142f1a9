"""Behaviour of `minga barter FILE [--json]` called through `main([...])`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from minga.core.barter.command import main

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "trademaximizer"

WANTS = """\
#! REQUIRE-COLONS REQUIRE-USERNAMES HIDE-NONTRADES
(alice) A : B C
(bob) B : A
(carol) C : A
(dave) D : A
"""


@pytest.fixture
def wants_file(tmp_path: Path) -> Path:
    path = tmp_path / "wants.txt"
    path.write_text(WANTS, encoding="utf-8")
    return path


def test_json_output_is_one_object_with_the_documented_keys(
    wants_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints a single JSON object with cycles in giving order and the summary."""
    assert main([str(wants_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {
        "items_traded",
        "cycles",
        "participants_served",
        "non_trading_items",
        "total_rank",
    } <= set(out)
    assert out["cycles"] == [["A", "B"]]
    assert out["items_traded"] == 2
    assert out["participants_served"] == ["alice", "bob"]
    assert out["non_trading_items"] == ["C", "D"]
    assert out["total_rank"] == 2


def test_text_output_lists_cycles_counts_and_non_trades(
    wants_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plain output shows the hand-overs, the counts and the items left over; notes go to
    stderr."""
    assert main([str(wants_file)]) == 0
    captured = capsys.readouterr()
    assert "(alice) A -> (bob) for B" in captured.out
    assert "Items traded: 2 of 4" in captured.out
    assert "Participants served: 2: alice bob" in captured.out
    assert "Items that do not trade: 2" in captured.out
    assert "HIDE-NONTRADES" in captured.err


def test_bad_line_exits_2_with_the_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed file gives exit code 2 and a message naming the line."""
    path = tmp_path / "bad.txt"
    path.write_text("#! REQUIRE-COLONS\n(alice) A : B\n(bob) B A\n", encoding="utf-8")
    assert main([str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "line 3: missing ':' after item name B" in captured.err
    assert captured.err.startswith("minga barter: ")


def test_missing_file_and_bad_usage_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unreadable file or a wrong command line gives exit code 2 and the program name."""
    assert main([str(tmp_path / "absent.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main([]) == 2
    assert "usage: minga barter" in capsys.readouterr().err


def test_latin1_file_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files that are not UTF-8 are read as Latin-1 rather than rejected."""
    path = tmp_path / "latin1.txt"
    path.write_bytes("(jos\xe9) A : B\n(ana) B : A\n".encode("latin-1"))
    assert main([str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["participants_served"] == ["ana", "jos\xe9"]


@pytest.mark.skipif(not DATA.is_dir(), reason=f"sample want lists not found at {DATA}")
def test_real_file_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """The real onewant.txt runs end to end; every traded item appears in exactly one cycle."""
    assert main([str(DATA / "onewant.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    flat = [name for cycle in out["cycles"] for name in cycle]
    assert len(flat) == len(set(flat)) == out["items_traded"] > 0
    assert out["items_traded"] + len(out["non_trading_items"]) == out["total_items"]


def test_a_small_run_imports_neither_numpy_nor_networkx(wants_file: Path) -> None:
    """Start-up is most of a small run, so it loads only what it needs: OR-Tools, but not
    NumPy (needed for large instances only), networkx, pathlib or typing."""
    code = (
        "import sys\n"
        "from minga.core.barter.command import main\n"
        f"assert main([{str(wants_file)!r}, '--json']) == 0\n"
        "heavy = ('numpy', 'networkx', 'pathlib', 'typing')\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none', file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(run.stdout)["items_traded"] == 2
    assert run.stderr.splitlines()[-1] == "none"
