"""Importing and exporting organizations: all or nothing, errors by line and field."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from minga.common.models import Visibility
from minga.registry.models import Organization
from minga.registry.organization_files import ImportFileError, parse_csv, parse_json
from tests import factories

HEADER = "slug,kind,name,country,region,area,languages,founded_on,email,phone,name_en\n"
GOOD = (
    HEADER
    + "comuna-a,commune,Comuna A,VE,south-america,Lara,es qu,2010-05-01,a@example.org,+58 1,Commune A\n"
    + "sind-b,union,Sindicato B,AR,south-america,,es,,,,\n"
)


def _run(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_organizations", str(path), "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_csv_import_creates_organizations_with_languages_and_contacts(
    tmp_path: Path, db: None
) -> None:
    """Every column lands in its place; phones are members-only, emails public."""
    output = _run(tmp_path, "orgs.csv", GOOD)
    assert "2 organizations created" in output
    commune = Organization.objects.get(slug="comuna-a")
    assert commune.area == "Lara" and commune.names == {"en": "Commune A"}
    assert sorted(commune.languages.values_list("code", flat=True)) == ["es", "qu"]
    assert {c.kind: c.visibility for c in commune.contact_channels.all()} == {
        "email": Visibility.PUBLIC,
        "phone": Visibility.ORGANIZATIONS,
    }


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, db: None) -> None:
    """A second run updates the same rows by slug: no duplicates, a safe retry."""
    _run(tmp_path, "orgs.csv", GOOD)
    output = _run(tmp_path, "orgs.csv", GOOD)
    assert "0 organizations created, 2 updated" in output
    assert Organization.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "line", "field"),
    [
        ("x,club,Club,VE,south-america,,,,,,\n", 3, "kind"),
        ("x,commune,,VE,south-america,,,,,,\n", 3, "name"),
        ("x,commune,X,XX,south-america,,,,,,\n", 3, "country"),
        ("x,commune,X,VE,south-america,,,01/02/2020,,,\n", 3, "founded_on"),
        ("comuna-a,commune,Again,VE,south-america,,,,,,\n", 3, "slug"),
        ("x,commune,X,VE,moon,,,,,,\n", 3, "region"),
        ("x,commune,X,VE,south-america,,zz,,,,\n", 3, "languages"),
    ],
)
def test_a_bad_row_names_line_and_field_and_nothing_is_imported(
    tmp_path: Path, db: None, row: str, line: int, field: str
) -> None:
    """One bad row aborts the whole file, and the message points at it."""
    text = HEADER + "comuna-a,commune,Comuna A,VE,south-america,,,,,,\n" + row
    with pytest.raises(CommandError) as error:
        _run(tmp_path, "bad.csv", text)
    assert f"line {line}, field {field}" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert not Organization.objects.exists()


def test_unknown_column_is_reported(db: None) -> None:
    """A column the format does not know is named, on line 1."""
    with pytest.raises(ImportFileError) as error:
        parse_csv("name,kind,colour\nX,commune,red\n")
    assert (error.value.line, error.value.field) == (1, "colour")


def test_json_errors_point_at_the_object_line(db: None) -> None:
    """In JSON the error names the line where the faulty object starts."""
    text = '[\n {"name": "A", "kind": "commune", "country": "VE", "region": "south-america"},\n {"name": "B", "kind": "nope", "country": "VE", "region": "south-america"}\n]'
    with pytest.raises(ImportFileError) as error:
        parse_json(text)
    assert (error.value.line, error.value.field) == (3, "kind")
    with pytest.raises(ImportFileError) as broken:
        parse_json('[\n{"name": \n')
    assert broken.value.line >= 2


def test_export_round_trips_and_leaves_out_restricted(tmp_path: Path, db: None) -> None:
    """Exported public organizations import back identically; restricted ones never leave."""
    factories.organization(name="Pública", slug="publica", area="Zulia")
    factories.organization(name="Reservada", slug="reservada", visibility=Visibility.SERVER)
    for name in ("out.csv", "out.json"):
        target = tmp_path / name
        call_command("export_organizations", str(target), stderr=StringIO())
        text = target.read_text(encoding="utf-8")
        assert "Reservada" not in text
        records = (parse_json if name.endswith(".json") else parse_csv)(text)
        assert [(r.data.slug, r.data.area) for r in records] == [("publica", "Zulia")]
    data = json.loads((tmp_path / "out.json").read_text())
    assert data["organizations"][0]["name"] == "Pública"


def test_import_of_a_missing_file_is_a_clear_error(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_organizations", str(tmp_path / "missing.csv"))


def test_admin_export_action(admin_user: Any) -> None:
    """Staff can export selected organizations from the admin as CSV."""
    admin_client = factories.verified_client(admin_user)
    organization = factories.organization(name="Desde el admin")
    response = admin_client.post(
        "/admin/registry/organization/",
        {"action": "export_csv", "_selected_action": [organization.pk]},
    )
    assert response.status_code == 200
    assert "Desde el admin" in response.content.decode()


def test_admin_import_is_all_or_nothing(admin_user: Any) -> None:
    """Staff upload a file in the admin: a bad row is named and nothing is imported."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = factories.verified_client(admin_user)
    url = "/admin/registry/organization/import/"
    assert client.get(url).status_code == 200
    bad = GOOD + "x,club,Club,VE,south-america,,,,,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("orgs.csv", bad.encode())}, follow=True)
    assert "line 4, field kind" in response.content.decode().lower()
    assert not Organization.objects.exists()
    response = client.post(
        url, {"file": SimpleUploadedFile("orgs.csv", GOOD.encode())}, follow=True
    )
    assert Organization.objects.count() == 2
