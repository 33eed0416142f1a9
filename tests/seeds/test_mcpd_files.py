"""``minga import mcpd`` and ``minga export mcpd``: validation, all or nothing, round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minga.seeds.mcpd import FIELDS
from minga.seeds.models import Accession

HEADER = "INSTCODE,ACCENUMB,GENUS,SPECIES,CROPNAME,ACQDATE,ORIGCTY,DECLATITUDE,DECLONGITUDE,SAMPSTAT,STORAGE,DUPLSITE,REMARKS\n"
ROWS = (
    'VEN001,M-1,Zea,mays,maíz;jojoto,2019----,VEN,10.25,-66.9,300,11;13,VEN002,"=1+1, dicen"\n'
    "VEN001,M-2,Phaseolus,vulgaris,caraota,20200315,VEN,,,300,12,,\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot() -> list[dict[str, Any]]:
    names = [name.lower() for name in FIELDS]
    return list(Accession.objects.order_by("accenumb").values(*names))


def test_import_export_reimport_gives_the_same_data(bank: Any, tmp_path: Path) -> None:
    """Every MCPD field survives export and re-import into an empty bank (full export)."""
    call_command("import_mcpd", str(_write(tmp_path, HEADER + ROWS)), bank=str(bank.uuid))
    first = _snapshot()
    assert len(first) == 2 and first[0]["storage"] == "11;13" and first[0]["declongitude"] == -66.9
    out = tmp_path / "out.csv"
    call_command("export_mcpd", str(out), bank=str(bank.uuid), full=True)
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(FIELDS)
    assert "'=1+1, dicen" in out.read_text(encoding="utf-8")
    Accession.objects.all().delete()
    call_command("import_mcpd", str(out), bank=str(bank.uuid))
    assert _snapshot() == first


def test_public_export_leaves_out_exact_coordinates(bank: Any, tmp_path: Path) -> None:
    call_command("import_mcpd", str(_write(tmp_path, HEADER + ROWS)), bank=str(bank.uuid))
    out = tmp_path / "public.csv"
    call_command("export_mcpd", str(out), bank=str(bank.uuid))
    text = out.read_text(encoding="utf-8")
    assert "-66.9" not in text and "10.25" not in text and "M-1" in text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEADER + ROWS + "VEN001,M-3,Zea,mays,,2019-01-01,VEN,,,300,,,\n", "Line 4, ACQDATE"),
        (HEADER + ROWS + "VEN001,M-4,Zea,mays,,,VE,,,300,,,\n", "Line 4, ORIGCTY"),
        (HEADER + ROWS + "VEN001,M-1,Zea,mays,,,VEN,,,300,,,\n", "Line 4, ACCENUMB"),
        (HEADER + "VEN001,M-5,Zea,mays,,,VEN,95,0,300,,,\n", "Line 2, DECLATITUDE"),
        ("INSTCODE,ACCENUMB,GENUS,COLOUR\nVEN001,A,Zea,red\n", "line 1, COLOUR"),
    ],
)
def test_a_bad_row_names_line_and_field_and_imports_nothing(
    bank: Any, tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("import_mcpd", str(_write(tmp_path, text)), bank=str(bank.uuid))
    assert words in str(error.value) and "Nothing was imported" in str(error.value)
    assert not Accession.objects.exists()
