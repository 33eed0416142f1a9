"""Seed requests between communes: ask, approve (the seeds leave the lot), ship, or refuse or
cancel (approved seeds come back). Each step claims the request with a conditional update on
its status, so two people answering at once cannot both succeed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM, guarded
from minga.core.ledger import MAX_AMOUNT
from minga.exchange import selectors as exchange_selectors
from minga.exchange import services as exchange
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from ..audit_events import SeedsEvent
from ..models import Lot, RequestStatus, SeedRequest, Settlement
from .lots import MAX_SEEDS, _give_back, _withdraw


@dataclass
class RequestData:
    seeds: int
    conditions_accepted: bool
    settlement: str = Settlement.GIFT
    barter_offer: str = ""
    purpose: str = ""
    unit: Any = None  # exchange.Unit, for a payment through the exchange
    amount: int | None = None  # in the unit's minor units


def _claim(seed_request: SeedRequest, before: list[str], after: str) -> str:
    """Move the request from one of ``before`` to ``after`` in the database and say from
    which; each status is tried alone so the caller knows whether seeds were set aside."""
    for status in before:
        claimed = SeedRequest.objects.filter(pk=seed_request.pk, status=status).update(
            status=after, updated_at=timezone.now()
        )
        if claimed:
            seed_request.status = after
            return status
    seed_request.refresh_from_db(fields=["status"])
    raise DomainError(
        _("This request is already %(status)s.")
        % {"status": seed_request.get_status_display().lower()},
        None,
        code="request_already_answered",
        status=409,
    )


def _accounts(requester: Any, bank_organization: Any, unit: Any) -> tuple[Any, Any]:
    return exchange_selectors.own_account(requester, unit), exchange_selectors.own_account(
        bank_organization, unit
    )


def _check_payment(requester: Any, bank_organization: Any, data: RequestData) -> None:
    if data.unit is None:
        raise DomainError(_("Choose the unit of account to pay in."), "unit", code="unit_required")
    if data.amount is None or not 0 < data.amount <= MAX_AMOUNT:
        raise DomainError(
            _("The amount must be more than zero."), "amount", code="amount_not_positive"
        )
    paying, paid = _accounts(requester, bank_organization, data.unit)
    if paying is None or paid is None:
        raise DomainError(
            _("Both communes need an account in %(unit)s to settle through the exchange.")
            % {"unit": data.unit.code},
            "unit",
            code="no_account",
        )


def _pay(seed_request: SeedRequest) -> Any:
    """The ledger transfer of a request settled through the exchange (the platform's
    ``seeds:`` namespace, so no one can pre-empt or reverse it from the exchange)."""
    bank_organization = seed_request.lot.accession.bank.organization
    unit, amount = seed_request.unit, seed_request.amount
    paying, paid = (
        _accounts(seed_request.requester, bank_organization, unit) if unit else (None, None)
    )
    if unit is None or amount is None or paying is None or paid is None:
        raise DomainError(
            _("One of the two communes no longer has an account in this unit."),
            None,
            code="no_account",
            status=409,
        )
    outcome = exchange.transfers_submit(
        actor=SYSTEM,
        inputs=[
            exchange.TransferInput(
                client_id=str(exchange.new_platform_client_id("seeds:")),
                debit=str(paying.uuid),
                credit=str(paid.uuid),
                unit=unit.code,
                amount=amount,
                memo=f"seeds {seed_request.uuid}",
            )
        ],
        platform=exchange.PLATFORM,
    ).outcomes[0]
    if outcome.status == "refused":
        if outcome.code == "exceeds_credit_limit":
            raise DomainError(
                _("The requesting commune's account does not hold that much."),
                None,
                code="exceeds_credit_limit",
                status=409,
            )
        if outcome.code == "account_frozen":
            raise DomainError(
                _("One of the two accounts is frozen."), None, code="account_frozen", status=409
            )
        raise DomainError(
            _("The ledger refused this payment."), None, code="ledger_refused", status=409
        )
    return outcome.transfer


@guarded("seeds.lot.request", on="lot")
@transaction.atomic
def request_create(*, actor: Any, lot: Lot, requester: Any, data: RequestData) -> SeedRequest:
    bank_organization = lot.accession.bank.organization_id
    if requester is None or (
        actor is not SYSTEM
        and requester.pk not in organization_ids_with_role(actor, MANAGING_ROLES)
    ):
        raise DomainError(
            _("Choose an organization you manage."), "requester", code="requester_not_managed"
        )
    if requester.pk == bank_organization:
        raise DomainError(
            _("A bank does not request seeds from itself."), "requester", code="own_bank"
        )
    if not 0 < data.seeds <= MAX_SEEDS:
        raise DomainError(_("Ask for at least one seed."), "seeds", code="invalid_quantity")
    if data.seeds > lot.seeds:
        raise DomainError(
            _("The lot has only %(seeds)d seeds.") % {"seeds": lot.seeds},
            "seeds",
            code="not_enough_seeds",
            status=409,
        )
    if not data.conditions_accepted:
        raise DomainError(
            _("Accept the sharing conditions to ask for these seeds."),
            "conditions_accepted",
            code="conditions_not_accepted",
        )
    if data.settlement not in Settlement.values:
        raise DomainError(_("Unknown settlement."), "settlement", code="unknown_settlement")
    if data.settlement == Settlement.BARTER and not data.barter_offer.strip():
        raise DomainError(
            _("Say what you offer in exchange."), "barter_offer", code="barter_offer_required"
        )
    if data.settlement == Settlement.EXCHANGE:
        _check_payment(requester, lot.accession.bank.organization, data)
    seed_request = SeedRequest.objects.create(
        lot=lot,
        requester=requester,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        seeds=data.seeds,
        settlement=data.settlement,
        barter_offer=data.barter_offer.strip(),
        purpose=data.purpose.strip(),
        conditions_accepted=True,
        unit=data.unit if data.settlement == Settlement.EXCHANGE else None,
        amount=data.amount if data.settlement == Settlement.EXCHANGE else None,
    )
    audit.record(
        actor=actor,
        action=SeedsEvent.REQUEST_CREATE,
        target=seed_request,
        changes={"seeds": [None, data.seeds]},
    )
    return seed_request


@guarded("seeds.request.decide", on="seed_request")
@transaction.atomic
def request_approve(*, actor: Any, seed_request: SeedRequest, answer: str = "") -> SeedRequest:
    """Approve and take the seeds from the lot; refused if the lot no longer has them."""
    _claim(seed_request, [RequestStatus.REQUESTED], RequestStatus.APPROVED)
    _withdraw(seed_request.lot, seed_request.seeds, "seeds")
    seed_request.answer = answer.strip()
    seed_request.save(update_fields=["answer", "updated_at"])
    audit.record(
        actor=actor,
        action=SeedsEvent.REQUEST_APPROVE,
        target=seed_request,
        changes={
            "lot_seeds": [seed_request.lot.seeds + seed_request.seeds, seed_request.lot.seeds]
        },
    )
    return seed_request


@guarded("seeds.request.decide", on="seed_request")
@transaction.atomic
def request_refuse(*, actor: Any, seed_request: SeedRequest, answer: str = "") -> SeedRequest:
    was = _claim(
        seed_request, [RequestStatus.APPROVED, RequestStatus.REQUESTED], RequestStatus.REFUSED
    )
    if was == RequestStatus.APPROVED:
        _give_back(seed_request.lot, seed_request.seeds)
    seed_request.answer = answer.strip()
    seed_request.save(update_fields=["answer", "updated_at"])
    audit.record(actor=actor, action=SeedsEvent.REQUEST_REFUSE, target=seed_request, reason=answer)
    return seed_request


@guarded("seeds.request.decide", on="seed_request")
@transaction.atomic
def request_ship(
    *, actor: Any, seed_request: SeedRequest, shipped_on: datetime.date | None = None
) -> SeedRequest:
    """Mark the seeds as shipped; a request settled through the exchange is paid now, from the
    requester's account to the bank's, in the same transaction (refused: nothing changes)."""
    _claim(seed_request, [RequestStatus.APPROVED], RequestStatus.SHIPPED)
    seed_request.shipped_on = shipped_on or timezone.localdate()
    if seed_request.settlement == Settlement.EXCHANGE:
        seed_request.transfer = _pay(seed_request)
    seed_request.save(update_fields=["shipped_on", "transfer", "updated_at"])
    audit.record(actor=actor, action=SeedsEvent.REQUEST_SHIP, target=seed_request)
    return seed_request


@guarded("seeds.request.cancel", on="seed_request")
@transaction.atomic
def request_cancel(*, actor: Any, seed_request: SeedRequest) -> SeedRequest:
    """The requester withdraws; seeds already set aside return to the lot."""
    was = _claim(
        seed_request, [RequestStatus.APPROVED, RequestStatus.REQUESTED], RequestStatus.CANCELLED
    )
    if was == RequestStatus.APPROVED:
        _give_back(seed_request.lot, seed_request.seeds)
    audit.record(actor=actor, action=SeedsEvent.REQUEST_CANCEL, target=seed_request)
    return seed_request
