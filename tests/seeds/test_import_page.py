"""The import and export page of MCPD files: all or nothing, errors naming line and field in
the reader's language, a file sent twice changes nothing, and who may do what."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minga.common.models import Visibility
from minga.seeds.models import Accession
from tests.seeds import factories as seeds

HEADER = "INSTCODE,ACCENUMB,GENUS,SPECIES,ORIGCTY,DECLATITUDE,DECLONGITUDE,SAMPSTAT\n"
GOOD = HEADER + (
    "VEN001,P-1,Zea,mays,VEN,10.25,-66.9,300\n"
    "VEN001,P-2,Phaseolus,vulgaris,VEN,,,300\n"
    "VEN001,P-3,Triticum,aestivum,SUN,,,300\n"
)


def _client(user: Any = None, language: str = "") -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies["minga_language"] = language
    return client


def _send(client: Client, bank: Any, text: str | bytes, **fields: str) -> Any:
    data = text.encode("utf-8") if isinstance(text, str) else text
    upload = SimpleUploadedFile("passport.csv", data, content_type="text/csv")
    return client.post(
        f"/seeds/banks/{bank.uuid}/import/",
        {"file": upload, "visibility": Visibility.PUBLIC, **fields},
        follow=True,
    )


def test_keeper_imports_a_file_then_sending_it_again_changes_nothing(
    bank: Any, keeper: Any
) -> None:
    """Three accessions (one from the USSR, a former country ISO 3166-3 keeps) are imported
    and confirmed; the same file again is refused as already imported, nothing doubled."""
    client = _client(keeper)
    page = _send(client, bank, GOOD).content.decode()
    assert "3 accessions were imported." in page
    assert Accession.objects.filter(bank=bank).count() == 3
    assert Accession.objects.get(accenumb="P-3").origcty == "SUN"
    page = _send(client, bank, GOOD).content.decode()
    assert "already in the bank: it was imported before" in page
    assert Accession.objects.filter(bank=bank).count() == 3


def test_a_bad_line_names_line_and_field_and_imports_nothing(bank: Any, keeper: Any) -> None:
    """A country code of two letters on line 4 refuses the whole file, saying where; a file
    that is not UTF-8 is refused as such."""
    client = _client(keeper)
    bad = GOOD + "VEN001,P-4,Zea,mays,VE,,,300\n"
    page = _send(client, bank, bad).content.decode()
    assert "Line 5, ORIGCTY: “VE” is not a country code of three letters" in page
    assert not Accession.objects.exists()
    page = _send(client, bank, GOOD.encode("latin-1", "replace") + b"\xe9\n").content.decode()
    assert "The file is not UTF-8 text." in page
    assert not Accession.objects.exists()


def test_errors_speak_the_reader_language(bank: Any, keeper: Any) -> None:
    """In French, the refusal of a bad date is French and still names line and field."""
    client = _client(keeper, language="fr")
    page = _send(
        client, bank, HEADER.replace("SAMPSTAT", "ACQDATE") + "VEN001,F-1,Zea,mays,VEN,,,2019-1\n"
    )
    text = page.content.decode()
    assert "ACQDATE" in text and "Ligne 2" in text
    assert "is not a date" not in text
    assert not Accession.objects.exists()


def test_members_only_import_and_the_export_each_reader_gets(
    bank: Any, keeper: Any, neighbour_keeper: Any
) -> None:
    """Imported as members only, the accessions leave the public export; the public export
    has no coordinates and the keeper's has them; another commune cannot import."""
    client = _client(keeper)
    _send(client, bank, GOOD, visibility=Visibility.ORGANIZATIONS)
    seeds.accession(bank, DECLATITUDE="-13.5", DECLONGITUDE="-71.9")
    public = _client().get(f"/seeds/banks/{bank.uuid}/mcpd.csv").content.decode()
    assert public.count("\n") == 2 and "-71.9" not in public and "P-1" not in public
    own = client.get(f"/seeds/banks/{bank.uuid}/mcpd.csv").content.decode()
    assert own.count("\n") == 5 and "-71.9" in own and "-66.9" in own
    stranger = _client(neighbour_keeper)
    assert stranger.get(f"/seeds/banks/{bank.uuid}/import/").status_code == 403
    upload = SimpleUploadedFile("p.csv", GOOD.encode(), content_type="text/csv")
    response = stranger.post(f"/seeds/banks/{bank.uuid}/import/", {"file": upload})
    assert response.status_code == 403
    assert _client().get(f"/seeds/banks/{bank.uuid}/import/").status_code == 302
