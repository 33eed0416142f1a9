"""The ``minga tally`` command line, called through ``main([...])`` with temporary files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minga.core.tally.command import main

FOOD_BLT = """\
5 3
4 1 0
2 2 1 0
8 3 4 0
4 3 5 0
1 4 0
1 5 0
0
"Oranges"
"Pears"
"Chocolate"
"Strawberries"
"Hamburgers"
"Food"
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_stv_json_has_method_winners_and_rounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--json`` prints one JSON object with method, winners in election order and rounds."""
    status = main(["--method", "stv", "--json", write(tmp_path, "food.blt", FOOD_BLT)])
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "stv"
    assert data["winners"] == ["Chocolate", "Oranges", "Strawberries"]
    assert data["quota"] == 6
    assert data["rounds"][0]["transfers"] == {"Strawberries": 4, "Hamburgers": 2}


def test_stv_text_shows_rounds_and_winners(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without ``--json`` the count is printed round by round, ending with the winners."""
    assert main(["--method", "stv", write(tmp_path, "food.blt", FOOD_BLT)]) == 0
    out = capsys.readouterr().out
    assert "Round 1" in out
    assert "Quota: 6" in out
    assert "Title: Food" in out
    assert out.rstrip().endswith("Winners: Chocolate, Oranges, Strawberries")


def test_seats_option_overrides_the_blt_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--seats 1`` counts the 3-seat file for one seat."""
    assert (
        main(["--method", "stv", "--seats", "1", "--json", write(tmp_path, "f.blt", FOOD_BLT)]) == 0
    )
    assert json.loads(capsys.readouterr().out)["winners"] == ["Chocolate"]


@pytest.mark.parametrize("method", ["irv", "schulze"])
def test_other_ranked_methods_read_blt(
    method: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """IRV and Schulze read the same BLT file; Schulze also reports its matrices."""
    assert main(["--method", method, "--json", write(tmp_path, "f.blt", FOOD_BLT)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == method
    assert data["winners"]
    assert "rounds" in data
    if method == "schulze":
        assert set(data["pairwise"]) == {
            "Oranges",
            "Pears",
            "Chocolate",
            "Strawberries",
            "Hamburgers",
        }
        assert "strongest_paths" in data


def test_bad_blt_exits_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed file prints the line-numbered error to stderr and exits with 2."""
    path = write(tmp_path, "bad.blt", "5 2\n1 1 2 0\n1 9 0\n0\n")
    assert main(["--method", "stv", "--json", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "line 3: candidate number 9 is out of range (1..5)" in captured.err


def test_qualified_majority_from_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--threshold 2/3`` applies to ``--method qualified`` over a ``weight,option`` CSV."""
    path = write(tmp_path, "vote.csv", "weight,option\n10,yes\n5,no\n3,abstain\n")
    assert main(["--method", "qualified", "--threshold", "2/3", "--json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"] == ["yes"]
    assert data["adopted"] is True
    assert data["threshold"] == "2/3"


def test_consent_json_lists_blocks_with_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A block stops the proposal; the JSON keeps every block and objection with reasons."""
    path = write(
        tmp_path,
        "consent.csv",
        "position,reason,voter\nconsent,,\nobjection,too fast,Ana\nblock,against our charter,Bo\n",
    )
    assert main(["--method", "consent", "--json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["adopted"] is False
    assert data["winners"] == []
    assert data["blocks"][0]["reason"] == "against our charter"
    assert data["objections"][0]["voter"] == "Ana"


@pytest.mark.parametrize(
    ("method", "text", "winners"),
    [
        ("majority", "option\nyes\nno\nyes\n", ["yes"]),
        ("approval", "weight,approved\n2,Ana;Bo\n1,Bo\n", ["Bo"]),
        ("score", "Ana,Bo\n5,3\n1,4\n", ["Bo"]),
    ],
)
def test_csv_methods_report_winners(
    method: str, text: str, winners: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Majority, approval and score read their CSV formats and report the winners."""
    assert main(["--method", method, "--json", write(tmp_path, "v.csv", text)]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == winners


def test_csv_error_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad CSV row is reported with its line number and exit status 2."""
    path = write(tmp_path, "v.csv", "weight,option\n1,yes\nlots,no\n")
    assert main(["--method", "majority", path]) == 2
    assert "line 3: weight 'lots'" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown methods, misplaced options and missing files exit with 2 and usage text."""
    path = write(tmp_path, "v.csv", "option\nyes\n")
    assert main(["--method", "borda", path]) == 2
    assert "usage: minga tally" in capsys.readouterr().err
    assert main(["--method", "majority", "--threshold", "2/3", path]) == 2
    assert "--threshold applies only" in capsys.readouterr().err
    assert main(["--method", "majority", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
