"""Writes of the assemblies, one module per aggregate.

Each function is keyword-only, atomic, audited, guarded by a named rule of ``rules.py``
(``@guarded``; the worker's steps are ``@unguarded``), and refuses what the domain's rules
forbid with ``minga.common.errors.DomainError`` (a vote outside its window, a proposal moving
off its workflow …). Other apps and this app's views, API, tasks and commands call them
through this package; reads are in ``selectors``, exports in ``exports``.
"""

from .amendments import AMENDMENT_ACTIONS, amendment_decide
from .bodies import (
    RulesData,
    body_membership_add,
    body_rules_establish,
    rules_change_apply,
)
from .debates import debate_comment_add, debate_create
from .declarations import declaration_publish, endorsement_add, endorsement_withdraw
from .delegations import delegation_revoke, delegation_set
from .followup import (
    REMINDED_ROLES,
    milestone_add,
    milestone_reach,
    result_create,
    result_reminders_send,
    result_update,
)
from .meetings import (
    agenda_item_add,
    attendance_check_in,
    attendance_register,
    decision_record,
    meeting_create,
    meeting_minutes_write,
    meeting_quorums_record,
    working_table_assign_rapporteur,
    working_table_create,
    working_table_report_write,
)
from .proposals import (
    DOCUMENT_KINDS,
    DOCUMENT_MAX_BYTES,
    amendment_propose,
    amendment_windows_close,
    comment_add,
    proposal_create,
    proposal_document_add,
    proposal_transition,
    proposal_translation_save,
)
from .votes import (
    BALLOT_FIELDS,
    DEFAULT_OPTIONS,
    MAX_SCORE,
    CastResult,
    ballot_cast,
    vote_close,
    vote_close_now,
    vote_create,
)

__all__ = [
    "AMENDMENT_ACTIONS",
    "BALLOT_FIELDS",
    "DEFAULT_OPTIONS",
    "DOCUMENT_KINDS",
    "DOCUMENT_MAX_BYTES",
    "MAX_SCORE",
    "REMINDED_ROLES",
    "CastResult",
    "RulesData",
    "agenda_item_add",
    "amendment_decide",
    "amendment_propose",
    "amendment_windows_close",
    "attendance_check_in",
    "attendance_register",
    "ballot_cast",
    "body_membership_add",
    "body_rules_establish",
    "comment_add",
    "debate_comment_add",
    "debate_create",
    "decision_record",
    "declaration_publish",
    "delegation_revoke",
    "delegation_set",
    "endorsement_add",
    "endorsement_withdraw",
    "meeting_create",
    "meeting_minutes_write",
    "meeting_quorums_record",
    "milestone_add",
    "milestone_reach",
    "proposal_create",
    "proposal_document_add",
    "proposal_transition",
    "proposal_translation_save",
    "result_create",
    "result_reminders_send",
    "result_update",
    "rules_change_apply",
    "vote_close",
    "vote_close_now",
    "vote_create",
    "working_table_assign_rapporteur",
    "working_table_create",
    "working_table_report_write",
]
