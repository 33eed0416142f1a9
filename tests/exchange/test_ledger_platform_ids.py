"""The platform's own client ids (agreements, clearing rounds, expiry) belong to the platform.

The ledger itself refuses them from every caller that does not hold the platform's
capability, whatever the way in (page, API, command, task); and they cannot be guessed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.core.ledger import TransferKind
from minga.exchange import services
from minga.exchange.models import Account, AgreementStatus, Transfer
from minga.exchange.services import LineInput
from tests import factories
from tests.exchange.ledger_helpers import move, unit_with_accounts


@pytest.fixture
def accepted(db: None) -> dict[str, Any]:
    """An agreement paid through the ledger, accepted by both: its price is reserved."""
    unit, (seller_account, buyer_account) = unit_with_accounts(2)
    seller, buyer = seller_account.organization, buyer_account.organization
    vende, compra = factories.person("vende"), factories.person("compra")
    factories.role(vende, seller, "spokesperson")
    factories.role(compra, buyer, "spokesperson")
    agreement = services.agreement_propose(
        actor=vende,
        proposer=seller,
        title="Café",
        lines=[LineInput(supplier=seller, receiver=buyer, description="café", amount=4_000)],
        payment="ledger",
        unit=unit,
    )
    services.agreement_accept(actor=compra, agreement=agreement, organization=buyer)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACCEPTED
    return {
        "agreement": agreement,
        "line": agreement.lines.get(),
        "seller": seller,
        "buyer": buyer,
        "vende": vende,
        "compra": compra,
        "accounts": (seller_account, buyer_account),
    }


def _pay_with_client_id(person: Any, payer: Account, payee: Account, client_id: str) -> Any:
    client = factories.verified_client(person)
    return client.post(
        reverse("exchange:account", kwargs={"uuid": payer.uuid}),
        {
            "client_id": client_id,
            "recipient": payee.organization.slug,
            "amount": "0.01",
            "memo": "",
        },
    )


@pytest.mark.parametrize("suffix", [":post", ":void"])
def test_the_payment_form_cannot_take_an_agreements_ledger_ids(
    accepted: dict[str, Any], suffix: str
) -> None:
    """A party posting the agreement's own second-phase id from the payment form is refused,
    and the reservation can still be delivered or cancelled."""
    seller_account, buyer_account = accepted["accounts"]
    reservation = Transfer.objects.get(kind=TransferKind.PENDING)
    stolen = reservation.client_id + suffix
    response = _pay_with_client_id(accepted["compra"], buyer_account, seller_account, stolen)
    assert response.status_code == 200  # the form again, with the error
    assert not Transfer.objects.filter(client_id=stolen).exists()
    assert Transfer.objects.count() == 1
    if suffix == ":post":
        services.agreement_confirm_delivery(
            actor=accepted["compra"], agreement=accepted["agreement"], receiver=accepted["buyer"]
        )
        assert Account.objects.get(pk=seller_account.pk).balance == 4_000
    else:
        services.agreement_cancel(
            actor=accepted["vende"],
            agreement=accepted["agreement"],
            organization=accepted["seller"],
            reason="no llegó",
        )
        assert Account.objects.get(pk=buyer_account.pk).pending_debits == 0


@pytest.mark.parametrize("prefix", ["agr:", "clr:", "expire:"])
@pytest.mark.parametrize("field", ["client_id", "pending", "reverses"])
def test_the_ledger_refuses_platform_ids_to_every_other_caller(
    db: None, prefix: str, field: str
) -> None:
    """Without the platform's capability, a reserved id in any field refuses the whole batch
    before anything is written, naming the transfer and the field."""
    _unit, (a, b) = unit_with_accounts(2)
    fine = move(a, b, 5, client_id="fine")
    values: dict[str, Any] = {"client_id": f"{prefix}taken"}
    if field == "pending":
        values = {"client_id": "mine", "kind": TransferKind.POST_PENDING, "pending": f"{prefix}x"}
    elif field == "reverses":
        values = {"client_id": "mine", "reverses": f"{prefix}x"}
    sneaky = move(b, a, 5, **values)
    with pytest.raises(DomainError) as refused:
        services.transfers_submit(actor=SYSTEM, inputs=[fine, sneaky])
    assert (refused.value.code, refused.value.field) == (
        "reserved_client_id",
        f"transfers.1.{field}",
    )
    assert not Transfer.objects.exists()


def test_the_platform_may_use_its_own_ids(db: None) -> None:
    """Holding the capability, the platform's services write their reserved ids."""
    _unit, (a, b) = unit_with_accounts(2)
    outcome = services.transfers_submit(
        actor=SYSTEM, inputs=[move(a, b, 5, client_id="clr:mine")], platform=services.PLATFORM
    )
    assert outcome.all_applied


def test_agreement_ledger_ids_are_random_and_kept_on_the_line(
    accepted: dict[str, Any],
) -> None:
    """The reservation's id is stored on its line and cannot be derived from what the
    parties see (the agreement's identifier, the line's number)."""
    line = accepted["line"]
    reservation = Transfer.objects.get(kind=TransferKind.PENDING)
    assert reservation.client_id == line.ledger_client_id
    assert accepted["agreement"].uuid.hex not in line.ledger_client_id
    assert not re.search(rf":{line.pk}$", line.ledger_client_id)
    assert re.fullmatch(r"agr:[0-9a-f]{32}", line.ledger_client_id)


def test_clearing_ledger_ids_are_random_and_kept_on_the_setoff(db: None) -> None:
    """A clearing round's transfers carry ids stored on their set-offs, not derived ones."""

    unit, accounts = unit_with_accounts(3)
    organizations = [account.organization for account in accounts]
    for organization in organizations:
        factories.membership(organization, unit.network)
    coordinator = factories.person("coordina")
    factories.role(coordinator, unit.network, "coordinator")
    rows = [(n, organizations[n], organizations[(n + 1) % 3], 1_000, "", None) for n in range(3)]
    services.obligations_import(actor=coordinator, unit=unit, rows=rows)
    unit.clearing_consent = "coordinator"
    unit.save()
    round_ = services.clearing_round_open(actor=coordinator, unit=unit)
    services.clearing_round_apply(actor=coordinator, clearing_round=round_)
    setoffs = list(round_.setoffs.select_related("obligation"))
    ids = {setoff.ledger_client_id for setoff in setoffs}
    assert ids == set(Transfer.objects.values_list("client_id", flat=True))
    for setoff in setoffs:
        assert round_.uuid.hex[:16] not in setoff.ledger_client_id
        assert setoff.obligation.uuid.hex not in setoff.ledger_client_id


USER_FACING = ("views", "api", "forms", "management", "urls", "templatetags")


def test_only_the_platforms_own_services_hold_the_capability() -> None:
    """Pages, API, forms and commands never name the platform's capability: only the
    services that own agreements, clearing rounds and expiry pass it."""
    root = Path(services.__file__).resolve().parent.parent  # the exchange app
    holders = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        names |= {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        if "PLATFORM" in names:
            holders.add(path.relative_to(root).as_posix())
    assert holders, "the capability is used somewhere"
    for holder in holders:
        assert not any(part in holder for part in USER_FACING), holder
