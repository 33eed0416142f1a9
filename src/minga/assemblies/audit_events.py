"""What the assemblies write to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class AssembliesEvent(AuditEvent):
    RULES_ESTABLISH = "assemblies.rules.establish", _("%(actor)s set the first rules of %(object)s")
    RULES_CHANGE = "assemblies.rules.change", _("%(actor)s applied a change of rules: %(object)s")
    MEMBERSHIP_ADD = "assemblies.membership.add", _("%(actor)s gave a seat: %(object)s")
    MEMBERSHIP_WEIGHT = (
        "assemblies.membership.weight",
        _("%(actor)s changed the weight of a seat: %(object)s"),
    )
    MEETING_CREATE = "assemblies.meeting.create", _("%(actor)s called the meeting %(object)s")
    AGENDA_ADD = "assemblies.agenda.add", _("%(actor)s added to the agenda: %(object)s")
    MEETING_REGISTER = (
        "assemblies.meeting.register",
        _("%(actor)s registered for a meeting: %(object)s"),
    )
    MEETING_CHECK_IN = (
        "assemblies.meeting.check_in",
        _("%(actor)s checked in to a meeting: %(object)s"),
    )
    MEETING_MINUTES = "assemblies.meeting.minutes", _("%(actor)s wrote the minutes of %(object)s")
    MEETING_DECISION = "assemblies.meeting.decision", _("%(actor)s recorded a decision: %(object)s")
    TABLE_CREATE = "assemblies.table.create", _("%(actor)s opened the working table %(object)s")
    TABLE_RAPPORTEUR = (
        "assemblies.table.rapporteur",
        _("%(actor)s named the rapporteur of %(object)s"),
    )
    TABLE_REPORT = "assemblies.table.report", _("%(actor)s wrote the report of %(object)s")
    PROPOSAL_CREATE = "assemblies.proposal.create", _("%(actor)s proposed %(object)s")
    PROPOSAL_TRANSITION = (
        "assemblies.proposal.transition",
        _("%(actor)s moved the proposal %(object)s to its next stage"),
    )
    PROPOSAL_TRANSLATE = (
        "assemblies.proposal.translate",
        _("%(actor)s translated the proposal %(object)s"),
    )
    PROPOSAL_DOCUMENT = (
        "assemblies.proposal.document",
        _("%(actor)s added a document to %(object)s"),
    )
    COMMENT_ADD = "assemblies.comment.add", _("%(actor)s commented on %(object)s")
    AMENDMENT_PROPOSE = (
        "assemblies.amendment.propose",
        _("%(actor)s proposed an amendment: %(object)s"),
    )
    AMENDMENT_DECIDE = (
        "assemblies.amendment.decide",
        _("%(actor)s decided on the amendment %(object)s"),
    )
    DELEGATION_SET = "assemblies.delegation.set", _("%(actor)s delegated a vote: %(object)s")
    DELEGATION_REVOKE = (
        "assemblies.delegation.revoke",
        _("%(actor)s revoked a delegation: %(object)s"),
    )
    VOTE_CREATE = "assemblies.vote.create", _("%(actor)s opened the vote %(object)s")
    BALLOT_CAST = "assemblies.ballot.cast", _("%(actor)s voted in %(object)s")
    BALLOT_CHANGE = "assemblies.ballot.change", _("%(actor)s changed their vote in %(object)s")
    VOTE_CLOSE = "assemblies.vote.close", _("%(actor)s closed and counted the vote %(object)s")
    VOTE_CLOSE_NOW = (
        "assemblies.vote.close_now",
        _("%(actor)s closed the vote %(object)s before its deadline"),
    )
    DECLARATION_PUBLISH = "assemblies.declaration.publish", _("%(actor)s published %(object)s")
    ENDORSEMENT_ADD = "assemblies.endorsement.add", _("%(actor)s signed %(object)s")
    ENDORSEMENT_WITHDRAW = (
        "assemblies.endorsement.withdraw",
        _("%(actor)s withdrew a signature from %(object)s"),
    )
    RESULT_CREATE = "assemblies.result.create", _("%(actor)s added the result %(object)s")
    RESULT_UPDATE = "assemblies.result.update", _("%(actor)s updated the result %(object)s")
    RESULT_REMIND = "assemblies.result.remind", _("%(actor)s sent a reminder about %(object)s")
    MILESTONE_ADD = "assemblies.milestone.add", _("%(actor)s added a milestone to %(object)s")
    MILESTONE_REACH = (
        "assemblies.milestone.reach",
        _("%(actor)s marked a milestone reached: %(object)s"),
    )
    DEBATE_CREATE = "assemblies.debate.create", _("%(actor)s opened the debate %(object)s")
