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
    seed_request = SeedRequest.objects.create(
        lot=lot,
        requester=requester,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        seeds=data.seeds,
        settlement=data.settlement,
        barter_offer=data.barter_offer.strip(),
        purpose=data.purpose.strip(),
        conditions_accepted=True,
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
    _claim(seed_request, [RequestStatus.APPROVED], RequestStatus.SHIPPED)
    seed_request.shipped_on = shipped_on or timezone.localdate()
    seed_request.save(update_fields=["shipped_on", "updated_at"])
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
