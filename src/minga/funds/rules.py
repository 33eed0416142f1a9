"""Permission rules of the funds (see ``minga.common.permissions``).

- ``funds.fund.view``: whoever the fund's transparency lets read it (its managers always).
- ``funds.fund.create``: spokespeople, coordinators and administrators of the organization.
- ``funds.fund.manage``: the fund's managers (budget, receipts, spending requests,
  approvals, reversals, pledges' list). The four-eyes rule (a requester never approves
  their own request) is the service's, from ``minga.core.funds``.
- ``funds.fund.edit``: the fund's managers and its owner's coordinators (those who may
  create its funds): its name, purposes, transparency and the organizations it is shown to.
- ``funds.fund.govern``: the owner's coordinators only: who the managers are and how
  spending is approved. The people the approval rule controls do not set it (a manager
  could otherwise add a second account of their own, or drop four eyes, and approve their
  own spending); every such change is in the audit log.
- ``funds.pledge.create``: any signed-in person who may read the fund.
- ``funds.pledge.cancel``: the pledge's contributor, and the fund's managers.

Legal cases (each rule binds superusers too: a server's administrators do not work on, or
read, a fund's legal cases by virtue of their role):

- ``funds.case.open``: the fund's managers open cases (and join the case's team).
- ``funds.case.work``: the case's team (coordinators, lawyers, advocates) read and write it.
- ``funds.case.identity``: the team's coordinators and lawyers read and set the supported
  person's real identity; advocates do not.
- ``funds.case.lead``: the case's coordinators change its team and delete it.

Superusers pass every other rule (``common.permissions``).
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.common.visibility import can_view, viewer_for
from minga.registry.selectors import MANAGING_ROLES, organization_ids_with_role

from . import selectors
from .models import Fund, LegalCase, Pledge
from .types import IDENTITY_ROLES, CaseRole


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


def governs(user: Any, fund: Fund) -> bool:
    """Whether the user holds a managing role in the fund's owner."""
    return _signed_in(user) and fund.organization_id in organization_ids_with_role(
        user, MANAGING_ROLES
    )


@rule("funds.fund.edit")
def can_edit_fund(user: Any, fund: Fund) -> bool:
    if fund is None or not _signed_in(user):
        return False
    return selectors.is_manager(user, fund) or governs(user, fund)


@rule("funds.fund.govern")
def can_govern_fund(user: Any, fund: Fund) -> bool:
    return fund is not None and governs(user, fund)


@rule("funds.pledge.create")
def can_pledge(user: Any, fund: Fund) -> bool:
    return fund is not None and _signed_in(user) and can_view(fund, viewer_for(user))


@rule("funds.pledge.cancel")
def can_cancel_pledge(user: Any, pledge: Pledge) -> bool:
    if pledge is None or not _signed_in(user):
        return False
    return pledge.contributor_id == user.pk or selectors.is_manager(user, pledge.fund)


@rule("funds.case.open", binds_superusers=True)
def can_open_case(user: Any, fund: Fund) -> bool:
    return fund is not None and _signed_in(user) and selectors.is_manager(user, fund)


@rule("funds.case.work", binds_superusers=True)
def can_work_on_case(user: Any, case: LegalCase) -> bool:
    return case is not None and _signed_in(user) and selectors.case_role(user, case) is not None


@rule("funds.case.identity", binds_superusers=True)
def can_read_identity(user: Any, case: LegalCase) -> bool:
    if case is None or not _signed_in(user):
        return False
    return selectors.case_role(user, case) in IDENTITY_ROLES


@rule("funds.case.lead", binds_superusers=True)
def can_lead_case(user: Any, case: LegalCase) -> bool:
    if case is None or not _signed_in(user):
        return False
    return selectors.case_role(user, case) == CaseRole.COORDINATOR
