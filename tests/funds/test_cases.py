"""The legal-support case register: sealed at rest, read by its team only (superusers
included), every read logged, deleted for good at the person's request, re-encrypted
under a new key without losing anything, and reminders that name nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.permissions import has_perm
from minga.funds import case_data, checks, sealing, selectors, services
from minga.funds.models import (
    CaseDate,
    CaseDeletion,
    CaseDocument,
    CaseIdentity,
    CaseMember,
    CaseNote,
    CaseRead,
    LegalCase,
    Movement,
)
from minga.funds.types import CaseReadKind
from tests import factories
from tests.funds.factories import FundsWorld, client_for, fund, legal_case

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str = "ruling.pdf", body: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + body, content_type="application/pdf")


def _root() -> Any:
    return factories.person("root", is_superuser=True, is_staff=True)


# Keys ----------------------------------------------------------------------------------


def test_keyring_lines_are_parsed_and_bad_ones_named() -> None:
    """A keyring reads `id:key` lines, the first current; a bad line is named by number."""
    first, second = sealing.new_key_line(), sealing.new_key_line()
    keyring = sealing.parse_keyring(f"{first}\n# retired soon\n{second}\n")
    assert keyring.current[0] == first.split(":")[0]
    assert [key_id for key_id, _k in keyring.keys] == [first.split(":")[0], second.split(":")[0]]
    with pytest.raises(sealing.KeyNotConfiguredError, match="key 2: the key must be 32 bytes"):
        sealing.parse_keyring(f"{first}\nshort:AAAA")
    with pytest.raises(sealing.KeyNotConfiguredError, match="key 1: write it as ID:KEY"):
        sealing.parse_keyring("no key here")
    with pytest.raises(sealing.KeyNotConfiguredError, match="used twice"):
        sealing.parse_keyring(f"{first}\n{first}")


def test_a_sealed_value_opens_only_in_its_place_and_unaltered() -> None:
    key = sealing.new_data_key()
    sealed = sealing.seal(key, b"secret", "case|a|note|1")
    assert sealing.unseal(key, sealed, "case|a|note|1") == b"secret"
    assert b"secret" not in sealed
    with pytest.raises(sealing.SealBrokenError):
        sealing.unseal(key, sealed, "case|b|note|1")
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(sealing.SealBrokenError):
        sealing.unseal(key, altered, "case|a|note|1")
    with pytest.raises(sealing.SealBrokenError):
        sealing.unseal(sealing.new_data_key(), sealed, "case|a|note|1")


def test_the_server_refuses_to_start_without_a_key(settings: Any, tmp_path: Path) -> None:
    """No key: the system check fails with a message saying what to set. A key file
    inside the data directory is refused too; one outside it passes."""
    settings.CASES_KEYS, settings.CASES_KEY_FILE = "", ""
    errors = checks.cases_key_configured()
    assert [e.id for e in errors] == ["funds.E001"]
    assert "MINGA_CASES_KEY_FILE" in errors[0].msg
    inside = Path(settings.DATA_DIR) / "cases.key"
    inside.write_text(sealing.new_key_line())
    settings.CASES_KEY_FILE = str(inside)
    assert "inside the data directory" in checks.cases_key_configured()[0].msg
    outside = tmp_path / "keys" / "cases.key"
    outside.parent.mkdir()
    outside.write_text(sealing.new_key_line())
    settings.CASES_KEY_FILE = str(outside)
    assert checks.cases_key_configured() == []


def test_production_server_stops_at_start_without_a_key(tmp_path: Path) -> None:
    """`minga check` (which migrate and the server run first) stops with funds.E001."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minga.settings.production",
        "MINGA_SECRET_KEY": "k" * 50,
        "MINGA_DATA_DIR": str(tmp_path),
    }
    for name in ("MINGA_CASES_KEYS", "MINGA_CASES_KEY_FILE", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "funds.E001" in result.stderr
    assert "legal cases cannot be encrypted" in result.stderr


def test_without_a_key_opening_a_case_is_refused_with_a_clear_error(
    w: FundsWorld, settings: Any
) -> None:
    f = fund(w)
    settings.CASES_KEYS, settings.CASES_KEY_FILE = "", ""
    with pytest.raises(DomainError) as refusal:
        legal_case(w, f)
    assert refusal.value.code == "cases_key_missing"
    assert not LegalCase.objects.exists()


# Sealed at rest --------------------------------------------------------------------------


def test_case_content_is_sealed_in_the_database(w: FundsWorld) -> None:
    """Pseudonym, place, summary, identity, dates' details, notes and documents are
    ciphertext in their rows; the clear fields are the coarse ones only."""
    f = fund(w)
    case = legal_case(w, f, pseudonym="Pseudo-XYZ", place="Place-XYZ", summary="Summary-XYZ")
    services.identity_set(actor=w.first, case=case, identity={"legal_name": "Name-XYZ"})
    services.date_add(
        actor=w.first, case=case, kind="hearing", on=timezone.localdate(), what="What-XYZ"
    )
    services.note_add(actor=w.first, case=case, text="Note-XYZ")
    services.document_add(actor=w.first, case=case, upload=_pdf(body=b"Doc-XYZ"), title="T-XYZ")
    rows = [
        bytes(LegalCase.objects.get().sealed),
        bytes(CaseIdentity.objects.get().sealed),
        bytes(CaseDate.objects.get().sealed),
        bytes(CaseNote.objects.get().sealed),
        bytes(CaseDocument.objects.get().sealed),
        bytes(CaseDocument.objects.get().content),
    ]
    for row in rows:
        assert b"XYZ" not in row
    fresh = LegalCase.objects.get()
    assert case_data.case_fields(fresh)["pseudonym"] == "Pseudo-XYZ"
    assert fresh.kind == "asylum" and fresh.country.code == "MX"
    assert fresh.opened_in.day == 1


# Who reads a case -----------------------------------------------------------------------


def test_only_the_team_sees_a_case_not_superusers_nor_other_managers(w: FundsWorld) -> None:
    f = fund(w)
    case = legal_case(w, f)
    root = _root()
    for reader in (w.second, w.member, w.stranger, root):  # w.second manages the fund
        assert not selectors.visible_cases(reader).exists()
        with pytest.raises(Http404):
            selectors.get_case_for(reader, case.uuid)
        assert not has_perm(reader, "funds.case.work", case)
        with pytest.raises(PermissionDenied):
            services.note_add(actor=reader, case=case, text="x")
    assert selectors.get_case_for(w.first, case.uuid) == case
    for reader, status in ((root, 404), (w.second, 404), (w.first, 200)):
        response = client_for(reader).get(reverse("funds:case", kwargs={"uuid": case.uuid}))
        assert response.status_code == status
    assert client_for(root).get(f"/api/v1/funds/cases/{case.uuid}").status_code == 404
    assert client_for(root).get("/api/v1/funds/cases").json()["items"] == []


def test_a_superuser_cannot_open_a_case_in_a_fund_they_do_not_manage(w: FundsWorld) -> None:
    f = fund(w)
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=_root(),
            fund=f,
            data=services.CaseData(pseudonym="R", country="MX", kind="asylum"),
        )


def test_the_identity_is_for_lawyers_and_coordinators_not_advocates(w: FundsWorld) -> None:
    f = fund(w)
    case = legal_case(w, f)
    lawyer, advocate = factories.person("lawyer"), factories.person("advocate")
    services.member_add(actor=w.first, case=case, user=lawyer, role="lawyer")
    services.member_add(actor=w.first, case=case, user=advocate, role="advocate")
    services.identity_set(actor=lawyer, case=case, identity={"legal_name": "María Pérez"})
    assert services.identity_read(actor=w.first, case=case)["legal_name"] == "María Pérez"
    with pytest.raises(PermissionDenied):
        services.identity_read(actor=advocate, case=case)
    url = reverse("funds:case_identity", kwargs={"uuid": case.uuid})
    assert client_for(advocate).get(url).status_code == 403
    page = client_for(lawyer).get(url)
    assert "María Pérez" in page.content.decode()
    assert CaseRead.objects.filter(what=CaseReadKind.IDENTITY).count() == 2  # w.first, lawyer


def test_the_team_is_led_by_coordinators_and_keeps_one(w: FundsWorld) -> None:
    f = fund(w)
    case = legal_case(w, f)
    lawyer = factories.person("lawyer")
    services.member_add(actor=w.first, case=case, user=lawyer, role="lawyer")
    with pytest.raises(PermissionDenied):
        services.member_add(actor=lawyer, case=case, user=w.stranger, role="lawyer")
    with pytest.raises(DomainError) as refusal:
        services.member_remove(actor=w.first, case=case, user=w.first)
    assert refusal.value.code == "last_coordinator"
    assert CaseMember.objects.filter(case=case, user=w.first).exists()


def test_every_read_is_logged_for_the_team(w: FundsWorld) -> None:
    """The list, the case page and a document's download each leave a row of the read
    log, which the case page shows to the team."""
    f = fund(w)
    case = legal_case(w, f)
    document = services.document_add(actor=w.first, case=case, upload=_pdf())
    client = client_for(w.first)
    assert client.get(reverse("funds:cases")).status_code == 200
    client.get(reverse("funds:case_document", kwargs={"uuid": document.uuid}))
    page = client.get(reverse("funds:case", kwargs={"uuid": case.uuid}))
    kinds = list(CaseRead.objects.order_by("id").values_list("what", flat=True))
    assert kinds == ["list", "document", "case"]
    assert "Who read this case" in page.content.decode()
    reads = client.get(f"/api/v1/funds/cases/{case.uuid}/reads").json()
    assert [r["what"] for r in reads][:3] == ["case", "document", "list"]


def test_a_document_downloads_as_it_was_sent_and_never_touches_the_media_directory(
    w: FundsWorld, settings: Any
) -> None:
    f = fund(w)
    case = legal_case(w, f)
    document = services.document_add(actor=w.first, case=case, upload=_pdf(body=b"unique-bytes"))
    response = client_for(w.first).get(
        reverse("funds:case_document", kwargs={"uuid": document.uuid})
    )
    assert response.content == PDF + b"unique-bytes"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    media = Path(settings.MEDIA_ROOT)
    assert not any(b"unique-bytes" in p.read_bytes() for p in media.rglob("*") if p.is_file())
    stranger = client_for(w.stranger).get(
        reverse("funds:case_document", kwargs={"uuid": document.uuid})
    )
    assert stranger.status_code == 404


def test_an_expense_goes_to_the_fund_with_the_reference_only(w: FundsWorld) -> None:
    """The fund's managers approve an expense that carries the amount, the category and
    the case's reference; to whom and for what stays sealed in the case."""
    f = fund(w)
    services.contribution_receive(actor=w.first, fund=f, amount=10_000)
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=f, category="legal-fees", year=year, amount=10_000)
    case = legal_case(w, f)
    lawyer = factories.person("lawyer")
    services.member_add(actor=w.first, case=case, user=lawyer, role="lawyer")
    expense = services.expense_request(
        actor=lawyer,
        case=case,
        amount=3_000,
        category="legal-fees",
        paid_to="Bufete Secreto",
        what_for="Court fee for Rosa",
    )
    movement = Movement.objects.get(pk=expense.movement_id)
    assert case.reference in movement.description and "Rosa" not in movement.description
    assert "Bufete" not in movement.payee and movement.category == "legal-fees"
    services.spending_approve(actor=w.first, movement=movement)
    services.spending_approve(actor=w.second, movement=movement)
    movement.refresh_from_db()
    assert movement.status == "done"
    assert f.account.__class__.objects.get(pk=f.account_id).balance == 7_000
    memo = movement.transfer.memo  # type: ignore[union-attr]
    assert "Rosa" not in memo and "Bufete" not in memo


# Deletion --------------------------------------------------------------------------------


def test_deletion_removes_the_case_its_documents_and_its_key(w: FundsWorld) -> None:
    f = fund(w)
    services.contribution_receive(actor=w.first, fund=f, amount=10_000)
    year = timezone.localdate().year
    services.budget_set(actor=w.first, fund=f, category="fees", year=year, amount=10_000)
    case = legal_case(w, f)
    services.identity_set(actor=w.first, case=case, identity={"legal_name": "N"})
    services.document_add(actor=w.first, case=case, upload=_pdf())
    services.note_add(actor=w.first, case=case, text="n")
    services.date_add(actor=w.first, case=case, kind="deadline", on=timezone.localdate(), what="w")
    services.expense_request(
        actor=w.first, case=case, amount=100, category="fees", paid_to="p", what_for="w"
    )
    with pytest.raises(DomainError):
        services.case_delete(actor=w.first, case=case, reference="WRONG")
    with pytest.raises(PermissionDenied):
        services.case_delete(actor=_root(), case=case, reference=case.reference)
    response = client_for(w.first).post(
        reverse("funds:case_delete", kwargs={"uuid": case.uuid}), {"reference": case.reference}
    )
    assert response.status_code == 302
    for model in (LegalCase, CaseIdentity, CaseDocument, CaseNote, CaseDate, CaseRead, CaseMember):
        assert not model.objects.exists(), model
    deletion = CaseDeletion.objects.get()
    assert deletion.reference == case.reference and deletion.fund == f
    assert Movement.objects.filter(description__contains=case.reference).count() == 1


# Rotation ---------------------------------------------------------------------------------


def _full_case(w: FundsWorld, f: Any, name: str) -> LegalCase:
    case = legal_case(w, f, pseudonym=name)
    services.identity_set(actor=w.first, case=case, identity={"legal_name": f"{name} legal"})
    services.note_add(actor=w.first, case=case, text=f"{name} note")
    services.date_add(actor=w.first, case=case, kind="hearing", on=timezone.localdate(), what=name)
    services.document_add(actor=w.first, case=case, upload=_pdf(body=name.encode()))
    return case


def _everything(keyring: sealing.Keyring) -> list[Any]:
    seen = []
    for case in LegalCase.objects.order_by("pk"):
        case_data.data_key(case, keyring)
        seen.append(case_data.case_fields(case))
        seen.append(case_data.unseal(case, "identity", case.identity, case.identity.sealed))
        seen += [case_data.unseal(case, "note", n, n.sealed) for n in case.notes.all()]
        seen += [case_data.unseal(case, "date", d, d.sealed) for d in case.dates.all()]
        for d in case.documents.all():
            seen.append(case_data.unseal(case, "document", d, d.sealed))
            seen.append(case_data.unseal_bytes(case, "document-content", d, d.content))
    return seen


def test_rotate_key_reencrypts_everything_and_loses_nothing(
    w: FundsWorld, settings: Any, tmp_path: Path
) -> None:
    """With a key file: a new key is written, every case re-encrypted under it with fresh
    data keys, the old key dropped; everything opens under the new key alone."""
    key_file = tmp_path / "cases.key"
    key_file.write_text(sealing.new_key_line() + "\n")
    settings.CASES_KEYS, settings.CASES_KEY_FILE = "", str(key_file)
    old = sealing.configured_keyring()
    f = fund(w)
    for name in ("Ana", "Bea", "Cruz"):
        _full_case(w, f, name)
    before = _everything(old)
    old_wrapped = set(LegalCase.objects.values_list("wrapped_key", flat=True))
    out = io.StringIO()
    call_command("cases", "rotate-key", stdout=out)
    new = sealing.configured_keyring()
    assert len(new.keys) == 1 and new.current[0] != old.current[0]
    assert "3 case(s) re-encrypted" in out.getvalue()
    assert set(LegalCase.objects.values_list("key_id", flat=True)) == {new.current[0]}
    assert not old_wrapped & set(LegalCase.objects.values_list("wrapped_key", flat=True))
    assert _everything(new) == before
    with pytest.raises(sealing.SealBrokenError):
        _everything(old)
    assert key_file.stat().st_mode & 0o077 == 0


def test_a_rotation_that_fails_changes_nothing(
    w: FundsWorld, settings: Any, tmp_path: Path
) -> None:
    """A value that does not open stops the rotation: nothing is re-encrypted, and the
    key file still holds the old key, so everything still opens."""
    key_file = tmp_path / "cases.key"
    key_file.write_text(sealing.new_key_line() + "\n")
    settings.CASES_KEYS, settings.CASES_KEY_FILE = "", str(key_file)
    old = sealing.configured_keyring()
    f = fund(w)
    _full_case(w, f, "Ana")
    broken = _full_case(w, f, "Bea")
    CaseNote.objects.filter(case=broken).update(sealed=b"\0" * 40)
    before = list(LegalCase.objects.values_list("key_id", "wrapped_key", "sealed"))
    with pytest.raises(CommandError, match="Nothing was re-encrypted"):
        call_command("cases", "rotate-key", stdout=io.StringIO())
    assert list(LegalCase.objects.values_list("key_id", "wrapped_key", "sealed")) == before
    keyring = sealing.configured_keyring()
    assert old.current in keyring.keys
    fresh = LegalCase.objects.get(pk=broken.pk)
    case_data.data_key(fresh, keyring)
    assert case_data.case_fields(fresh)["pseudonym"] == "Bea"


def test_rotate_key_with_keys_from_the_environment(w: FundsWorld, settings: Any) -> None:
    """With MINGA_CASES_KEYS, the operator puts the new key first; the command moves
    every case to it, and then the old key may go."""
    old_line = settings.CASES_KEYS
    f = fund(w)
    _full_case(w, f, "Ana")
    before = _everything(sealing.configured_keyring())
    new_line = sealing.new_key_line()
    settings.CASES_KEYS = f"{new_line}\n{old_line}"
    call_command("cases", "rotate-key", stdout=io.StringIO())
    settings.CASES_KEYS = new_line
    assert _everything(sealing.configured_keyring()) == before


# Reminders -----------------------------------------------------------------------------


def test_reminders_say_only_that_something_needs_attention_once_per_date(
    w: FundsWorld,
) -> None:
    f = fund(w)
    case = legal_case(w, f, pseudonym="Pseudo-Secret")
    w.first.email = "first@example.org"
    w.first.save()
    soon = timezone.localdate() + timedelta(days=3)
    services.date_add(
        actor=w.first, case=case, kind="hearing", on=soon, what="Hearing-Secret", where="Court"
    )
    services.date_add(
        actor=w.first, case=case, kind="deadline", on=soon + timedelta(days=30), what="Later"
    )
    assert services.case_dates_remind() == 1
    assert services.case_dates_remind() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = message.subject + message.body
    assert "/funds/cases/" in message.body
    for secret in ("Pseudo-Secret", "Hearing-Secret", "Court", case.reference, str(soon), "MX"):
        assert secret not in text
    items = selectors.attention_for(w.first)
    assert any(item.url == reverse("funds:cases") and item.count == 1 for item in items)


# Pages ---------------------------------------------------------------------------------


def test_the_team_works_on_a_case_through_its_pages(w: FundsWorld) -> None:
    f = fund(w)
    client = client_for(w.first)
    response = client.post(
        reverse("funds:case_open", kwargs={"uuid": f.uuid}),
        {"pseudonym": "Luz", "kind": "detention", "country": "US", "status": "open"},
        follow=True,
    )
    case = LegalCase.objects.get()
    assert "you are its coordinator" in response.content.decode()
    url = reverse("funds:case", kwargs={"uuid": case.uuid})
    steps = [
        (reverse("funds:case_date_add", kwargs={"uuid": case.uuid}),
         {"kind": "hearing", "on": "2030-01-02", "what": "First hearing", "time": "10:00"},
         "The date is recorded"),
        (reverse("funds:case_note_add", kwargs={"uuid": case.uuid}), {"text": "Called her"},
         "The note is saved"),
        (reverse("funds:case_document_add", kwargs={"uuid": case.uuid}),
         {"title": "Ruling", "file": _pdf()}, "The document is saved"),
    ]  # fmt: skip
    for target, data, confirmation in steps:
        page = client.post(target, data, follow=True)
        assert confirmation in page.content.decode()
    page = client.get(url).content.decode()
    for shown in ("Luz", "First hearing", "Called her", "Ruling", "2030-01-02"):
        assert shown in page
    edit = client.post(
        reverse("funds:case_edit", kwargs={"uuid": case.uuid}),
        {"pseudonym": "Luz", "kind": "detention", "country": "US", "status": "closed",
         "outcome": "Released"},
        follow=True,
    )  # fmt: skip
    assert "The case is saved." in edit.content.decode()
    assert LegalCase.objects.get().status == "closed"


def test_the_case_list_pages_and_filters(w: FundsWorld) -> None:
    f = fund(w)
    for number in range(3):
        legal_case(w, f, pseudonym=f"Open-one-{number}")
    closed = legal_case(w, f, pseudonym="Closed one", status="closed")
    client = client_for(w.first)
    page = client.get(reverse("funds:cases") + "?status=closed").content.decode()
    assert "Closed one" in page and "Open-one-0" not in page and closed.reference in page
    assert client_for(w.second).get(reverse("funds:cases")).content.decode().count("C-") == 0
