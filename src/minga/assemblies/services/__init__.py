"""Writes of the assemblies, one module per aggregate.

Each function is keyword-only, atomic, audited, and checks the domain's own rules (a vote
outside its window is refused, a proposal moves only along its workflow …). Other apps and
this app's views, API, tasks and commands call them through this package.
"""

from .amendments import AMENDMENT_ACTIONS, amendment_decide
from .base import AssemblyError
from .bodies import (
    RulesData,
    body_membership_add,
    body_rules_establish,
    rules_change_apply,
    rules_data_of,
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
    working_table_assign_rapporteur,
    working_table_create,
    working_table_report_write,
)
from .proposals import (
    DOCUMENT_KINDS,
    DOCUMENT_MAX_BYTES,
    TRANSITIONS,
    allowed_transitions,
    amendment_propose,
    comment_add,
    document_kind,
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
    clean_contents,
    count,
    default_options,
    election_for_blt,
    is_blank,
    ranked_ballots,
    vote_close,
    vote_close_now,
    vote_create,
    write_blt_of,
)

__all__ = [
    "AMENDMENT_ACTIONS",
    "BALLOT_FIELDS",
    "DEFAULT_OPTIONS",
    "DOCUMENT_KINDS",
    "DOCUMENT_MAX_BYTES",
    "MAX_SCORE",
    "REMINDED_ROLES",
    "TRANSITIONS",
    "AssemblyError",
    "CastResult",
    "RulesData",
    "agenda_item_add",
    "allowed_transitions",
    "amendment_decide",
    "amendment_propose",
    "attendance_check_in",
    "attendance_register",
    "ballot_cast",
    "body_membership_add",
    "body_rules_establish",
    "clean_contents",
    "comment_add",
    "count",
    "debate_comment_add",
    "debate_create",
    "decision_record",
    "declaration_publish",
    "default_options",
    "delegation_revoke",
    "delegation_set",
    "document_kind",
    "election_for_blt",
    "endorsement_add",
    "endorsement_withdraw",
    "is_blank",
    "meeting_create",
    "meeting_minutes_write",
    "milestone_add",
    "milestone_reach",
    "proposal_create",
    "proposal_document_add",
    "proposal_transition",
    "proposal_translation_save",
    "ranked_ballots",
    "result_create",
    "result_reminders_send",
    "result_update",
    "rules_change_apply",
    "rules_data_of",
    "vote_close",
    "vote_close_now",
    "vote_create",
    "working_table_assign_rapporteur",
    "working_table_create",
    "working_table_report_write",
    "write_blt_of",
]
