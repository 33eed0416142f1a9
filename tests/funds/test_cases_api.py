"""Legal cases written through the API: the same services as the pages (one write path),
the module's coded errors, and each object checked — a case, its document or its date
answers 404 to anyone off its team, and a team member without the role gets a coded 403."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minga.common.audit import AuditEntry
from minga.funds import case_data, services
from minga.funds.models import (
    CaseDate,
    CaseDeletion,
    CaseDocument,
    CaseIdentity,
    CaseMember,
    CaseRead,
    LegalCase,
    Movement,
)
from minga.funds.types import CaseReadKind
from tests import factories
from tests.funds.factories import FundsWorld, fund, legal_case
from tests.funds.test_cases import PDF

API = "/api/v1/funds"


def _as(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}")


def _json(client: Client, method: str, path: str, body: Any = None) -> Any:
    return client.generic(method, path, "" if body is None else _dumps(body), "application/json")


def _dumps(body: Any) -> str:
    import json

    return json.dumps(body)


def _lawyer(w: FundsWorld, case: Any, role: str = "lawyer") -> Any:
    person = factories.person(f"{role}-1")
    services.member_add(actor=w.first, case=case, user=person, role=role)
    return person


def test_the_team_changes_a_case_and_its_identity_through_the_api(w: FundsWorld) -> None:
    """PUT changes the case's fields (sealed again) and the identity (a lawyer reads it,
    logged; an advocate is refused with a coded 403 and reads nothing)."""
    case = legal_case(w, fund(w))
    client = _as(w.first)
    edit = {"pseudonym": "Luz", "country": "GT", "kind": "labour", "status": "closed"}
    answer = _json(client, "PUT", f"{API}/cases/{case.uuid}", {**edit, "outcome": "Won"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["pseudonym"] == "Luz" and answer.json()["status"] == "closed"
    case.refresh_from_db()
    assert (case.kind, case.country.code) == ("labour", "GT")
    assert case_data.case_fields(case)["outcome"] == "Won"
    bad = _json(client, "PUT", f"{API}/cases/{case.uuid}", {**edit, "kind": "x"})
    assert (bad.status_code, bad.json()["code"], bad.json()["field"]) == (422, "kind", "kind")

    assert client.get(f"{API}/cases/{case.uuid}/identity").json()["code"] == "no_identity"
    identity = {"legal_name": "Luz Pérez", "nationality": "GT"}
    written = _json(client, "PUT", f"{API}/cases/{case.uuid}/identity", identity)
    assert written.status_code == 200 and written.json()["legal_name"] == "Luz Pérez"
    assert b"Luz" not in bytes(CaseIdentity.objects.get(case=case).sealed)
    lawyer, advocate = _lawyer(w, case), _lawyer(w, case, "advocate")
    read = _as(lawyer).get(f"{API}/cases/{case.uuid}/identity")
    assert read.json() == {**dict.fromkeys(services.cases.IDENTITY_FIELDS, ""), **identity}
    assert CaseRead.objects.filter(reader=lawyer, what=CaseReadKind.IDENTITY).count() == 1
    refused = _as(advocate).get(f"{API}/cases/{case.uuid}/identity")
    assert refused.status_code == 403 and b"Luz" not in refused.content
    refused = _json(_as(advocate), "PUT", f"{API}/cases/{case.uuid}/identity", identity)
    assert refused.status_code == 403


def test_the_coordinator_puts_people_on_and_off_the_team(w: FundsWorld) -> None:
    """Only a coordinator changes the team; an unknown user name, an unknown role and the
    last coordinator's removal are coded refusals that change nothing."""
    case = legal_case(w, fund(w))
    lawyer = factories.person("abogada")
    client = _as(w.first)
    added = _json(client, "POST", f"{API}/cases/{case.uuid}/team", {"username": "abogada"})
    assert added.status_code == 200
    assert {"username": "abogada", "role": "lawyer"} in added.json()
    unknown = _json(client, "POST", f"{API}/cases/{case.uuid}/team", {"username": "nobody"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "user_unknown")
    role = _json(
        client, "POST", f"{API}/cases/{case.uuid}/team", {"username": "abogada", "role": "x"}
    )
    assert (role.status_code, role.json()["code"]) == (422, "role")
    as_lawyer = _json(_as(lawyer), "POST", f"{API}/cases/{case.uuid}/team", {"username": "extrana"})
    assert as_lawyer.status_code == 403
    assert _as(lawyer).get(f"{API}/cases/{case.uuid}/team").status_code == 200
    last = _json(client, "DELETE", f"{API}/cases/{case.uuid}/team/{w.first.username}")
    assert (last.status_code, last.json()["code"]) == (422, "last_coordinator")
    absent = _json(client, "DELETE", f"{API}/cases/{case.uuid}/team/extrana")
    assert (absent.status_code, absent.json()["code"]) == (404, "not_on_team")
    removed = _json(client, "DELETE", f"{API}/cases/{case.uuid}/team/abogada")
    assert removed.json() == [{"username": w.first.username, "role": "coordinator"}]
    assert _as(lawyer).get(f"{API}/cases/{case.uuid}").status_code == 404


def test_documents_are_added_read_and_removed_through_the_api(w: FundsWorld) -> None:
    """A document goes in as multipart data, sealed; comes back byte for byte, not
    cached, its read logged; and is removed for good. A file that is no document is a
    coded 422 naming the field."""
    case = legal_case(w, fund(w))
    client = _as(w.first)
    upload = SimpleUploadedFile("ruling.pdf", PDF + b"secret", "application/pdf")
    added = client.post(f"{API}/cases/{case.uuid}/documents", {"file": upload, "title": "Ruling"})
    assert added.status_code == 201, added.content
    assert added.json()["title"] == "Ruling" and added.json()["mime"] == "application/pdf"
    assert b"secret" not in bytes(CaseDocument.objects.get().content)
    got = client.get(f"{API}/cases/documents/{added.json()['uuid']}")
    assert got.content == PDF + b"secret" and "no-store" in got["Cache-Control"]
    assert CaseRead.objects.filter(what=CaseReadKind.DOCUMENT).count() == 1
    assert client.get(f"{API}/cases/{case.uuid}").json()["documents"][0]["title"] == "Ruling"
    junk = SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 20, "application/pdf")
    refused = client.post(f"{API}/cases/{case.uuid}/documents", {"file": junk})
    assert (refused.status_code, refused.json()["field"]) == (422, "file")
    assert client.delete(f"{API}/cases/documents/{added.json()['uuid']}").status_code == 204
    assert not CaseDocument.objects.exists()
    assert client.delete(f"{API}/cases/documents/{added.json()['uuid']}").status_code == 404
    assert AuditEntry.objects.filter(action="funds.case.document.remove").count() == 1


def test_an_expense_and_a_date_done_through_the_api(w: FundsWorld) -> None:
    """An expense asked through the API waits for the managers with the case's reference
    only; a hearing marked done is no longer open."""
    f = fund(w)
    services.budget_set(
        actor=w.first, fund=f, category="legal-fees", year=f.created_at.year, amount=9_000
    )
    case = legal_case(w, f)
    client = _as(w.first)
    body = {"amount": 2_500, "paid_to": "Lic. Ruiz", "what_for": "Appeal"}
    asked = _json(client, "POST", f"{API}/cases/{case.uuid}/expenses", body)
    assert asked.status_code == 201, asked.content
    assert asked.json()["status"] == "requested" and asked.json()["paid_to"] == "Lic. Ruiz"
    movement = Movement.objects.get(uuid=asked.json()["movement"])
    assert (movement.amount, movement.category) == (2_500, "legal-fees")
    assert case.reference in movement.description and "Ruiz" not in movement.payee
    zero = _json(client, "POST", f"{API}/cases/{case.uuid}/expenses", {**body, "amount": 0})
    assert (zero.status_code, zero.json()["field"]) == (422, "amount")
    assert client.get(f"{API}/cases/{case.uuid}").json()["expenses"][0]["what_for"] == "Appeal"

    date = {"kind": "hearing", "on": "2031-05-02", "what": "Court"}
    row = _json(client, "POST", f"{API}/cases/{case.uuid}/dates", date).json()
    done = _json(client, "POST", f"{API}/cases/dates/{row['uuid']}/done")
    assert done.status_code == 200 and done.json()["done"] is True
    assert CaseDate.objects.get().done


def test_a_case_is_deleted_through_the_api_with_its_reference(w: FundsWorld) -> None:
    """Only a coordinator deletes, typing the reference; a wrong one is a coded 422 and
    deletes nothing."""
    case = legal_case(w, fund(w))
    lawyer = _lawyer(w, case)
    url = f"{API}/cases/{case.uuid}"
    assert _as(lawyer).delete(f"{url}?reference={case.reference}").status_code == 403
    wrong = _as(w.first).delete(f"{url}?reference=C-WRONG")
    assert (wrong.status_code, wrong.json()["code"]) == (422, "reference_mismatch")
    assert LegalCase.objects.exists()
    assert _as(w.first).delete(f"{url}?reference={case.reference.lower()}").status_code == 204
    assert not LegalCase.objects.exists() and not CaseMember.objects.exists()
    assert CaseDeletion.objects.get().reference == case.reference


def test_nobody_off_the_team_writes_a_case_through_the_api(w: FundsWorld) -> None:
    """A stranger, a member, a manager of the fund off the team and a superuser: every
    write answers 404 (as if the case did not exist) and changes nothing."""
    f = fund(w)
    case = legal_case(w, f)
    document = services.document_add(
        actor=w.first,
        case=case,
        upload=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
    )
    row = services.date_add(
        actor=w.first, case=case, kind="deadline", on=f.created_at.date(), what="x"
    )
    root = factories.person("root", is_superuser=True, is_staff=True)
    edit = {"pseudonym": "X", "country": "MX", "kind": "asylum"}
    for reader in (w.stranger, w.member, w.second, root):
        client = _as(reader)
        writes = [
            _json(client, "PUT", f"{API}/cases/{case.uuid}", edit),
            _json(client, "PUT", f"{API}/cases/{case.uuid}/identity", {"legal_name": "X"}),
            _json(client, "POST", f"{API}/cases/{case.uuid}/team", {"username": reader.username}),
            _json(client, "DELETE", f"{API}/cases/{case.uuid}/team/{w.first.username}"),
            _json(
                client,
                "POST",
                f"{API}/cases/{case.uuid}/expenses",
                {"amount": 1, "paid_to": "x", "what_for": "x"},
            ),
            _json(client, "DELETE", f"{API}/cases/documents/{document.uuid}"),
            _json(client, "POST", f"{API}/cases/dates/{row.uuid}/done"),
            client.delete(f"{API}/cases/{case.uuid}?reference={case.reference}"),
            client.post(
                f"{API}/cases/{case.uuid}/documents",
                {"file": SimpleUploadedFile("b.pdf", PDF, "application/pdf")},
            ),
        ]
        assert [answer.status_code for answer in writes] == [404] * len(writes), reader
    case.refresh_from_db()
    assert case_data.case_fields(case)["pseudonym"] == "Rosa"
    assert CaseDocument.objects.count() == 1 and not CaseDate.objects.get().done
    assert not CaseIdentity.objects.exists() and CaseMember.objects.count() == 1
    assert not Movement.objects.filter(kind="expense").exists()
