"""The assemblies' tables: bodies' rules and members, meetings, proposals, votes.

One file per part of the decision cycle; everything is re-exported here.
"""

from .bodies import (
    BodyMembership,
    BodyRules,
    DecisionKind,
    Delegation,
    ProposerKind,
    QuorumBasis,
    VotingMethod,
)
from .debates import DebateSpace
from .declarations import Declaration, DeclarationKind, Endorsement
from .meetings import AgendaItem, Attendance, Meeting, MeetingDecision
from .proposals import (
    Amendment,
    AmendmentStatus,
    Comment,
    Proposal,
    ProposalStatus,
    ProposalTranslation,
    ProposalVersion,
    SupportingDocument,
)
from .results import FollowUpResult, Milestone, ResultReminder, ResultStatus
from .votes import OpenBallot, SecretBallot, Tally, Vote, VoteParticipation
from .working_tables import WorkingTable

__all__ = [
    "AgendaItem",
    "Amendment",
    "AmendmentStatus",
    "Attendance",
    "BodyMembership",
    "BodyRules",
    "Comment",
    "DebateSpace",
    "DecisionKind",
    "Declaration",
    "DeclarationKind",
    "Delegation",
    "Endorsement",
    "FollowUpResult",
    "Meeting",
    "MeetingDecision",
    "Milestone",
    "OpenBallot",
    "Proposal",
    "ProposalStatus",
    "ProposalTranslation",
    "ProposalVersion",
    "ProposerKind",
    "QuorumBasis",
    "ResultReminder",
    "ResultStatus",
    "SecretBallot",
    "SupportingDocument",
    "Tally",
    "Vote",
    "VoteParticipation",
    "VotingMethod",
    "WorkingTable",
]
