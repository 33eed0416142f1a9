"""The decision cycle through its services: rules, meetings, proposals, amendments, votes."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from minga.assemblies import selectors, services
from minga.assemblies.exports import write_blt_of
from minga.assemblies.models import (
    Amendment,
    Attendance,
    BodyRules,
    OpenBallot,
    Proposal,
    SecretBallot,
    Tally,
    VoteParticipation,
)
from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.core.tally import parse_blt, stv
from minga.people.models import User

from .conftest import Congress, after_close, open_window, proposal_to_vote


def test_rules_are_established_once(congress: Congress) -> None:
    """A body's first rules are set once; after that only its own decision changes them."""
    with pytest.raises(DomainError) as refused:
        services.body_rules_establish(
            actor=congress.chair, body=congress.body, data=services.RulesData()
        )
    assert refused.value.field == "rules"
    assert BodyRules.objects.filter(body=congress.body).count() == 1


def test_rules_change_by_adopted_proposal_creates_next_version(congress: Congress) -> None:
    """An adopted rules change makes version 2; the tally records version 1, which applied."""
    proposal = proposal_to_vote(
        congress, kind="rules_change", rules_payload={"quorum": "2/3", "amendment_window_days": 3}
    )
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="Reglas",
        method="majority",
        **open_window(),
    )
    for delegate in congress.delegates:
        services.ballot_cast(actor=delegate, vote=vote, contents={"option": "yes"})
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.rules_version == 1 and tally.adopted is True
    current = selectors.rules_in_force(congress.body)
    assert current.version == 2 and current.quorum_numerator == 2 and current.adopted_by == proposal
    assert current.amendment_window_days == 3
    proposal.refresh_from_db()
    assert services.rules_change_apply(actor=congress.chair, proposal=proposal) == current


def test_rules_change_needs_its_qualified_majority(congress: Congress) -> None:
    """A rules change with 4 of 6 weight (< 2/3? no: exactly 2/3) passes; 3 of 6 fails."""
    proposal = proposal_to_vote(congress, kind="rules_change", rules_payload={"quorum": "1/3"})
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="Reglas",
        method="majority",
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"option": "yes"})
    services.ballot_cast(actor=congress.delegates[1], vote=vote, contents={"option": "no"})
    services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"option": "no"})
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.result["method"] == "qualified" and tally.adopted is False
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert selectors.rules_in_force(congress.body).version == 1


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "debate"),
        ("draft", "to_vote"),
        ("draft", "adopted"),
        ("open", "to_vote"),
        ("open", "rejected"),
    ],
)
def test_disallowed_transitions_are_refused_and_change_nothing(
    congress: Congress, start: str, target: str
) -> None:
    """Moves outside the workflow are refused; the status and the audit log stay as they were."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="T",
        text="x",
    )
    if start == "open":
        services.proposal_transition(actor=congress.chair, proposal=proposal, to_status="open")
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        services.proposal_transition(actor=congress.chair, proposal=proposal, to_status=target)
    proposal.refresh_from_db()
    assert proposal.status == start and AuditEntry.objects.count() == entries


def test_only_allowed_proposers_propose(congress: Congress) -> None:
    """With proposers = delegates, someone without accreditation is refused by the rule
    before anything is made; a delegate proposing for a member they do not act for is refused
    naming the field."""
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=congress.outsider,
            body=congress.body,
            on_behalf_of=congress.orgs[0],
            title="T",
            text="x",
        )
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=congress.delegates[1],
            body=congress.body,
            on_behalf_of=congress.orgs[0],
            title="T",
            text="x",
        )
    assert refused.value.field == "on_behalf_of" and not Proposal.objects.exists()


def test_check_in_is_idempotent_and_quorum_is_live(congress: Congress) -> None:
    """Checking in twice is one attendance; quorum (1/2 of members) is met at the second seat."""
    now = timezone.now()
    meeting = services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="Congreso",
        starts_at=now,
        ends_at=now + timedelta(hours=3),
        online_url="https://meet.example.org/congreso",
        agenda=["Apertura", "Fondo común"],
    )
    first = services.attendance_check_in(actor=congress.delegates[0], meeting=meeting)
    again = services.attendance_check_in(actor=congress.delegates[0], meeting=meeting)
    assert first.pk == again.pk and Attendance.objects.count() == 1
    status = selectors.meeting_quorum(meeting)
    assert (status.present_members, status.total_members, status.met) == (1, 3, False)
    services.attendance_check_in(actor=congress.delegates[1], meeting=meeting)
    status = selectors.meeting_quorum(meeting)
    assert status.met and status.rules_version == 1 and status.present_weight == 3


def test_check_in_refuses_people_not_accredited(congress: Congress) -> None:
    """Only accredited delegates of members check in; a refusal leaves no attendance."""
    now = timezone.now()
    meeting = services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="C",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        place="Caracas",
    )
    with pytest.raises(PermissionDenied):
        services.attendance_check_in(actor=congress.outsider, meeting=meeting)
    assert not Attendance.objects.exists()


def test_meeting_link_must_be_https(congress: Congress) -> None:
    """An online link that is not https is refused."""
    now = timezone.now()
    with pytest.raises(DomainError) as refused:
        services.meeting_create(
            actor=congress.chair,
            body=congress.body,
            title="C",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            online_url="http://meet.example.org/x",
        )
    assert refused.value.field == "online_url"


def test_amendment_accepted_by_author_makes_a_new_version(congress: Congress) -> None:
    """Accepting an amendment merges it, even against an older version, when lines don't overlap."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="Fondo",
        text="Uno.\nDos.\nTres.\n",
    )
    services.proposal_transition(actor=congress.delegates[0], proposal=proposal, to_status="open")
    v1 = selectors.current_version(proposal)
    first = services.amendment_propose(
        actor=congress.delegates[1],
        proposal=proposal,
        base_version=v1,
        new_text="Uno, dos.\nDos.\nTres.\n",
        on_behalf_of=congress.orgs[1],
    )
    second = services.amendment_propose(
        actor=congress.delegates[2],
        proposal=proposal,
        base_version=v1,
        new_text="Uno.\nDos.\nTres y cuatro.\n",
        on_behalf_of=congress.orgs[2],
    )
    services.amendment_decide(actor=congress.delegates[0], amendment=first, action="accept")
    services.amendment_decide(actor=congress.delegates[0], amendment=second, action="accept")
    current = selectors.current_version(proposal)
    assert current.number == 3 and current.text == "Uno, dos.\nDos.\nTres y cuatro.\n"
    with pytest.raises(DomainError):
        services.amendment_decide(actor=congress.delegates[0], amendment=first, action="decline")


def test_amendment_outside_window_is_refused(congress: Congress) -> None:
    """After the amendment window closes no amendment is accepted."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="F",
        text="a",
    )
    services.proposal_transition(actor=congress.delegates[0], proposal=proposal, to_status="open")
    with pytest.raises(DomainError):
        services.amendment_propose(
            actor=congress.delegates[1],
            proposal=proposal,
            base_version=selectors.current_version(proposal),
            new_text="b",
            on_behalf_of=congress.orgs[1],
            now=timezone.now() + timedelta(days=8),
        )
    assert not Amendment.objects.exists()


def test_amendment_put_to_vote_and_adopted_becomes_a_version(congress: Congress) -> None:
    """An amendment adopted by vote is merged as a new version of the text."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="F",
        text="a",
    )
    services.proposal_transition(actor=congress.delegates[0], proposal=proposal, to_status="open")
    amendment = services.amendment_propose(
        actor=congress.delegates[1],
        proposal=proposal,
        base_version=selectors.current_version(proposal),
        new_text="b",
        on_behalf_of=congress.orgs[1],
    )
    services.amendment_decide(actor=congress.delegates[0], amendment=amendment, action="to_vote")
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        amendment=amendment,
        title="Enmienda",
        method="majority",
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"option": "yes"})
    services.ballot_cast(actor=congress.delegates[1], vote=vote, contents={"option": "yes"})
    services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    amendment.refresh_from_db()
    assert amendment.status == "adopted" and selectors.current_version(proposal).text == "b"


def _count_state() -> tuple[int, int, int, int]:
    return (
        VoteParticipation.objects.count(),
        OpenBallot.objects.count(),
        SecretBallot.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("secret", [False, True])
def test_refused_ballots_change_nothing(congress: Congress, secret: bool) -> None:
    """Outside the window, by a non-member, or a second time: refused, nothing written."""
    proposal = proposal_to_vote(congress)
    now = timezone.now()
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        secret=secret,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
    )
    services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"option": "yes"})
    before = _count_state()
    attempts: list[dict[str, Any]] = [
        {"actor": congress.delegates[1], "now": now - timedelta(hours=2)},
        {"actor": congress.delegates[1], "now": now + timedelta(hours=2)},
        {"actor": congress.outsider},
        {"actor": congress.delegates[0]},
    ]
    for attempt in attempts:
        refusal = PermissionDenied if attempt["actor"] is congress.outsider else DomainError
        with pytest.raises(refusal):
            services.ballot_cast(vote=vote, contents={"option": "no"}, **attempt)
    assert _count_state() == before


def test_open_vote_weights_and_delegation_with_override(congress: Congress) -> None:
    """Roll-call: weights come from seats; a delegation counts unless the delegator votes."""
    a, _b, c = congress.seats
    services.delegation_set(actor=congress.delegates[0], delegator=a, delegate=c)
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"option": "no"})
    services.ballot_cast(actor=congress.delegates[1], vote=vote, contents={"option": "yes"})
    chains = selectors.chains_for(congress.delegates[0], vote)
    assert chains[0].names == ["Comuna 1", "Comuna 3"]
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.result["rounds"][0]["counts"] == {"yes": 2, "no": 4, "abstain": 0}
    assert tally.adopted is False and tally.participating_weight == 6


def test_direct_vote_overrides_delegation(congress: Congress) -> None:
    """When the delegator votes itself, its weight stays with its own ballot."""
    a, _b, c = congress.seats
    services.delegation_set(actor=congress.delegates[0], delegator=a, delegate=c)
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"option": "no"})
    services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"option": "yes"})
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.result["rounds"][0]["counts"] == {"yes": 1, "no": 3, "abstain": 0}


def test_secret_ballot_with_delegation_carries_weight_and_locks_the_delegator(
    congress: Congress,
) -> None:
    """A delegate's secret ballot carries the delegator's weight; the delegator cannot vote."""
    a, _b, c = congress.seats
    services.delegation_set(actor=congress.delegates[0], delegator=a, delegate=c)
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        secret=True,
        **open_window(),
    )
    result = services.ballot_cast(
        actor=congress.delegates[2], vote=vote, contents={"option": "yes"}
    )
    assert result.weight == 4 and result.receipt
    with pytest.raises(DomainError):
        services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"option": "no"})
    assert selectors.receipt_is_counted(vote, result.receipt)
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.adopted is True and tally.quorum_met


def test_secret_ballot_changed_only_with_its_receipt(congress: Congress) -> None:
    """Where the rules allow changes, the voter replaces a secret ballot with its receipt."""
    congress.rules.ballot_change_allowed = True
    congress.rules.save()
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        secret=True,
        **open_window(),
    )
    receipt = services.ballot_cast(
        actor=congress.delegates[2], vote=vote, contents={"option": "yes"}
    ).receipt
    with pytest.raises(DomainError) as refused:
        services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"option": "no"})
    assert refused.value.field == "receipt"
    services.ballot_cast(
        actor=congress.delegates[2], vote=vote, contents={"option": "no"}, receipt=receipt or ""
    )
    assert list(SecretBallot.objects.values_list("contents", flat=True)) == [{"option": "no"}]


def test_no_column_links_a_voter_to_secret_ballot_contents(congress: Congress) -> None:
    """Secret ballots have no voter, person, seat or time column; participation has no contents;
    the audit entry of a secret ballot says nothing about its contents."""
    ballot_fields = {f.name: f for f in SecretBallot._meta.get_fields()}
    for name, model_field in ballot_fields.items():
        assert not isinstance(model_field, models.DateTimeField | models.DateField), name
        related = getattr(model_field, "related_model", None)
        if related is not None and model_field.concrete:
            assert related.__name__ == "Vote", name
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)
    from django.db import connection

    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, SecretBallot._meta.db_table
            )
        }
    assert columns == {"id", "vote_id", "contents", "weight", "receipt_hash"}
    participation_fields = {f.name for f in VoteParticipation._meta.get_fields()}
    assert not participation_fields & {"contents", "choice", "receipt_hash", "ballot", "weight"}
    # Nothing else in the app points at a secret ballot.
    from django.apps import apps

    for model in apps.get_app_config("assemblies").get_models():
        for model_field in model._meta.get_fields():
            if getattr(model_field, "related_model", None) is SecretBallot and model_field.concrete:
                pytest.fail(f"{model.__name__}.{model_field.name} points at a secret ballot")
        if model is not SecretBallot:
            assert not any(f.name == "receipt_hash" for f in model._meta.get_fields())
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="majority",
        secret=True,
        **open_window(),
    )
    receipt = services.ballot_cast(
        actor=congress.delegates[1], vote=vote, contents={"option": "yes"}
    ).receipt
    entry = AuditEntry.objects.filter(action="assemblies.ballot.cast").get()
    text = f"{entry.changes} {entry.reason} {entry.object_repr}"
    assert "yes" not in text and (receipt or "")[:10] not in text
    assert SecretBallot.objects.get().receipt_hash not in text


def test_tally_is_stored_and_blt_recounts_to_the_same_winners(congress: Congress) -> None:
    """A closed secret STV election is stored with its rules version; its BLT recounts alike."""
    extra_users = [User.objects.get(pk=d.pk) for d in congress.delegates]
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Comisión",
        method="stv",
        choices=["Ana", "Beto", "Carla"],
        seats=2,
        secret=True,
        **open_window(),
    )
    rankings = [["Ana", "Beto"], ["Carla", "Ana"], ["Beto", "Carla", "Ana"]]
    for person, ranking in zip(extra_users, rankings, strict=True):
        services.ballot_cast(actor=person, vote=vote, contents={"ranking": ranking})
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert Tally.objects.get(vote=vote).rules_version == 1
    blt = write_blt_of(vote)
    election = parse_blt(blt)
    recount = stv(election.candidates, election.ballots, election.seats)
    assert list(recount.winners) == tally.winners and len(tally.winners) == 2
    assert services.vote_close(actor=congress.chair, vote=vote, now=after_close()).pk == tally.pk


def test_vote_cannot_close_early(congress: Congress) -> None:
    """Closing before the set time is refused and stores nothing."""
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="E",
        method="approval",
        choices=["A", "B"],
        **open_window(),
    )
    with pytest.raises(DomainError):
        services.vote_close(actor=congress.chair, vote=vote)
    assert not Tally.objects.exists()


def test_quorum_not_met_adopts_nothing(congress: Congress) -> None:
    """With one seat of three voting (quorum 1/2 of members) a proposal is not adopted."""
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="V",
        method="consent",
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"position": "consent"})
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.quorum_met is False and tally.adopted is False


def test_cycle_of_delegations_adds_no_weight_to_the_tally(congress: Congress) -> None:
    """Two seats delegating to each other and not voting add nothing; the third's vote counts."""
    a, b, _c = congress.seats
    services.delegation_set(actor=congress.delegates[0], delegator=a, delegate=b)
    services.delegation_set(actor=congress.delegates[1], delegator=b, delegate=a)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="E",
        method="approval",
        choices=["A", "B"],
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"approved": ["B"]})
    chain = selectors.chains_for(congress.delegates[0], vote)[0]
    assert chain.chain.cycle and chain.chain.carrier is None
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.participating_weight == 3 and tally.result["rounds"][0]["counts"]["B"] == 3


def test_quorum_on_weight_uses_seat_weights(congress: Congress) -> None:
    """With quorum counted on weight, one heavy seat (3 of 6) meets a 1/2 quorum."""
    now = timezone.now()
    BodyRules.objects.filter(pk=congress.rules.pk).update(quorum_basis="weight")
    meeting = services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="C",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        place="Caracas",
    )
    services.attendance_check_in(actor=congress.delegates[2], meeting=meeting)
    status = selectors.meeting_quorum(meeting)
    assert status.met and status.share == Fraction(1, 2)


def test_receipts_stay_checkable_after_close(congress: Congress) -> None:
    """Closing rewrites secret ballots in random-key order; receipts and the count survive."""
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="E",
        method="approval",
        choices=["A", "B"],
        secret=True,
        **open_window(),
    )
    receipts = [
        services.ballot_cast(actor=delegate, vote=vote, contents={"approved": ["A"]}).receipt
        for delegate in congress.delegates
    ]
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.winners == ["A"] and tally.participating_weight == 6
    assert all(selectors.receipt_is_counted(vote, receipt or "") for receipt in receipts)
    assert len(selectors.counted_receipts(vote)) == 3


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"quorum": "3/2"},
        {"ordinary": "1/3"},
        {"allowed_methods": ["dice"]},
        {"colour": "red"},
        {"amendment_window_days": "many"},
        {"delegation_allowed": "yes"},
    ],
)
def test_invalid_rules_change_is_refused_at_proposal(congress: Congress, payload: dict) -> None:
    """A change of the rules is checked when proposed, so its adoption cannot fail later."""
    with pytest.raises(DomainError) as refused:
        services.proposal_create(
            actor=congress.delegates[0],
            body=congress.body,
            on_behalf_of=congress.orgs[0],
            title="Reglas",
            text="x",
            kind="rules_change",
            rules_payload=payload,
        )
    assert refused.value.field in {
        "rules_payload",
        "rules",
        "quorum",
        "ordinary",
        "allowed_methods",
        "amendment_window_days",
        "delegation_allowed",
    }
    assert not Proposal.objects.exists()
