"""Permission rules of the assemblies (see ``minga.common.permissions``).

Managers of a body are the coordinators and administrators of its network; members of a
body act through the delegates accredited to it; everyone else reads what visibility allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minga.common.permissions import rule
from minga.common.visibility import can_view, viewer_for
from minga.registry.selectors import DECIDING_ROLES, MANAGING_ROLES, organization_ids_with_role

from . import selectors
from .models import (
    Amendment,
    DebateSpace,
    Declaration,
    FollowUpResult,
    Meeting,
    Proposal,
    Vote,
    WorkingTable,
)

if TYPE_CHECKING:
    from minga.registry.models import Body


def manages(user: Any, body: Body) -> bool:
    return body.organization_id in organization_ids_with_role(user, DECIDING_ROLES)


def _seated(user: Any, body: Body) -> bool:
    """Whether the user acts for a member of the body; cached with the user's roles for the
    request (``forget_viewer`` clears both)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cache: dict[tuple[str, ...], frozenset[int]] = user.__dict__.setdefault("_minga_roles", {})
    key = ("assemblies-seats", str(body.pk))
    if key not in cache:
        cache[key] = frozenset(seat.pk for seat in selectors.seats_of(user, body))
    return bool(cache[key])


@rule("assemblies.body.view")
def can_view_body(user: Any, body: Body) -> bool:
    return can_view(body.organization, viewer_for(user))


@rule("assemblies.body.manage")
def can_manage_body(user: Any, body: Body) -> bool:
    """Establish first rules, seat members, call meetings, open and close votes."""
    return manages(user, body)


@rule("assemblies.body.take_part")
def can_take_part(user: Any, body: Body) -> bool:
    """Accredited delegates of current members: check in, vote, delegate."""
    return _seated(user, body)


@rule("assemblies.meeting.view")
def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    return can_view(meeting, viewer_for(user))


@rule("assemblies.meeting.manage")
def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    return manages(user, meeting.body)


@rule("assemblies.meeting.check_in")
def can_check_in(user: Any, meeting: Meeting) -> bool:
    """Delegates check themselves in; the body's managers check delegates in at the door
    (the service checks that the delegate is accredited)."""
    return _seated(user, meeting.body) or manages(user, meeting.body)


@rule("assemblies.working_table.report")
def can_report_for_table(user: Any, table: WorkingTable) -> bool:
    """The table's rapporteur writes its report; the body's managers may correct it."""
    return bool(table.rapporteur_id is not None and table.rapporteur_id == user.pk) or manages(
        user, table.meeting.body
    )


def _takes_part(user: Any, body: Body) -> bool:
    return (
        manages(user, body)
        or _seated(user, body)
        or bool(selectors.may_propose(user, body, selectors.rules_in_force(body)))
    )


@rule("assemblies.debate.create")
def can_open_debate(user: Any, body: Body) -> bool:
    """The body's members (their delegates and people), and its managers, open debates."""
    return _takes_part(user, body)


@rule("assemblies.debate.comment")
def can_debate(user: Any, debate: DebateSpace) -> bool:
    return _takes_part(user, debate.body)


@rule("assemblies.proposal.view")
def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    return can_view(proposal, viewer_for(user))


@rule("assemblies.proposal.create")
def can_create_proposal(user: Any, body: Body) -> bool:
    return bool(selectors.may_propose(user, body, selectors.rules_in_force(body)))


@rule("assemblies.proposal.comment")
def can_comment(user: Any, proposal: Proposal) -> bool:
    """Delegates, managers and people of member organizations who may propose."""
    return (
        manages(user, proposal.body)
        or _seated(user, proposal.body)
        or bool(selectors.may_propose(user, proposal.body, selectors.rules_in_force(proposal.body)))
    )


@rule("assemblies.proposal.translate")
def can_translate(user: Any, proposal: Proposal) -> bool:
    """Those who take part in the discussion translate it and bring documents to it."""
    return can_comment(user, proposal)


@rule("assemblies.proposal.attach")
def can_attach(user: Any, proposal: Proposal) -> bool:
    return can_comment(user, proposal)


@rule("assemblies.proposal.amend")
def can_amend(user: Any, proposal: Proposal) -> bool:
    """Those who may propose, while the proposal is open for amendments (its window too)."""
    return proposal.current_status == "open" and bool(
        selectors.may_propose(user, proposal.body, selectors.rules_in_force(proposal.body))
    )


@rule("assemblies.amendment.propose")
def can_propose_amendment(user: Any, proposal: Proposal) -> bool:
    """Those who may propose; whether the proposal is still open for amendments is the
    service's to say (``assemblies.proposal.amend`` adds it, for what pages show)."""
    return bool(selectors.may_propose(user, proposal.body, selectors.rules_in_force(proposal.body)))


@rule("assemblies.proposal.change")
def can_change_proposal(user: Any, proposal: Proposal) -> bool:
    """The author opens a draft and may withdraw it; managers may too."""
    return bool(proposal.author_id == user.pk) or manages(user, proposal.body)


@rule("assemblies.proposal.steer")
def can_steer_proposal(user: Any, proposal: Proposal) -> bool:
    """Move a proposal from amendments to debate and to the vote: the body's managers."""
    return manages(user, proposal.body)


@rule("assemblies.proposal.move")
def can_move_proposal(user: Any, proposal: Proposal) -> bool:
    """Any move of a proposal's status; which move is allowed is ``transition_rule``'s."""
    return can_change_proposal(user, proposal) or can_steer_proposal(user, proposal)


@rule("assemblies.amendment.decide")
def can_decide_amendment(user: Any, amendment: Amendment) -> bool:
    return bool(amendment.proposal.author_id == user.pk) or manages(user, amendment.proposal.body)


@rule("assemblies.amendment.withdraw")
def can_withdraw_amendment(user: Any, amendment: Amendment) -> bool:
    return bool(amendment.author_id == user.pk)


@rule("assemblies.vote.cast")
def can_cast(user: Any, vote: Vote) -> bool:
    return _seated(user, vote.body)


@rule("assemblies.vote.manage")
def can_manage_vote(user: Any, vote: Vote) -> bool:
    return manages(user, vote.body)


@rule("assemblies.declaration.view")
def can_view_declaration(user: Any, declaration: Declaration) -> bool:
    return can_view(declaration, viewer_for(user))


@rule("assemblies.declaration.publish")
def can_publish(user: Any, proposal: Proposal) -> bool:
    return manages(user, proposal.body)


@rule("assemblies.declaration.endorse")
def can_endorse(user: Any, _declaration: Any = None) -> bool:
    """People who speak for some organization; the service checks which one."""
    return bool(organization_ids_with_role(user, MANAGING_ROLES))


@rule("assemblies.result.update")
def can_update_result(user: Any, result: FollowUpResult) -> bool:
    """The responsible organization's spokespeople and the body's managers report progress."""
    return result.responsible_id in organization_ids_with_role(user, MANAGING_ROLES) or manages(
        user, result.body
    )


def transition_rule(to_status: str) -> str:
    return (
        "assemblies.proposal.change"
        if to_status in ("open", "withdrawn")
        else ("assemblies.proposal.steer")
    )


@rule("assemblies.amendment.act")
def can_act_on_amendment(user: Any, amendment: Amendment) -> bool:
    """Any decision on an amendment; which one is allowed is ``amendment_rule``'s."""
    return can_decide_amendment(user, amendment) or can_withdraw_amendment(user, amendment)


def amendment_rule(action: str) -> str:
    return (
        "assemblies.amendment.withdraw" if action == "withdraw" else "assemblies.amendment.decide"
    )
