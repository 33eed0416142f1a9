"""Permission rules of the seed bank (see ``minga.common.permissions``).

Coordinators, administrators and spokespeople (a current role) of the organization that
keeps a bank manage it: accessions, lots, tests, grow-outs and the answers to requests.
Managers of another organization request seeds for it and may cancel their own requests.
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from .models import Lot, SeedBank, SeedRequest
from .selectors import can_view_lot


def _manages(user: Any, organization_id: int) -> bool:
    return organization_id in organization_ids_with_role(user, MANAGING_ROLES)


@rule("seeds.bank.create")
def can_create_bank(user: Any, organization: Any = None) -> bool:
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return bool(managed) if organization is None else organization.pk in managed


@rule("seeds.bank.manage")
def can_manage_bank(user: Any, bank: SeedBank) -> bool:
    return _manages(user, bank.organization_id)


@rule("seeds.lot.request")
def can_request_from_lot(user: Any, lot: Lot) -> bool:
    """A manager of some other organization who may see the lot, if the lot may be shared."""
    bank_organization = lot.accession.bank.organization_id
    others = organization_ids_with_role(user, MANAGING_ROLES) - {bank_organization}
    return bool(others) and lot.distributable and can_view_lot(user, lot)


@rule("seeds.request.decide")
def can_decide_request(user: Any, seed_request: SeedRequest) -> bool:
    return _manages(user, seed_request.lot.accession.bank.organization_id)


@rule("seeds.request.cancel")
def can_cancel_request(user: Any, seed_request: SeedRequest) -> bool:
    return _manages(user, seed_request.requester_id)
