"""A ballot means what the voter meant: every method's ballot is checked and a refusal says
which candidate or field is wrong; blank ballots only where the rules allow abstention; a
vote may be changed until it closes where the rules allow, secret ballots by their receipt."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.assemblies import services
from minga.assemblies.models import BodyRules, OpenBallot, SecretBallot, Vote
from minga.common.errors import DomainError
from tests import factories

from .conftest import Congress, after_close, open_window

API = "/api/v1/assemblies"
CANDIDATES = ["Ana", "Beto", "Carla"]


def _election(congress: Congress, method: str, *, secret: bool = False) -> Vote:
    return services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Comisión",
        method=method,
        choices=CANDIDATES if method not in ("majority", "qualified", "consent") else [],
        secret=secret,
        **open_window(),
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("method", "contents", "field", "words"),
    [
        ("stv", {"ranking": []}, "ranking", "Rank at least one candidate"),
        ("stv", {"ranking": ["Ana", "Ana"]}, "ranking", "“Ana” is ranked more than once"),
        ("irv", {"ranking": ["Ana", "Zoe"]}, "ranking", "“Zoe” is not a candidate"),
        ("schulze", {"ranking": "Ana"}, "ranking", "list of candidates"),
        ("schulze", {"ranking": [["Ana"]]}, "ranking", "is not a candidate"),
        ("approval", {"approved": []}, "approved", "Approve at least one candidate"),
        (
            "approval",
            {"approved": ["Beto", "Beto"]},
            "approved",
            "“Beto” is approved more than once",
        ),
        ("score", {"scores": {}}, "scores", "Score at least one candidate"),
        (
            "score",
            {"scores": {"Carla": 11}},
            "scores",
            "score of “Carla” must be a whole number from 0 to 10",
        ),
        ("score", {"scores": {"Carla": "7"}}, "scores", "score of “Carla”"),
        ("score", {"scores": {"Carla": True}}, "scores", "score of “Carla”"),
        ("majority", {"option": "quizás"}, "option", "“quizás” is not one of the options"),
        ("majority", {}, "option", "Choose one of the options"),
        ("consent", {"position": "objection"}, "reason", "needs a reason"),
        ("consent", {"position": "veto"}, "position", "“veto” is not a position"),
        ("consent", {"position": "consent", "reason": 5}, "reason", "as text"),
        ("approval", {"approved": ["Ana"], "extra": 1}, "contents", "no field “extra”"),
        ("approval", {"approved": ["Ana"], "blank": "yes"}, "blank", "true or false"),
        ("majority", {"blank": True}, "blank", "cannot be blank"),
        ("stv", {"blank": True, "ranking": ["Ana"]}, "blank", "chooses nothing"),
    ],
)
def test_each_method_refuses_a_wrong_ballot_saying_what_is_wrong(
    congress: Congress, method: str, contents: dict[str, Any], field: str, words: str
) -> None:
    """A ballot that does not fit its method is refused with the field at fault and a
    message naming the candidate or option; nothing is stored."""
    vote = _election(congress, method)
    with pytest.raises(DomainError) as refused:
        services.ballot_cast(actor=congress.delegates[0], vote=vote, contents=contents)
    assert refused.value.field == field
    assert words in refused.value.message
    assert not OpenBallot.objects.filter(vote=vote).exists()
    assert not vote.participations.exists()


def test_blank_ballot_only_where_the_rules_allow_abstention_and_recorded_as_blank(
    congress: Congress,
) -> None:
    """Where the rules allow abstention, an explicit blank ballot is stored as blank, takes
    part in the quorum and counts for nobody; without that rule it is refused, and a vote on
    a proposal offers no "abstain"."""
    vote = _election(congress, "stv", secret=True)
    receipt = services.ballot_cast(
        actor=congress.delegates[2], vote=vote, contents={"blank": True}
    ).receipt
    assert receipt and SecretBallot.objects.get(vote=vote).contents == {"blank": True}
    services.ballot_cast(
        actor=congress.delegates[0], vote=vote, contents={"ranking": ["Beto", "Ana"]}
    )
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.blank_weight == 3 and tally.participating_weight == 4 and tally.quorum_met
    assert tally.result["valid_votes"] == 1 and tally.winners == ["Beto"]

    BodyRules.objects.filter(pk=congress.rules.pk).update(abstention_allowed=False)
    strict = _election(congress, "approval")
    with pytest.raises(DomainError) as refused:
        services.ballot_cast(actor=congress.delegates[0], vote=strict, contents={"blank": True})
    assert refused.value.field == "blank" and "do not allow blank" in refused.value.message
    with pytest.raises(DomainError) as empty:
        services.ballot_cast(actor=congress.delegates[0], vote=strict, contents={"approved": []})
    assert "blank" not in empty.value.message
    assert _election(congress, "majority").choices == ["yes", "no"]


@pytest.mark.parametrize(
    ("ranks", "field", "words"),
    [
        (
            {"rank-0": "1", "rank-1": "1", "rank-2": "3"},
            "rank-1",
            "“Ana” and “Beto” both have rank 1",
        ),
        ({"rank-0": "²"}, "rank-0", "rank of “Ana” must be a whole number from 1 to 3"),
        ({"rank-2": "4"}, "rank-2", "rank of “Carla” must be a whole number from 1 to 3"),
        ({"rank-1": "0"}, "rank-1", "rank of “Beto”"),
        ({"rank-1": "-1"}, "rank-1", "rank of “Beto”"),
        ({"rank-1": str(2**70)}, "rank-1", "rank of “Beto”"),
        ({}, "ranking", "Rank at least one candidate, or cast a blank ballot"),
    ],
)
def test_ranked_ballot_page_refuses_with_the_candidate_and_keeps_what_was_typed(
    congress: Congress, ranks: dict[str, str], field: str, words: str
) -> None:
    """Equal ranks, ranks that are not whole numbers from 1 to the number of candidates, and
    an empty ballot come back (400) with the candidate named next to its field and the
    ranks as typed; nothing is stored and no receipt is given."""
    vote = _election(congress, "irv", secret=True)
    response = _client(congress.delegates[0]).post(
        reverse("assemblies:vote_cast", args=[vote.uuid]), ranks
    )
    assert response.status_code == 400
    assert response.context["error"].field == field
    page = response.content.decode()
    assert words in page and 'role="alert"' in page
    assert not response.context["receipt"] and not SecretBallot.objects.exists()
    for name, value in ranks.items():
        assert f'name="{name}" value="{value}"' in page


def test_ranked_ballot_page_reads_ranks_in_order_and_gaps_are_fine(congress: Congress) -> None:
    """Ranks 3 and 1 give the ranking first-then-second (digits of any script read as
    numbers); an unranked candidate is left out."""
    vote = _election(congress, "schulze")
    response = _client(congress.delegates[0]).post(
        reverse("assemblies:vote_cast", args=[vote.uuid]), {"rank-0": "٣", "rank-2": " 1 "}
    )
    assert response.status_code == 302
    assert OpenBallot.objects.get(vote=vote).contents == {"ranking": ["Carla", "Ana"]}


def test_page_replaces_the_ballot_with_you_voted_and_the_receipt(congress: Congress) -> None:
    """Once cast, the answer shows "you have voted" with the receipt and no ballot form; the
    page read again has no form and no receipt; without changes allowed there is no
    "change my vote"."""
    vote = _election(congress, "approval", secret=True)
    client = _client(congress.delegates[1])
    cast = client.post(reverse("assemblies:vote_cast", args=[vote.uuid]), {"approved": ["Ana"]})
    page = cast.content.decode()
    receipt = cast.context["receipt"]
    assert receipt in page and 'id="you-voted"' in page
    assert 'name="approved"' not in page and 'id="change-vote"' not in page
    again = client.get(vote.get_absolute_url()).content.decode()
    assert 'id="you-voted"' in again and receipt not in again and 'name="approved"' not in again


def test_secret_vote_changed_through_the_page_with_its_receipt(congress: Congress) -> None:
    """Where the rules allow changes, "change my vote" brings the ballot back with a receipt
    field; a wrong receipt is refused naming the receipt, the right one replaces the ballot
    (still one ballot for the seat)."""
    BodyRules.objects.filter(pk=congress.rules.pk).update(ballot_change_allowed=True)
    vote = _election(congress, "stv", secret=True)
    client = _client(congress.delegates[1])
    url = reverse("assemblies:vote_cast", args=[vote.uuid])
    receipt = client.post(url, {"rank-0": "1"}).context["receipt"]
    page = client.get(vote.get_absolute_url()).content.decode()
    assert 'id="change-vote"' in page and 'name="rank-0"' not in page
    form = client.get(vote.get_absolute_url() + "?change=1").content.decode()
    assert 'name="receipt"' in form and 'name="rank-0"' in form
    wrong = client.post(url, {"rank-1": "1", "change": "1", "receipt": "not-mine"})
    assert wrong.status_code == 400 and wrong.context["error"].field == "receipt"
    assert 'name="receipt"' in wrong.content.decode()
    changed = client.post(url, {"rank-1": "1", "change": "1", "receipt": receipt})
    assert changed.status_code == 302
    assert [ballot.contents for ballot in SecretBallot.objects.filter(vote=vote)] == [
        {"ranking": ["Beto"]}
    ]
    tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    assert tally.result["winners"] == ["Beto"] and tally.participating_weight == 2


def test_open_vote_changed_until_it_closes_and_not_after(congress: Congress) -> None:
    """A roll-call ballot is changed where the rules allow; after the close it cannot be."""
    BodyRules.objects.filter(pk=congress.rules.pk).update(ballot_change_allowed=True)
    vote = _election(congress, "approval")
    services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"approved": ["Ana"]})
    result = services.ballot_cast(
        actor=congress.delegates[0], vote=vote, contents={"approved": ["Carla"]}
    )
    assert result.replaced and OpenBallot.objects.get(vote=vote).contents == {"approved": ["Carla"]}
    services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    with pytest.raises(DomainError):
        services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"approved": ["Ana"]})


def test_api_refuses_wrong_ballots_with_422_and_the_field(congress: Congress) -> None:
    """Through the API a wrong ballot is a 422 naming the field; a non-UUID seat is a 422."""
    vote = _election(congress, "stv", secret=True)
    secret = factories.api_token(congress.delegates[0])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for payload, field in (
        ({"contents": {"ranking": ["Ana", "Ana"]}}, "ranking"),
        ({"contents": {"ranking": []}}, "ranking"),
        ({"contents": {"ranking": ["Ana"]}, "membership": "comuna-1"}, "membership"),
        ({"contents": [1, 2]}, "contents"),
    ):
        response = api.post(
            f"{API}/votes/{vote.uuid}/ballots",
            data=json.dumps(payload),
            content_type="application/json",
        )
        assert response.status_code == 422, payload
        assert response.json()["field"] == field
    assert not SecretBallot.objects.exists()
