"""The ``minga viability`` command."""

from __future__ import annotations

import json

import pytest

from minga.cli import main as minga_main
from minga.core.viability.command import main

WHEAT = ["--ke", "9.043", "--cw", "5.183", "--ch", "0.0351", "--cq", "0.000475"]
LOT = ["--initial", "95", "--moisture", "12", "--temperature", "20", "--days", "365"]


def test_json_output_has_viability_percent(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object whose viability_percent is about 73.7 for the wheat lot."""
    assert main([*WHEAT, *LOT, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["viability_percent"] == pytest.approx(73.7, abs=0.05)
    assert result["constants"] == {"ke": 9.043, "cw": 5.183, "ch": 0.0351, "cq": 0.000475}


def test_minga_command_runs_the_core(capsys: pytest.CaptureFixture[str]) -> None:
    """`minga viability` goes to the core without loading Django; universal terms by default."""
    assert minga_main(["viability", "--ke", "9.043", "--cw", "5.183", *LOT, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["viability_percent"] == pytest.approx(76.696, abs=0.001)
    assert "Dickie" in result["source"]


def test_species_from_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    """--species wheat uses the table's row and prints its citation and the regeneration day."""
    assert main(["--species", "Triticum aestivum", *LOT, "--threshold", "85"]) == 0
    out = capsys.readouterr().out
    assert "Predicted viability after 365 days: 73.7 %" in out
    assert "Ellis et al. (2007)" in out
    assert "Days until 85 %: 219.7" in out


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        ([*LOT], "ke"),
        (["--species", "Amaranthus caudatus", *LOT], "species"),
        (["--ke", "9", "--cw", "5", "--ch", "0.03", *LOT], "ch"),
        (
            [*WHEAT, "--initial", "100", "--moisture", "12", "--temperature", "20", "--days", "1"],
            "initial",
        ),
        ([*WHEAT, "--initial", "abc"], "arguments"),
    ],
)
def test_bad_input_exits_2_naming_the_option(
    argv: list[str], field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input exits with 2 and a one-line message naming the option, never a traceback."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"minga viability: error: {field}:")
    assert "Traceback" not in err
