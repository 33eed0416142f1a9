"""Permission rules of the exchange (see ``minga.common.permissions``).

- ``exchange.account.view``: people with any current role in the account's organization,
  and coordinators and administrators of the network that issues the account's unit.
- ``exchange.account.debit``: spokespeople, coordinators and administrators of the paying
  organization. Only they take money from its account: pay, reserve, and post or void
  reservations in which it pays.
- ``exchange.unit.manage``: coordinators and administrators of the issuing network. With a
  unit: its network; with an organization: that network (to create units in it); without an
  object: any network (to show the management pages). Opening accounts, setting limits,
  freezing, recording obligations and opening or applying clearing rounds are unit
  management.
- ``exchange.transfers.submit``: whoever may debit some account (a spokesperson,
  coordinator or administrator of an organization). Which accounts a batch may take money
  from is then checked per account, on the rows the ledger locks (``debitable_organizations``).
- ``exchange.organization.act_for``: spokespeople, coordinators and administrators of the
  organization act for it in the exchange: propose, accept, deliver, cancel, consent.
- ``exchange.barter.run``: coordinators and administrators of the network.

Superusers pass every rule (``common.permissions``); the role lookups are cached per request.
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import SYSTEM, rule
from minga.registry.selectors import (
    ANY_ROLE,
    DECIDING_ROLES,
    MANAGING_ROLES,
    network_ids_with_role,
    organization_ids_with_role,
)

from .models import Account, Unit


@rule("exchange.account.view")
def can_view_account(user: Any, account: Account) -> bool:
    if account is None:
        return False
    if account.organization_id in organization_ids_with_role(user, ANY_ROLE):
        return True
    return account.unit.network_id in organization_ids_with_role(user, DECIDING_ROLES)


@rule("exchange.account.debit")
def can_debit_account(user: Any, account: Account | None) -> bool:
    # Without an account (an unknown one), only superusers pass, in has_perm itself.
    return account is not None and account.organization_id in organization_ids_with_role(
        user, MANAGING_ROLES
    )


def debitable_organizations(user: Any) -> frozenset[int] | None:
    """The organizations whose accounts ``user`` may debit, to check many accounts at once:
    what ``has_perm(user, "exchange.account.debit", account)`` answers for each of them.
    None means every organization (superusers and the platform itself)."""
    if user is SYSTEM:
        return None
    if user is None or not getattr(user, "is_active", False):
        return frozenset()
    if user.is_superuser:
        return None
    return organization_ids_with_role(user, MANAGING_ROLES)


@rule("exchange.transfers.submit")
def can_submit_transfers(user: Any, _obj: Any = None) -> bool:
    return bool(organization_ids_with_role(user, MANAGING_ROLES))


@rule("exchange.organization.act_for")
def can_act_for(user: Any, organization: Any) -> bool:
    return organization is not None and organization.pk in organization_ids_with_role(
        user, MANAGING_ROLES
    )


@rule("exchange.barter.run")
def can_run_barter_round(user: Any, network: Any) -> bool:
    return network is not None and network.pk in network_ids_with_role(user)


@rule("exchange.unit.manage")
def can_manage_unit(user: Any, obj: Any = None) -> bool:
    if obj is None:
        return bool(network_ids_with_role(user))
    if isinstance(obj, Unit):
        return obj.network_id in organization_ids_with_role(user, DECIDING_ROLES)
    # An organization: it must be a network the user coordinates.
    return obj.pk in network_ids_with_role(user)
