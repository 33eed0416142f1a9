"""Permission rules of the funds (see ``minga.common.permissions``).

- ``funds.fund.view``: whoever the fund's transparency lets read it (its managers always).
- ``funds.fund.create``: spokespeople, coordinators and administrators of the organization.
- ``funds.fund.manage``: the fund's managers (budget, receipts, spending requests,
  approvals, reversals, pledges' list). The four-eyes rule (a requester never approves their
  own request) is the service's, from ``minga.core.funds``.
- ``funds.pledge.create``: any signed-in person who may read the fund.
- ``funds.pledge.cancel``: the pledge's contributor, and the fund's managers.

Superusers pass every rule (``common.permissions``).
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.common.visibility import can_view, viewer_for
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from . import selectors
from .models import Fund, Pledge


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rule("funds.fund.view")
def can_view_fund(user: Any, fund: Fund) -> bool:
    return fund is not None and can_view(fund, viewer_for(user))


@rule("funds.fund.create")
def can_create_fund(user: Any, organization: Any = None) -> bool:
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return bool(managed) if organization is None else organization.pk in managed


@rule("funds.fund.manage")
def can_manage_fund(user: Any, fund: Fund) -> bool:
    return fund is not None and _signed_in(user) and selectors.is_manager(user, fund)


@rule("funds.pledge.create")
def can_pledge(user: Any, fund: Fund) -> bool:
    return fund is not None and _signed_in(user) and can_view(fund, viewer_for(user))


@rule("funds.pledge.cancel")
def can_cancel_pledge(user: Any, pledge: Pledge) -> bool:
    if pledge is None or not _signed_in(user):
        return False
    return pledge.contributor_id == user.pk or selectors.is_manager(user, pledge.fund)
