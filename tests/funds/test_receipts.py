"""Receipts of a fund's spending: checked by their content and size, stored under a name
the server chooses, attached once, and served only to who may see them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
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
