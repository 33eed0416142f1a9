"""Receipts of a fund's spending: checked by their content and size, stored under a name
the server chooses, attached once, and served only to who may see them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.common.errors import DomainError
from minga.funds import services
from minga.funds.models import Movement
from tests.funds.factories import FundsWorld, client_for, fund

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name: str = "factura.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _budget(w: FundsWorld, made: object) -> None:
    for category in ("tools", "legal-fees"):
        services.budget_set(
            actor=w.first,
            fund=made,
            category=category,
            year=timezone.localdate().year,
            amount=10**6,
        )


def _paid_expense(w: FundsWorld, **fields: object) -> Movement:
    made = fund(w, approval_rule="one_manager", **fields)
    _budget(w, made)
    services.contribution_receive(actor=w.first, fund=made, amount=10_000)
    asked = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=2_500,
        category="tools",
        description="Azadas",
        payee="Ferretería",
    )
    return services.spending_approve(actor=w.second, movement=asked)


def test_a_receipt_is_stored_under_the_servers_name_and_attached_once(w: FundsWorld) -> None:
    paid = _paid_expense(w)
    services.receipt_attach(actor=w.first, movement=paid, upload=_pdf("../../etc/x.pdf"))
    paid.refresh_from_db()
    assert paid.receipt.name.startswith("funds/receipts/") and paid.receipt.name.endswith(".pdf")
    assert "etc" not in paid.receipt.name and "x.pdf" not in paid.receipt.name
    with pytest.raises(DomainError) as refused:
        services.receipt_attach(actor=w.first, movement=paid, upload=_pdf())
    assert refused.value.code == "receipt_exists"


def test_a_receipt_is_refused_by_content_size_and_state(w: FundsWorld) -> None:
    """A script named .pdf, a file over 10 MB, a request not yet paid: each refused with
    its code, nothing stored."""
    paid = _paid_expense(w)
    script = SimpleUploadedFile("factura.pdf", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(DomainError) as refused:
        services.receipt_attach(actor=w.first, movement=paid, upload=script)
    assert refused.value.code == "file_executable" and refused.value.field == "receipt"
    big = SimpleUploadedFile("factura.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError) as refused:
        services.receipt_attach(actor=w.first, movement=paid, upload=big)
    assert refused.value.code == "file_too_large"
    text = SimpleUploadedFile("factura.pdf", b"just words, not a receipt")
    with pytest.raises(DomainError) as refused:
        services.receipt_attach(actor=w.first, movement=paid, upload=text)
    assert refused.value.code == "file_type_not_allowed"
    waiting = services.spending_request(
        actor=w.first,
        fund=paid.fund,
        kind="expense",
        amount=100,
        category="tools",
        description="Clavos",
        payee="Ferretería",
    )
    with pytest.raises(DomainError) as refused:
        services.receipt_attach(actor=w.first, movement=waiting, upload=_pdf())
    assert refused.value.code == "receipt_not_paid"
    paid.refresh_from_db()
    assert not paid.receipt


def test_only_managers_attach_receipts(w: FundsWorld) -> None:
    paid = _paid_expense(w, transparency="public")
    with pytest.raises(PermissionDenied):
        services.receipt_attach(actor=w.member, movement=paid, upload=_pdf())
    paid.refresh_from_db()
    assert not paid.receipt


def test_a_legal_cases_expense_takes_no_receipt_on_the_fund(w: FundsWorld) -> None:
    """Its receipt would tell what the case paid for: it goes into the sealed documents."""
    from tests.funds.factories import legal_case

    made = fund(w, approval_rule="one_manager")
    _budget(w, made)
    services.contribution_receive(actor=w.first, fund=made, amount=10_000)
    case = legal_case(w, made)
    expense = services.expense_request(
        actor=w.first,
        case=case,
        amount=1_000,
        category="legal-fees",
        paid_to="Abogada",
        what_for="Audiencia",
    )
    paid = services.spending_approve(actor=w.second, movement=expense.movement)
    with pytest.raises(DomainError) as refused:
        services.receipt_attach(actor=w.first, movement=paid, upload=_pdf())
    assert refused.value.code == "receipt_in_case"


def test_the_receipt_is_shown_and_served_as_the_funds_rules_say(w: FundsWorld) -> None:
    """Managers always read it; the fund's readers only when it shows its receipts; and a
    reader of a managers-only fund never."""
    for receipts_public, reader_sees in ((False, False), (True, True)):
        paid = _paid_expense(w, transparency="public", receipts_public=receipts_public)
        manager = client_for(w.first)
        response = manager.post(reverse("funds:receipt", args=[paid.uuid]), {"receipt": _pdf()})
        assert response.status_code == 302
        paid.refresh_from_db()
        url = paid.receipt.url
        page = manager.get(reverse("funds:fund", args=[paid.fund.uuid])).content.decode()
        assert url in page
        assert manager.get(url).status_code == 200
        stranger = client_for(w.stranger)
        page = stranger.get(reverse("funds:fund", args=[paid.fund.uuid])).content.decode()
        assert (url in page) is reader_sees
        assert (stranger.get(url).status_code == 200) is reader_sees
    hidden = _paid_expense(w, transparency="managers", receipts_public=True, name="Privado")
    services.receipt_attach(actor=w.first, movement=hidden, upload=_pdf())
    hidden.refresh_from_db()
    assert client_for(w.stranger).get(hidden.receipt.url).status_code == 404
    assert client_for(w.first).get(hidden.receipt.url).status_code == 200


def test_the_api_lists_and_serves_receipts_as_the_page_does(w: FundsWorld) -> None:
    """Managers read a fund's receipts through the API; its readers only when it shows
    them (403 ``receipts_not_shown`` otherwise); a hidden fund's are 404; the file is
    served with the page's checks, in pages of the platform's shape."""
    for receipts_public in (False, True):
        paid = _paid_expense(w, transparency="public", receipts_public=receipts_public)
        manager = client_for(w.first)
        attached = manager.post(f"/api/v1/funds/movements/{paid.uuid}/receipt", {"receipt": _pdf()})
        assert attached.status_code == 201, attached.content
        address = attached.json()["receipt"]
        assert address == f"/api/v1/funds/movements/{paid.uuid}/receipt"
        listed = manager.get(f"/api/v1/funds/funds/{paid.fund.uuid}/receipts").json()
        assert listed["count"] == 1
        assert [item["receipt"] for item in listed["items"]] == [address]
        served = manager.get(address)
        assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
        assert b"".join(served.streaming_content) == PDF  # type: ignore[attr-defined]
        ranged = manager.get(address, HTTP_RANGE="bytes=0-3")
        assert ranged.status_code == 206
        again = manager.post(f"/api/v1/funds/movements/{paid.uuid}/receipt", {"receipt": _pdf()})
        assert again.status_code == 409 and again.json()["code"] == "receipt_exists"
        stranger = client_for(w.stranger)
        movements = stranger.get(f"/api/v1/funds/funds/{paid.fund.uuid}/movements").json()
        receipts = stranger.get(f"/api/v1/funds/funds/{paid.fund.uuid}/receipts")
        file = stranger.get(address)
        if receipts_public:
            assert [m["receipt"] for m in movements["items"] if m["kind"] == "expense"] == [address]
            assert receipts.status_code == 200 and receipts.json()["count"] == 1
            assert file.status_code == 200
        else:
            assert all(m["receipt"] is None for m in movements["items"])
            assert receipts.status_code == 403
            assert receipts.json()["code"] == "receipts_not_shown"
            assert file.status_code == 404 and file.json()["code"] == "no_receipt"
        refused = stranger.post(f"/api/v1/funds/movements/{paid.uuid}/receipt", {"receipt": _pdf()})
        assert refused.status_code == 403
    hidden = _paid_expense(w, transparency="managers", receipts_public=True, name="Privado")
    services.receipt_attach(actor=w.first, movement=hidden, upload=_pdf())
    stranger = client_for(w.stranger)
    assert stranger.get(f"/api/v1/funds/funds/{hidden.fund.uuid}/receipts").status_code == 404
    assert stranger.get(f"/api/v1/funds/movements/{hidden.uuid}/receipt").status_code == 404
    anonymous = Client()
    assert anonymous.get(f"/api/v1/funds/movements/{hidden.uuid}/receipt").status_code == 404
    assert (
        client_for(w.first).get(f"/api/v1/funds/movements/{hidden.uuid}/receipt").status_code == 200
    )


def test_the_api_attaches_a_receipt_only_as_the_page_does(w: FundsWorld) -> None:
    """A refused upload names the field and its code; a movement not paid yet takes none."""
    made = fund(w, approval_rule="one_manager")
    _budget(w, made)
    services.contribution_receive(actor=w.first, fund=made, amount=10_000)
    asked = services.spending_request(
        actor=w.first,
        fund=made,
        kind="expense",
        amount=100,
        category="tools",
        description="Pala",
        payee="Tienda",
    )
    manager = client_for(w.first)
    early = manager.post(f"/api/v1/funds/movements/{asked.uuid}/receipt", {"receipt": _pdf()})
    assert early.status_code == 409 and early.json()["code"] == "receipt_not_paid"
    paid = services.spending_approve(actor=w.second, movement=asked)
    text = SimpleUploadedFile("notes.pdf", b"just text", content_type="application/pdf")
    wrong = manager.post(f"/api/v1/funds/movements/{paid.uuid}/receipt", {"receipt": text})
    assert wrong.status_code == 422 and wrong.json()["field"] == "receipt"
    missing = manager.post(f"/api/v1/funds/movements/{paid.uuid}/receipt", {})
    assert missing.status_code == 422
