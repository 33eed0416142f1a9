"""Reads of the assemblies that users see. Every list and every object goes through here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from minga.common.visibility import can_read_row, filter_visible, viewer_for
from minga.registry import selectors as registry
from minga.registry.selectors import (
    ANY_ROLE,
    MANAGING_ROLES,
    organizations_in_good_standing,
    organizations_user_manages,
    visible_organizations,
)

from .delegation import Chain, Resolution, resolve
from .models import (
    Amendment,
    Attendance,
    BodyMembership,
    BodyRules,
    Comment,
    DebateSpace,
    Declaration,
    Delegation,
    Endorsement,
    FollowUpResult,
    Meeting,
    OpenBallot,
    Proposal,
    ProposalStatus,
    ProposerKind,
    QuorumBasis,
    SecretBallot,
    Tally,
    Vote,
    VoteParticipation,
    WorkingTable,
)
from .progress import Node, roll_up

if TYPE_CHECKING:
    from minga.registry.models import Body, DelegateAccreditation


def receipt_digest(receipt: str) -> str:
    # "surrogatepass": a code pasted with a stray lone surrogate still hashes (to nothing).
    return hashlib.sha256(receipt.strip().encode("utf-8", "surrogatepass")).hexdigest()


# Bodies, rules and members


def visible_bodies(user: Any) -> QuerySet[Body]:
    """Bodies of the networks the user may see."""
    return registry.visible_bodies(user)


def get_body_for(user: Any, *, slug: str | None = None, uuid: Any = None) -> Body:
    """One body, under the rule of :func:`visible_bodies` asked of its network alone."""
    lookup = {"slug": slug} if slug is not None else {"uuid": uuid}
    body = registry.find_body(**lookup)
    if body is None or not can_read_row(body.organization, viewer_for(user)):
        raise Http404
    return body


def rules_in_force(body: Body) -> BodyRules | None:
    return body.rules_versions.order_by("-version").first()


def rules_history(body: Body) -> QuerySet[BodyRules]:
    return BodyRules.objects.filter(body=body).select_related("adopted_by").order_by("-version")


def current_memberships(body: Body, on: date | None = None) -> QuerySet[BodyMembership]:
    day = on or timezone.localdate()
    return (
        BodyMembership.objects.filter(body=body, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("organization")
    )


def member_organizations(body: Any, on: date | None = None) -> QuerySet[Any]:
    """The organizations with a current seat in the body."""
    return registry.organizations_by_ids(current_memberships(body, on).values("organization"))


def current_accreditations(body: Body, on: date | None = None) -> QuerySet[DelegateAccreditation]:
    return registry.current_accreditations(body, on)


def seats_of(person: Any, body: Body, on: date | None = None) -> list[BodyMembership]:
    """The members a person may act for in a body: those it is accredited to on their behalf."""
    if not getattr(person, "is_authenticated", False):
        return []
    organizations = current_accreditations(body, on).filter(person=person).values("organization")
    return list(current_memberships(body, on).filter(organization__in=organizations))


def may_propose(person: Any, body: Body, rules: BodyRules | None) -> list[int]:
    """The member organizations a person may propose for, under the rules in force."""
    if rules is None or not getattr(person, "is_authenticated", False):
        return []
    members = current_memberships(body)
    if rules.proposers == ProposerKind.DELEGATES:
        return [seat.organization_id for seat in seats_of(person, body)]
    kinds = MANAGING_ROLES if rules.proposers == ProposerKind.SPOKESPEOPLE else ANY_ROLE
    return registry.organization_ids_with_role_among(person, members.values("organization"), kinds)


# Meetings and quorum


def visible_meetings(user: Any, body: Body | None = None) -> QuerySet[Meeting]:
    meetings = filter_visible(Meeting.objects.all(), viewer_for(user)).filter(
        body__in=visible_bodies(user)
    )
    if body is not None:
        meetings = meetings.filter(body=body)
    return meetings.select_related("body")


def get_meeting_for(user: Any, uuid: Any) -> Meeting:
    meeting = visible_meetings(user).filter(uuid=uuid).first()
    if meeting is None:
        raise Http404
    return meeting


@dataclass(frozen=True)
class QuorumStatus:
    """Who is present against whom could be, under one version of the rules."""

    rules_version: int | None
    basis: str
    required: Fraction
    present_members: int
    total_members: int
    present_weight: int
    total_weight: int

    @property
    def share(self) -> Fraction:
        if self.basis == QuorumBasis.WEIGHT:
            return Fraction(self.present_weight, self.total_weight or 1)
        return Fraction(self.present_members, self.total_members or 1)

    @property
    def met(self) -> bool:
        present = self.present_weight if self.basis == QuorumBasis.WEIGHT else self.present_members
        return self.rules_version is not None and present > 0 and self.share >= self.required

    @property
    def percent(self) -> int:
        return int(self.share * 100)

    def to_record(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "basis": self.basis,
            "required": str(self.required),
            "present_members": self.present_members,
            "total_members": self.total_members,
            "present_weight": self.present_weight,
            "total_weight": self.total_weight,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> QuorumStatus:
        return cls(**{**record, "required": Fraction(record["required"])})


def quorum_of(
    rules: BodyRules | None, present: list[BodyMembership], members: list[BodyMembership]
) -> QuorumStatus:
    return QuorumStatus(
        rules_version=rules.version if rules else None,
        basis=rules.quorum_basis if rules else QuorumBasis.MEMBERS,
        required=rules.quorum if rules else Fraction(1),
        present_members=len(present),
        total_members=len(members),
        present_weight=sum(seat.weight for seat in present),
        total_weight=sum(seat.weight for seat in members),
    )


def rules_in_force_at(body: Body, moment: datetime) -> BodyRules | None:
    return body.rules_versions.filter(created_at__lte=moment).order_by("-version").first()


def meeting_quorum(meeting: Meeting, now: datetime | None = None) -> QuorumStatus:
    """The quorum from the check-ins: while the meeting runs, against today's members and
    rules; once it has ended, as written down then or, until then, against the members of
    its last day and the rules in force at its end."""
    if meeting.quorum_record:
        return QuorumStatus.from_record(meeting.quorum_record)
    ended = (now or timezone.now()) >= meeting.ends_at
    if ended:
        members = list(current_memberships(meeting.body, timezone.localdate(meeting.ends_at)))
        rules = rules_in_force_at(meeting.body, meeting.ends_at)
    else:
        members = list(current_memberships(meeting.body))
        rules = rules_in_force(meeting.body)
    checked_in = set(
        meeting.attendances.filter(checked_in_at__isnull=False).values_list(
            "membership_id", flat=True
        )
    )
    present = [seat for seat in members if seat.pk in checked_in]
    return quorum_of(rules, present, members)


def meeting_working_tables(meeting: Meeting) -> QuerySet[WorkingTable]:
    """The meeting's tables with their rapporteurs and linked agenda items (three queries)."""
    return (
        WorkingTable.objects.filter(meeting=meeting)
        .select_related("rapporteur")
        .prefetch_related("agenda_items")
        .order_by("name", "id")
    )


def get_working_table_for(user: Any, uuid: Any) -> WorkingTable:
    """A table is read by whoever reads its meeting."""
    table = (
        WorkingTable.objects.filter(uuid=uuid, meeting__in=visible_meetings(user))
        .select_related("meeting__body", "rapporteur")
        .first()
    )
    if table is None:
        raise Http404
    return table


def rapporteur_candidates(body: Body) -> QuerySet[Any]:
    """People who may report for a table: the body's currently accredited delegates."""
    from django.contrib.auth import get_user_model

    people = current_accreditations(body).values("person")
    return get_user_model().objects.filter(pk__in=people, is_active=True).order_by("username")


def meeting_attendances(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendances.select_related("membership__organization", "person").order_by(
        "membership__organization__name"
    )


# Proposals and comments


TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProposalStatus.DRAFT: (ProposalStatus.OPEN, ProposalStatus.WITHDRAWN),
    ProposalStatus.OPEN: (ProposalStatus.DEBATE, ProposalStatus.WITHDRAWN),
    ProposalStatus.DEBATE: (ProposalStatus.TO_VOTE, ProposalStatus.OPEN, ProposalStatus.WITHDRAWN),
    ProposalStatus.TO_VOTE: (ProposalStatus.WITHDRAWN,),
    ProposalStatus.ADOPTED: (),
    ProposalStatus.REJECTED: (),
    ProposalStatus.WITHDRAWN: (),
}
"""Moves people may make; adopted and rejected come only from a closed vote."""


def allowed_transitions(proposal: Proposal, now: datetime | None = None) -> tuple[str, ...]:
    """The moves a person may make now (the amendment window's deadline taken into account)."""
    return TRANSITIONS.get(proposal.status_at(now), ())


def visible_proposals(user: Any, body: Body | None = None) -> QuerySet[Proposal]:
    proposals = filter_visible(Proposal.objects.all(), viewer_for(user)).filter(
        body__in=visible_bodies(user)
    )
    if body is not None:
        proposals = proposals.filter(body=body)
    return proposals.select_related("body", "author", "on_behalf_of").annotate(
        comment_count=Count("comments", distinct=True),
        version_count=Count("versions", distinct=True),
    )


def with_status(proposals: QuerySet[Proposal], status: str) -> QuerySet[Proposal]:
    """Proposals whose status is ``status`` now (past its window, an open one is in debate)."""
    now = timezone.now()
    window_passed = Q(status=ProposalStatus.OPEN, amendments_close_at__lte=now)
    if status == ProposalStatus.OPEN:
        return proposals.filter(status=status).exclude(window_passed)
    if status == ProposalStatus.DEBATE:
        return proposals.filter(Q(status=status) | window_passed)
    if status not in ProposalStatus.values:
        return proposals.none()
    return proposals.filter(status=status)


def get_proposal_for(user: Any, uuid: Any) -> Proposal:
    proposal = visible_proposals(user).filter(uuid=uuid).first()
    if proposal is None:
        raise Http404
    return proposal


def current_version(proposal: Proposal) -> Any:
    return proposal.versions.order_by("-number").first()


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)


def comment_thread(proposal: Proposal) -> list[CommentNode]:
    """The comments as a tree, read in one query."""
    return _thread(Comment.objects.filter(proposal=proposal))


def debate_thread(debate: DebateSpace) -> list[CommentNode]:
    return _thread(Comment.objects.filter(debate=debate))


def _thread(comments: QuerySet[Comment]) -> list[CommentNode]:
    nodes = {
        comment.pk: CommentNode(comment)
        for comment in comments.select_related("author").order_by("created_at", "id")
    }
    roots: list[CommentNode] = []
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id) if node.comment.parent_id else None
        (parent.replies if parent else roots).append(node)
    return roots


COMMENT_THREADS_PER_PAGE = 20
"""Root comments (each with all its replies) per page of a proposal's discussion."""


def comment_page_of(comment: Comment) -> int:
    """The page of the discussion that shows this comment (its thread's root's page)."""
    root = comment
    while root.parent_id is not None:
        root = Comment.objects.only("pk", "parent_id", "created_at").get(pk=root.parent_id)
    place: dict[str, Any] = (
        {"proposal_id": comment.proposal_id}
        if comment.proposal_id is not None
        else {"debate_id": comment.debate_id}
    )
    earlier = Comment.objects.filter(
        Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk),
        parent__isnull=True,
        **place,
    ).count()
    return earlier // COMMENT_THREADS_PER_PAGE + 1


def proposal_amendments(proposal: Proposal) -> QuerySet[Any]:
    return proposal.amendments.select_related("author", "on_behalf_of", "base_version")


# Debate spaces


def visible_debates(user: Any, body: Body | None = None) -> QuerySet[DebateSpace]:
    debates = filter_visible(DebateSpace.objects.all(), viewer_for(user)).filter(
        body__in=visible_bodies(user)
    )
    if body is not None:
        debates = debates.filter(body=body)
    return (
        debates.select_related("body", "created_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-created_at", "-id")
    )


def get_debate_for(user: Any, uuid: Any) -> DebateSpace:
    debate = visible_debates(user).filter(uuid=uuid).first()
    if debate is None:
        raise Http404
    return debate


# Votes


def visible_votes(user: Any, body: Body | None = None) -> QuerySet[Vote]:
    bodies = visible_bodies(user)
    # The proposals' rule without the list's annotations (counts grouped in a subquery that
    # only its keys are read from).
    proposals = filter_visible(Proposal.objects.all(), viewer_for(user)).filter(body__in=bodies)
    votes = Vote.objects.filter(body__in=bodies).filter(
        Q(proposal__isnull=True) | Q(proposal__in=proposals.values("pk"))
    )
    if body is not None:
        votes = votes.filter(body=body)
    return votes.select_related("body", "proposal", "rules")


def get_vote_for(user: Any, uuid: Any) -> Vote:
    """One vote, under the rule of :func:`visible_votes` asked of this row alone: its body's
    network, and its proposal with the proposal's own body's network. Each ballot cast reads
    a vote, and compiling the list's nested subqueries cost more than the cast's own work."""
    vote = (
        Vote.objects.select_related("body__organization", "proposal__body__organization", "rules")
        .filter(uuid=uuid)
        .first()
    )
    if vote is None:
        raise Http404
    viewer = viewer_for(user)
    if not can_read_row(vote.body.organization, viewer):
        raise Http404
    proposal = vote.proposal
    if proposal is not None and not (
        can_read_row(proposal, viewer)
        and (proposal.body_id == vote.body_id or can_read_row(proposal.body.organization, viewer))
    ):
        raise Http404
    return vote


def vote_state(vote: Vote, now: Any = None) -> str:
    moment = now or timezone.now()
    if vote.closed_at is not None:
        return "closed"
    if moment < vote.opens_at:
        return "scheduled"
    if moment >= vote.closes_at:
        return "ended"
    return "open"


def vote_adopted(vote: Vote) -> bool | None:
    """Whether a closed vote adopted its question (quorum met); None while it has no
    counted result, or for a vote that elects rather than adopts."""
    return Tally.objects.filter(vote=vote).values_list("adopted", flat=True).first()


def counted_receipts(vote: Vote) -> list[str]:
    """Digests of the receipts of the counted secret ballots, sorted (never insertion order)."""
    return sorted(SecretBallot.objects.filter(vote=vote).values_list("receipt_hash", flat=True))


def receipt_is_counted(vote: Vote, receipt: str) -> bool:
    return SecretBallot.objects.filter(vote=vote, receipt_hash=receipt_digest(receipt)).exists()


def roll_call(vote: Vote) -> QuerySet[OpenBallot]:
    return vote.open_ballots.select_related("membership__organization", "cast_by")


def participated(vote: Vote) -> set[int]:
    return set(VoteParticipation.objects.filter(vote=vote).values_list("membership_id", flat=True))


def participations_of(vote: Vote, seats: list[BodyMembership]) -> dict[int, int | None]:
    """For the seats that took part: the seat whose secret ballot carried them (or ``None``
    when they voted themselves). Never what they chose."""
    if not seats:
        return {}
    return dict(
        VoteParticipation.objects.filter(
            vote=vote, membership__in=[seat.pk for seat in seats]
        ).values_list("membership_id", "via_id")
    )


def delegation_map(body: Body, proposal: Proposal | None) -> dict[int, int]:
    """Active delegations, member → delegate; a per-proposal one replaces the per-body one."""
    active = Delegation.objects.filter(body=body, revoked_at__isnull=True)
    mapping = dict(active.filter(proposal__isnull=True).values_list("delegator_id", "delegate_id"))
    if proposal is not None:
        mapping.update(active.filter(proposal=proposal).values_list("delegator_id", "delegate_id"))
    return mapping


def delegation_resolution(vote: Vote, direct_voters: set[int]) -> Resolution[int]:
    members = current_memberships(vote.body)
    weights = {seat.pk: seat.weight for seat in members}
    delegations = delegation_map(vote.body, vote.proposal) if vote.rules.delegation_allowed else {}
    return resolve(weights, delegations, direct_voters)


@dataclass(frozen=True)
class ChainView:
    """A seat's chain with the organizations' names, for showing to its delegates."""

    seat: BodyMembership
    names: list[str]
    chain: Chain[int]


def chains_for(user: Any, vote: Vote) -> list[ChainView]:
    """For each seat the user acts for: the chain its weight follows in this vote now."""
    seats = seats_of(user, vote.body)
    if not seats:
        return []
    voted = (
        participated(vote)
        if vote.secret
        else set(vote.open_ballots.values_list("membership_id", flat=True))
    )
    resolution = delegation_resolution(vote, voted)
    names = dict(current_memberships(vote.body).values_list("pk", "organization__name"))
    views = []
    for seat in seats:
        chain = resolution.chains.get(seat.pk, Chain((seat.pk,), None))
        views.append(ChainView(seat, [names.get(pk, "?") for pk in chain.path], chain))
    return views


def delegations_of(body: Body) -> QuerySet[Delegation]:
    return Delegation.objects.filter(body=body, revoked_at__isnull=True).select_related(
        "delegator__organization", "delegate__organization", "proposal"
    )


# Declarations


def visible_declarations(user: Any, body: Body | None = None) -> QuerySet[Declaration]:
    declarations = filter_visible(Declaration.objects.all(), viewer_for(user)).filter(
        body__in=visible_bodies(user)
    )
    if body is not None:
        declarations = declarations.filter(body=body)
    # Counted exactly as ``visible_signatories`` lists them for this reader, so a count never
    # includes a signatory the reader cannot see in the list.
    return declarations.select_related("body").annotate(
        signatory_count=Count(
            "endorsements",
            filter=Q(
                endorsements__withdrawn_at__isnull=True,
                endorsements__organization__in=visible_organizations(user).values("pk"),
            ),
            distinct=True,
        )
    )


def get_declaration_for(user: Any, uuid: Any) -> Declaration:
    declaration = visible_declarations(user).filter(uuid=uuid).first()
    if declaration is None:
        raise Http404
    return declaration


def signatories(declaration: Declaration) -> QuerySet[Endorsement]:
    """Every endorsement, standing or withdrawn, oldest first (the public list and history).

    Organizations are named only if the reader may see them; the caller filters them.
    """
    return declaration.endorsements.select_related("organization").order_by("endorsed_at", "id")


def visible_signatories(user: Any, declaration: Declaration) -> QuerySet[Endorsement]:
    return signatories(declaration).filter(organization__in=visible_organizations(user))


def organizations_that_may_endorse(user: Any) -> QuerySet[Any]:
    """The organizations the user speaks for that are members in good standing."""
    return organizations_user_manages(user).filter(
        pk__in=organizations_in_good_standing().values("pk")
    )


# Follow-up of agreements


@dataclass(frozen=True)
class ResultFilters:
    body: str = ""
    status: str = ""
    organization: str = ""
    overdue: bool = False


def visible_results(user: Any, filters: ResultFilters | None = None) -> QuerySet[FollowUpResult]:
    """Results of the bodies the user may see, filtered for the dashboard."""
    results = FollowUpResult.objects.filter(body__in=visible_bodies(user)).select_related(
        "body", "responsible", "parent", "declaration"
    )
    chosen = filters or ResultFilters()
    if chosen.body:
        results = results.filter(body__slug=chosen.body)
    if chosen.status:
        results = results.filter(status=chosen.status)
    if chosen.organization:
        results = results.filter(responsible__slug=chosen.organization)
    if chosen.overdue:
        results = results.filter(due_on__lt=timezone.localdate()).exclude(
            status__in=["done", "dropped"]
        )
    return results.order_by("body__name", "due_on", "id")


def as_tree(results: list[FollowUpResult]) -> list[tuple[FollowUpResult, int]]:
    """The results in tree order, each with its depth: every result is followed by its
    parts (in the list's order), and theirs. A part whose parent is not in the list (a
    filter left it out) starts a tree of its own."""
    present = {result.pk for result in results}
    children: dict[int | None, list[FollowUpResult]] = {}
    for result in results:
        parent = result.parent_id if result.parent_id in present else None
        children.setdefault(parent, []).append(result)
    ordered: list[tuple[FollowUpResult, int]] = []
    stack = [(root, 0) for root in reversed(children.get(None, []))]
    while stack:
        result, depth = stack.pop()
        ordered.append((result, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(result.pk, [])))
    return ordered


def result_subtree(result: FollowUpResult) -> list[tuple[FollowUpResult, int]]:
    """The parts of a result and their parts, in tree order with their depth below it."""
    rows = list(
        FollowUpResult.objects.filter(body_id=result.body_id)
        .select_related("responsible")
        .order_by("due_on", "id")
    )
    below: dict[int | None, list[FollowUpResult]] = {}
    for row in rows:
        below.setdefault(row.parent_id, []).append(row)
    ordered: list[tuple[FollowUpResult, int]] = []
    stack = [(child, 1) for child in reversed(below.get(result.pk, []))]
    while stack:
        row, depth = stack.pop()
        ordered.append((row, depth))
        stack.extend((child, depth + 1) for child in reversed(below.get(row.pk, [])))
    return ordered


def get_result_for(user: Any, uuid: Any) -> FollowUpResult:
    result = visible_results(user).filter(uuid=uuid).first()
    if result is None:
        raise Http404
    return result


def rolled_up_progress(results: list[FollowUpResult]) -> dict[int, int]:
    """Progress of each result, rolled up over its whole subtree (one query per body)."""
    body_ids = {result.body_id for result in results}
    rows = FollowUpResult.objects.filter(body_id__in=body_ids).values_list(
        "pk", "parent_id", "weight", "status", "progress"
    )
    nodes = {
        pk: Node(pk, parent, weight, status, progress)
        for pk, parent, weight, status, progress in rows
    }
    return roll_up(nodes)


def get_amendment_for(user: Any, uuid: Any) -> Amendment:
    """An amendment is seen by whoever may see its proposal; 404 otherwise."""
    amendment = (
        Amendment.objects.filter(uuid=uuid, proposal__in=visible_proposals(user))
        .select_related("proposal")
        .first()
    )
    if amendment is None:
        raise Http404
    return amendment


def get_rules_for(user: Any, uuid: Any) -> BodyRules:
    """A version of a body's rules is seen by whoever may see the body; 404 otherwise."""
    rules = BodyRules.objects.filter(uuid=uuid, body__in=visible_bodies(user)).first()
    if rules is None:
        raise Http404
    return rules


# The activity log: the objects of each kind whose audit entries a reader may read
# (registered with ``minga.common.audit.register_audit_scope`` in ``apps.py``).


def visible_amendments(user: Any) -> QuerySet[Amendment]:
    return Amendment.objects.filter(proposal__in=visible_proposals(user))


def visible_working_tables(user: Any) -> QuerySet[WorkingTable]:
    return WorkingTable.objects.filter(meeting__in=visible_meetings(user))


def visible_rules_versions(user: Any) -> QuerySet[BodyRules]:
    return BodyRules.objects.filter(body__in=visible_bodies(user))


def visible_seats(user: Any) -> QuerySet[BodyMembership]:
    return BodyMembership.objects.filter(
        body__in=visible_bodies(user), organization__in=visible_organizations(user)
    )


def visible_delegations(user: Any) -> QuerySet[Delegation]:
    """A delegation is read by whoever may see the body and both members' organizations."""
    organizations = visible_organizations(user)
    return Delegation.objects.filter(
        body__in=visible_bodies(user),
        delegator__organization__in=organizations,
        delegate__organization__in=organizations,
    )
