"""A proposal's translations (with a language switch) and its supporting documents."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minga.assemblies import services
from minga.assemblies.models import ProposalTranslation, SupportingDocument
from minga.common.errors import DomainError
from minga.common.models import Visibility

from .conftest import Congress, proposal_to_vote

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe9\xeb\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_translation_is_shown_with_a_language_switch(congress: Congress) -> None:
    """A translation is chosen with ?lang=; the original is marked as such; translating
    again replaces the text and notes the version it was made from."""
    proposal = proposal_to_vote(congress)
    services.proposal_translation_save(
        actor=congress.delegates[1],
        proposal=proposal,
        language="ht",
        title="Fon komen",
        text="Nou kreye yon fon *komen*.",
    )
    client = Client()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'id="lang-ht"' in page and "(original)" in page
    assert "Creamos un fondo común." in page
    translated = client.get(proposal.get_absolute_url(), {"lang": "ht"}).content.decode()
    assert '<article lang="ht" id="translation">' in translated
    assert "<em>komen</em>" in translated and "Fon komen" in translated
    services.proposal_translation_save(
        actor=congress.delegates[2], proposal=proposal, language="ht", text="Dezyèm"
    )
    translation = ProposalTranslation.objects.get()
    assert translation.text == "Dezyèm" and translation.translator == congress.delegates[2]
    assert translation.version.number == 1


def test_translation_refusals(congress: Congress) -> None:
    """The original's language and an empty text are refused, naming the field."""
    proposal = proposal_to_vote(congress)
    with pytest.raises(DomainError) as error:
        services.proposal_translation_save(
            actor=congress.delegates[0], proposal=proposal, language="es", text="x"
        )
    assert error.value.field == "language"
    with pytest.raises(DomainError) as error:
        services.proposal_translation_save(
            actor=congress.delegates[0], proposal=proposal, language="pt", text=" "
        )
    assert error.value.field == "text"
    assert not ProposalTranslation.objects.exists()


def test_translate_page(congress: Congress) -> None:
    """A delegate translates from the page; an outsider is refused (403)."""
    proposal = proposal_to_vote(congress)
    url = reverse("assemblies:proposal_translate", args=[proposal.uuid])
    assert _client(congress.outsider).get(url).status_code == 403
    response = _client(congress.delegates[0]).post(
        url, {"language": "fr", "title": "Fonds", "text": "Nous créons un fonds."}
    )
    assert response.status_code == 302 and response["Location"].endswith("?lang=fr")
    assert ProposalTranslation.objects.get().language == "fr"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("acta.pdf", PDF, "pdf"), ("mapa.PNG", PNG, "png"), ("t.odt", ODT, "odt"),
     ("t.docx", DOCX, "docx"), ("f.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg")],
)  # fmt: skip
def test_documents_are_accepted_by_extension_and_magic_bytes(
    congress: Congress, name: str, data: bytes, kind: str
) -> None:
    """Each allowed kind is stored under a random name, with its original name kept."""
    proposal = proposal_to_vote(congress)
    document = services.proposal_document_add(
        actor=congress.delegates[0], proposal=proposal, upload=SimpleUploadedFile(name, data)
    )
    assert document.kind == kind and document.original_name == name
    assert name not in document.file.name and document.file.name.endswith(f".{kind}")
    assert document.size == len(data)


@pytest.mark.parametrize(
    ("name", "data"),
    [("virus.exe", b"MZ"), ("falso.pdf", PNG), ("falso.png", PDF), ("falso.docx", ODT),
     ("falso.odt", DOCX), ("zip.docx", b"PK\x03\x04broken"), ("sin-extension", PDF)],
)  # fmt: skip
def test_documents_refused_when_contents_do_not_match(
    congress: Congress, name: str, data: bytes
) -> None:
    """Wrong extensions and contents that do not match their extension are refused."""
    proposal = proposal_to_vote(congress)
    with pytest.raises(DomainError) as error:
        services.proposal_document_add(
            actor=congress.delegates[0], proposal=proposal, upload=SimpleUploadedFile(name, data)
        )
    assert error.value.field == "file"
    assert not SupportingDocument.objects.exists()


def test_documents_over_five_megabytes_are_refused(congress: Congress) -> None:
    """A document above 5 MB is refused before anything is stored."""
    proposal = proposal_to_vote(congress)
    big = SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(DomainError) as error:
        services.proposal_document_add(actor=congress.delegates[0], proposal=proposal, upload=big)
    assert error.value.field == "file" and not SupportingDocument.objects.exists()


def test_document_upload_page_listing_and_protected_download(congress: Congress) -> None:
    """A delegate uploads from the page; it is listed and served to readers of the
    proposal, and not to others once the proposal is restricted."""
    proposal = proposal_to_vote(congress)
    client = _client(congress.delegates[0])
    response = client.post(
        reverse("assemblies:proposal_document_add", args=[proposal.uuid]),
        {"title": "Presupuesto", "file": SimpleUploadedFile("p.pdf", PDF)},
    )
    assert response.status_code == 302
    document = SupportingDocument.objects.get()
    page = Client().get(proposal.get_absolute_url()).content.decode()
    assert "Presupuesto" in page and document.file.url in page
    assert Client().get(document.file.url).status_code == 200
    proposal.visibility = Visibility.CUSTODIANS
    proposal.save()
    assert Client().get(document.file.url).status_code == 404
    refused = _client(congress.outsider).post(
        reverse("assemblies:proposal_document_add", args=[proposal.uuid]),
        {"file": SimpleUploadedFile("p.pdf", PDF)},
    )
    assert refused.status_code == 404
