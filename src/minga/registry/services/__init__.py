"""Writes of the registry, one module per aggregate: organizations, memberships, roles, imports.

Each public function is keyword-only, atomic, audited and guarded: it checks the actor's
permission through a named rule (minga.common.permissions.guarded) and the registry's
own rules, and raises DomainError with a stable code. The private _create_organization,
_assign_role ... are the same writes without the permission check, for the services
here that compose them after checking their own.
"""

from .imports import ImportResult, ImportRowError, organizations_import
from .memberships import (
    ALLOWED_TRANSITIONS,
    RELATION_DECISIONS,
    relation_apply,
    relation_approve,
    relation_decide,
    relation_reinstate,
    relation_reject,
    relation_suspend,
    relation_withdraw,
)
from .organizations import (
    AUDITED_FIELDS,
    LOGO_MAX_BYTES,
    OrganizationData,
    join_request_submit,
    organization_create,
    organization_set_logo,
    organization_update,
)
from .roles import delegate_accredit, role_assign, role_end

__all__ = [
    "ALLOWED_TRANSITIONS",
    "AUDITED_FIELDS",
    "LOGO_MAX_BYTES",
    "RELATION_DECISIONS",
    "ImportResult",
    "ImportRowError",
    "OrganizationData",
    "delegate_accredit",
    "join_request_submit",
    "organization_create",
    "organization_set_logo",
    "organization_update",
    "organizations_import",
    "relation_apply",
    "relation_approve",
    "relation_decide",
    "relation_reinstate",
    "relation_reject",
    "relation_suspend",
    "relation_withdraw",
    "role_assign",
    "role_end",
]
