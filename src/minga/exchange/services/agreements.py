"""Writes for trade agreements and the obligations they leave.

Payment through the ledger is two-phase: when the last party accepts, every line's amount
is reserved (one linked batch: all lines or none); when a receiver confirms delivery of
its lines, those reservations are posted; cancelling voids what is still reserved. Client
ids derive from the agreement and line, so retrying any step never reserves or pays twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.core.ledger import MAX_AMOUNT, TransferKind

from ..audit_events import ExchangeEvent
from ..client_ids import new_platform_client_id
from ..models import (
    Account,
    Agreement,
    AgreementLine,
    AgreementParty,
    AgreementStatus,
    Obligation,
    PaymentMethod,
    Transfer,
    Unit,
)
from . import ledger


@dataclass(frozen=True)
class LineInput:
    supplier: Any  # Organization
    receiver: Any  # Organization
    description: str
    amount: int = 0
    quantity: str = ""
    listing: Any = None


def _person(actor: Any) -> Any:
    """The person behind an actor, for the rows that name one; None for the server itself
    (:data:`~minga.common.permissions.SYSTEM`) and for the platform's own work."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _account(organization: Any, unit: Unit) -> Account:
    account = Account.objects.filter(organization=organization, unit=unit, purpose="").first()
    if account is None:
        raise DomainError(
            _("%(organization)s has no account in %(unit)s.")
            % {"organization": organization, "unit": unit.code},
            "unit",
            code="no_account",
        )
    return account


@guarded("exchange.organization.act_for", on="proposer")
@transaction.atomic
def agreement_propose(
    *,
    actor: Any,
    proposer: Any,
    title: str,
    lines: Sequence[LineInput],
    payment: str,
    unit: Unit | None = None,
    description: str = "",
    listing: Any = None,
) -> Agreement:
    """An organization proposes a trade, and accepts it by proposing."""
    return _propose_agreement(
        actor=actor,
        proposer=proposer,
        title=title,
        lines=lines,
        payment=payment,
        unit=unit,
        description=description,
        listing=listing,
    )


def _check_lines(lines: Sequence[LineInput], payment: str) -> None:
    for number, line in enumerate(lines, start=1):
        if line.supplier.pk == line.receiver.pk:
            raise DomainError(
                _("Line %(n)d: supplier and receiver must differ.") % {"n": number},
                "lines",
                code="supplier_is_receiver",
            )
        if line.amount < 0 or (payment == PaymentMethod.BARTER and line.amount):
            raise DomainError(
                _("Line %(n)d: the price is not valid here.") % {"n": number},
                "lines",
                code="invalid_price",
            )
        if payment != PaymentMethod.BARTER and line.amount <= 0:
            raise DomainError(
                _("Line %(n)d: give a price above zero.") % {"n": number},
                "lines",
                code="price_required",
            )
        if line.amount > MAX_AMOUNT:
            raise DomainError(
                _("Line %(n)d: the price is too large.") % {"n": number},
                "lines",
                code="price_too_large",
            )


def _propose_agreement(
    *,
    actor: Any,
    proposer: Any,
    title: str,
    lines: Sequence[LineInput],
    payment: str,
    unit: Unit | None = None,
    description: str = "",
    listing: Any = None,
    barter_round: Any = None,
) -> Agreement:
    """The write itself, for services that have checked their own permission.

    An agreement from a barter round is proposed by the network that ran the round, which
    is not a party: every organization in the cycle accepts for itself.
    """
    facilitated = barter_round is not None
    if not title.strip():
        raise DomainError(_("Give the agreement a title."), "title", code="title_required")
    if not lines:
        raise DomainError(_("An agreement needs at least one line."), "lines", code="no_lines")
    if payment not in PaymentMethod.values:
        raise DomainError(_("Unknown way of paying."), "payment", code="unknown_payment")
    if payment != PaymentMethod.BARTER and unit is None:
        raise DomainError(_("Choose the unit the price is in."), "unit", code="unit_required")
    _check_lines(lines, payment)
    parties = {} if facilitated else {proposer.pk: proposer}
    for line in lines:
        parties[line.supplier.pk] = line.supplier
        parties[line.receiver.pk] = line.receiver
    if len(parties) < 2:
        raise DomainError(
            _("An agreement needs at least two organizations."), "lines", code="too_few_parties"
        )
    if payment == PaymentMethod.LEDGER and unit is not None:
        for organization in parties.values():
            _account(organization, unit)
    agreement = Agreement.objects.create(
        title=title.strip(),
        description=description,
        proposed_by=proposer,
        created_by=_person(actor),
        payment=payment,
        unit=unit if payment != PaymentMethod.BARTER else None,
        listing=listing,
        barter_round=barter_round,
    )
    now = timezone.now()
    for organization in parties.values():
        AgreementParty.objects.create(
            agreement=agreement,
            organization=organization,
            accepted_at=now if organization.pk == proposer.pk and not facilitated else None,
            accepted_by=_person(actor)
            if organization.pk == proposer.pk and not facilitated
            else None,
        )
    for line in lines:
        AgreementLine.objects.create(
            agreement=agreement,
            supplier=line.supplier,
            receiver=line.receiver,
            description=line.description.strip()[:300],
            quantity=line.quantity,
            amount=line.amount,
            listing=line.listing,
            ledger_client_id=new_platform_client_id("agr:"),
        )
    audit.record(actor=actor, action=ExchangeEvent.AGREEMENT_PROPOSE, target=agreement)
    return agreement


def _locked(agreement: Agreement) -> Agreement:
    # Only the agreement row is locked: its unit may be null (barter), an outer join.
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=agreement.pk)
    )


@guarded("exchange.organization.act_for", on="organization")
@transaction.atomic
def agreement_accept(
    *, actor: Any, agreement: Agreement, organization: Any, access_token: Any = None
) -> Agreement:
    """One party accepts. When the last one does, ledger payments are reserved (submitted
    in the ledger by the person who accepted last, with ``access_token`` if the API was
    called with one)."""
    agreement = _locked(agreement)
    party = agreement.parties.filter(organization=organization).first()
    if party is None:
        raise DomainError(
            _("This organization is not a party to the agreement."),
            "organization",
            code="not_a_party",
        )
    if agreement.status != AgreementStatus.PROPOSED:
        if party.accepted_at is not None:
            return agreement  # accepting twice is harmless
        raise DomainError(
            _("This agreement can no longer be accepted."),
            "status",
            code="agreement_not_open",
        )
    if party.accepted_at is None:
        party.accepted_at = timezone.now()
        party.accepted_by = _person(actor)
        party.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            actor=actor,
            action=ExchangeEvent.AGREEMENT_ACCEPT,
            target=agreement,
            changes={"organization": [None, str(organization)]},
        )
    if agreement.parties.filter(accepted_at__isnull=True).exists():
        return agreement
    if agreement.payment == PaymentMethod.LEDGER:
        _reserve(agreement, submitter=(actor, access_token))
    agreement.status = AgreementStatus.ACCEPTED
    agreement.accepted_at = timezone.now()
    agreement.save(update_fields=["status", "accepted_at", "updated_at"])
    return agreement


def _ledger_inputs(
    agreement: Agreement, lines: Sequence[AgreementLine], kind: TransferKind
) -> list[ledger.TransferInput]:
    assert agreement.unit is not None  # noqa: S101 - checked when proposed; narrows the type
    inputs = []
    for line in lines:
        reservation = line.reservation_client_id()
        if kind == TransferKind.PENDING:
            inputs.append(
                ledger.TransferInput(
                    client_id=reservation,
                    kind=TransferKind.PENDING,
                    debit=str(_account(line.receiver, agreement.unit).uuid),
                    credit=str(_account(line.supplier, agreement.unit).uuid),
                    unit=agreement.unit.code,
                    amount=line.amount,
                    memo=f"{agreement.title}: {line.description}"[:500],
                )
            )
        else:
            suffix = "post" if kind == TransferKind.POST_PENDING else "void"
            inputs.append(
                ledger.TransferInput(
                    client_id=f"{reservation}:{suffix}", kind=kind, pending=reservation
                )
            )
    return inputs


def _submit_or_fail(inputs: list[ledger.TransferInput], submitter: tuple[Any, Any]) -> None:
    actor, access_token = submitter
    outcome = ledger.transfers_submit(
        actor=actor,
        access_token=access_token,
        inputs=inputs,
        linked=True,
        platform=ledger.PLATFORM,
    )
    refused = [
        o for o in outcome.outcomes if o.status == "refused" and o.code != "linked_batch_failed"
    ]
    if refused:
        raise DomainError(
            _("The ledger refused: %(reason)s") % {"reason": refused[0].message},
            "ledger",
            code="ledger_refused",
        )


def _reserve(agreement: Agreement, submitter: tuple[Any, Any]) -> None:
    lines = list(agreement.lines.all())
    _submit_or_fail(_ledger_inputs(agreement, lines, TransferKind.PENDING), submitter)


@guarded("exchange.organization.act_for", on="receiver")
@transaction.atomic
def agreement_confirm_delivery(
    *, actor: Any, agreement: Agreement, receiver: Any, access_token: Any = None
) -> Agreement:
    """The receiver confirms it got its lines; their reservations are paid. When every
    line is delivered the agreement is settled (deferred payment then leaves obligations)."""
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.ACCEPTED:
        raise DomainError(
            _("Only an accepted agreement can be delivered."),
            "status",
            code="agreement_not_accepted",
        )
    lines = list(agreement.lines.filter(receiver=receiver, delivered_at__isnull=True))
    if not lines and not agreement.lines.filter(receiver=receiver).exists():
        raise DomainError(
            _("This organization receives nothing in this agreement."),
            "receiver",
            code="not_a_receiver",
        )
    if lines and agreement.payment == PaymentMethod.LEDGER:
        _submit_or_fail(
            _ledger_inputs(agreement, lines, TransferKind.POST_PENDING), (actor, access_token)
        )
    now = timezone.now()
    for line in lines:
        line.delivered_at = now
        line.delivery_confirmed_by = _person(actor)
        line.save(update_fields=["delivered_at", "delivery_confirmed_by"])
    if lines:
        audit.record(
            actor=actor,
            action=ExchangeEvent.AGREEMENT_DELIVER,
            target=agreement,
            changes={"receiver": [None, str(receiver)], "lines": [None, len(lines)]},
        )
    if not agreement.lines.filter(delivered_at__isnull=True).exists():
        if agreement.payment == PaymentMethod.DEFERRED:
            assert agreement.unit is not None  # noqa: S101 - checked when proposed
            for line in agreement.lines.all():
                Obligation.objects.create(
                    debtor=line.receiver,
                    creditor=line.supplier,
                    unit=agreement.unit,
                    amount=line.amount,
                    remaining=line.amount,
                    agreement=agreement,
                    reference=agreement.title[:120],
                )
        agreement.status = AgreementStatus.SETTLED
        agreement.settled_at = now
        agreement.save(update_fields=["status", "settled_at", "updated_at"])
        audit.record(actor=actor, action=ExchangeEvent.AGREEMENT_SETTLE, target=agreement)
    return agreement


@guarded("exchange.organization.act_for", on="organization")
@transaction.atomic
def agreement_cancel(
    *, actor: Any, agreement: Agreement, organization: Any, reason: str, access_token: Any = None
) -> Agreement:
    """A party cancels before settlement; reservations still open are released."""
    agreement = _locked(agreement)
    if not agreement.parties.filter(organization=organization).exists():
        raise DomainError(
            _("Only a party to the agreement can cancel it."), "organization", code="not_a_party"
        )
    if agreement.status in (AgreementStatus.SETTLED, AgreementStatus.CANCELLED):
        raise DomainError(
            _("This agreement can no longer be cancelled."),
            "status",
            code="agreement_closed",
        )
    if not reason.strip():
        raise DomainError(_("Please give a reason."), "reason", code="reason_required")
    if agreement.status == AgreementStatus.ACCEPTED and agreement.payment == PaymentMethod.LEDGER:
        open_lines = [
            line
            for line in agreement.lines.filter(delivered_at__isnull=True)
            if Transfer.objects.filter(
                client_id=line.reservation_client_id(), resolution__isnull=True
            ).exists()
        ]
        if open_lines:
            _submit_or_fail(
                _ledger_inputs(agreement, open_lines, TransferKind.VOID_PENDING),
                (actor, access_token),
            )
    agreement.status = AgreementStatus.CANCELLED
    agreement.cancelled_at = timezone.now()
    agreement.cancel_reason = reason
    agreement.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    audit.record(
        actor=actor, action=ExchangeEvent.AGREEMENT_CANCEL, target=agreement, reason=reason
    )
    return agreement


@guarded("exchange.unit.manage", on="unit")
@transaction.atomic
def obligations_import(
    *, actor: Any, unit: Unit, rows: Sequence[tuple[int, Any, Any, int, str, date | None]]
) -> list[Obligation]:
    """Record obligations (line, debtor, creditor, amount, reference, due date), all or none."""
    created = []
    for line, debtor, creditor, amount, reference, due_on in rows:
        if amount <= 0:
            raise DomainError(
                _("line %(line)d: the amount must be above zero") % {"line": line},
                "amount",
                code="amount_not_positive",
            )
        if amount > MAX_AMOUNT:
            raise DomainError(
                _("line %(line)d: the amount is too large") % {"line": line},
                "amount",
                code="amount_too_large",
            )
        if debtor.pk == creditor.pk:
            raise DomainError(
                _("line %(line)d: debtor and creditor must differ") % {"line": line},
                "creditor",
                code="debtor_is_creditor",
            )
        created.append(
            Obligation.objects.create(
                debtor=debtor,
                creditor=creditor,
                unit=unit,
                amount=amount,
                remaining=amount,
                reference=reference[:120],
                due_on=due_on,
            )
        )
    audit.record(
        actor=actor,
        action=ExchangeEvent.OBLIGATIONS_IMPORT,
        target=unit,
        changes={"obligations": [None, len(created)]},
    )
    return created
