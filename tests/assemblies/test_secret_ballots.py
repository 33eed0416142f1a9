"""Secret ballots: nothing public links a voter to a choice, not a weight and not the order
in which ballots were cast; seat weights are bounded by the body's rules."""

from __future__ import annotations

import itertools
import json
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from minga.assemblies import services
from minga.assemblies.exports import write_blt_of
from minga.assemblies.models import BodyMembership, SecretBallot, Vote
from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.core.tally import parse_blt, stv
from tests import factories

from .conftest import Congress, after_close, open_window

API = "/api/v1/assemblies"

CANDIDATES = ["Zorzal", "Yaguar", "Xiquipil"]
# Two ballots the two equal-weight seats swap between runs, and a third for the heavy seat.
BALLOTS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "majority": ({"option": "yes"}, {"option": "no"}, {"option": "abstain"}),
    "qualified": ({"option": "yes"}, {"option": "no"}, {"option": "yes"}),
    "consent": (
        {"position": "objection", "reason": "Falta el presupuesto"},
        {"position": "block", "reason": "Contradice los estatutos"},
        {"position": "consent"},
    ),
    "approval": (
        {"approved": ["Zorzal"]},
        {"approved": ["Yaguar", "Xiquipil"]},
        {"approved": ["Yaguar"]},
    ),
    "score": (
        {"scores": {"Zorzal": 9}},
        {"scores": {"Yaguar": 7, "Xiquipil": 2}},
        {"scores": {"Xiquipil": 4}},
    ),
    "irv": (
        {"ranking": ["Zorzal", "Yaguar"]},
        {"ranking": ["Yaguar"]},
        {"ranking": ["Xiquipil", "Zorzal"]},
    ),
    "stv": (
        {"ranking": ["Zorzal", "Yaguar"]},
        {"ranking": ["Yaguar"]},
        {"ranking": ["Xiquipil", "Zorzal"]},
    ),
    "schulze": (
        {"ranking": ["Zorzal", "Yaguar"]},
        {"ranking": ["Yaguar"]},
        {"ranking": ["Xiquipil", "Zorzal"]},
    ),
}


@pytest.fixture
def keys_follow_casting() -> Iterator[None]:
    """The worst case for a secret ballot's random key: keys that happen to grow in the order
    ballots are cast. Nothing public may then follow the keys' order either."""
    field = SecretBallot._meta.get_field("id")
    before = field.default
    counter = itertools.count(1)
    field.default = lambda: uuid.UUID(int=next(counter))
    yield
    field.default = before


def _vote(congress: Congress, method: str, *, title: str = "Elección") -> Vote:
    proposal_vote = method in ("majority", "qualified", "consent")
    return services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title=title,
        method=method,
        choices=[] if proposal_vote else CANDIDATES,
        seats=2 if method in ("stv", "approval") else 1,
        secret=True,
        **open_window(),
    )


def _public_outputs(vote: Vote) -> dict[str, str]:
    """Everything anyone may read about a closed secret vote, with its own identity removed."""
    reader = Client()
    page = reader.get(vote.get_absolute_url()).content.decode()
    section = re.search(r'<section id="result".*?</section>', page, re.S)
    api = reader.get(f"{API}/votes/{vote.uuid}").json()
    for name in ("uuid", "url", "opens_at", "closes_at"):
        api.pop(name)
    shown = section.group(0) if section else page
    outputs = {"page": shown.replace(str(vote.uuid), "VOTE"), "api": json.dumps(api)}
    if vote.method in ("irv", "stv", "schulze"):
        outputs["blt"] = reader.get(
            reverse("assemblies:vote_blt", args=[vote.uuid])
        ).content.decode()
    audit = AuditEntry.objects.filter(
        object_id=str(vote.pk), action__startswith="assemblies.ballot"
    )
    outputs["audit"] = json.dumps([entry.changes for entry in audit.order_by("id")])
    return outputs


@pytest.mark.usefixtures("keys_follow_casting")
@pytest.mark.parametrize("method", sorted(BALLOTS))
def test_nothing_public_depends_on_who_cast_which_secret_ballot(
    congress: Congress, method: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Two seats of equal weight swap their ballots: the result page, the API, the BLT file and
    the audit log read exactly the same, for every method, even when the ballots' keys follow
    the order of casting; no log line carries a receipt or a ballot's choice."""
    services.body_membership_add(
        actor=congress.chair, body=congress.body, organization=congress.orgs[0], weight=2
    )
    first, second, heavy = BALLOTS[method]
    caplog.set_level(logging.DEBUG)
    runs = []
    receipts = []
    for swap in (False, True):
        vote = _vote(congress, method)
        order = [(congress.delegates[0], second if swap else first)]
        order.append((congress.delegates[1], first if swap else second))
        order.append((congress.delegates[2], heavy))
        for person, contents in order:
            receipts.append(
                services.ballot_cast(actor=person, vote=vote, contents=contents).receipt or ""
            )
        services.vote_close(actor=congress.chair, vote=vote, now=after_close())
        runs.append(_public_outputs(vote))
    assert runs[0] == runs[1]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for receipt in receipts:
        assert receipt not in logged
    for contents in BALLOTS[method]:
        for value in contents.values():
            if isinstance(value, str) and len(value) > 8:
                assert value not in logged


@pytest.mark.parametrize("method", sorted(BALLOTS))
def test_no_public_output_carries_the_weight_of_one_ballot(congress: Congress, method: str) -> None:
    """The one seat of weight 3 votes alone for its choice: no result, API answer or export
    shows a 3 attached to one ballot (the BLT file holds unit ballots only, consent reasons
    come without weights)."""
    vote = _vote(congress, method)
    first, second, heavy = BALLOTS[method]
    for person, contents in zip(congress.delegates, (first, second, heavy), strict=True):
        services.ballot_cast(actor=person, vote=vote, contents=contents)
    services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    outputs = _public_outputs(vote)
    api = json.loads(outputs["api"])
    for key in ("blocks", "objections", "stand_asides"):
        for position in api["tally"]["result"].get(key, []):
            assert "weight" not in position and "voter" not in position
    if "blt" in outputs:
        lines = outputs["blt"].splitlines()
        ballots = lines[1 : lines.index("0")]
        assert ballots and all(line.startswith("1 ") for line in ballots)
        assert len(ballots) == 6


def test_blt_holds_unit_ballots_in_a_canonical_order_and_recounts_alike(
    congress: Congress,
) -> None:
    """Each seat's weight becomes that many unit ballots, sorted by ranking, whatever the
    order of casting; recounting the file elects the same people."""
    texts = []
    for order in ((0, 1, 2), (2, 1, 0)):
        vote = _vote(congress, "stv", title="Comisión")
        rankings = {
            0: ["Zorzal", "Yaguar"],
            1: ["Xiquipil", "Zorzal"],
            2: ["Yaguar", "Xiquipil", "Zorzal"],
        }
        for index in order:
            services.ballot_cast(
                actor=congress.delegates[index], vote=vote, contents={"ranking": rankings[index]}
            )
        tally = services.vote_close(actor=congress.chair, vote=vote, now=after_close())
        text = write_blt_of(vote)
        lines = text.splitlines()
        ballots = lines[1 : lines.index("0")]
        assert ballots == sorted(ballots, key=lambda line: [int(n) for n in line.split()])
        assert [line.split()[0] for line in ballots] == ["1"] * 6
        election = parse_blt(text)
        recount = stv(election.candidates, election.ballots, election.seats)
        assert list(recount.winners) == tally.winners
        texts.append(text)
    assert texts[0] == texts[1]


def _physical_order(vote: Vote) -> list[str]:
    table = connection.ops.quote_name(SecretBallot._meta.db_table)
    column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE vote_id = %s ORDER BY {column}",  # noqa: S608
            [vote.pk],
        )
        return [str(uuid.UUID(str(row[0]))) for row in cursor.fetchall()]


def _row_versions(vote: Vote) -> set[str]:
    """PostgreSQL: the transactions that wrote the vote's ballot rows (their ``xmin``)."""
    table = connection.ops.quote_name(SecretBallot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE vote_id = %s", [vote.pk])  # noqa: S608
        return {row[0] for row in cursor.fetchall()}


def test_open_vote_keeps_secret_ballots_in_key_order_not_casting_order(
    congress: Congress,
) -> None:
    """While a vote is open, the table holds its secret ballots in the order of their random
    keys, never in the order they were cast: here keys fall as ballots are cast, and the
    stored order still rises with the keys (SQLite's rowid; on PostgreSQL every row of the
    vote is rewritten by the latest ballot's transaction)."""
    field = SecretBallot._meta.get_field("id")
    before = field.default
    counter = itertools.count(1000, -1)
    field.default = lambda: uuid.UUID(int=next(counter))
    try:
        vote = _vote(congress, "approval")
        for person in congress.delegates:
            services.ballot_cast(actor=person, vote=vote, contents={"approved": ["Zorzal"]})
            keys = [
                str(key)
                for key in SecretBallot.objects.filter(vote=vote).values_list("id", flat=True)
            ]
            assert _physical_order(vote) == sorted(keys)
            if connection.vendor == "postgresql":
                assert len(_row_versions(vote)) == 1
    finally:
        field.default = before


def test_receipts_are_random_and_listed_in_digest_order(congress: Congress) -> None:
    """Receipts are random codes (no common prefix, no counter); the public list is sorted by
    digest, so its order says nothing about the order of voting."""
    vote = _vote(congress, "approval")
    receipts = [
        services.ballot_cast(actor=person, vote=vote, contents={"approved": ["Zorzal"]}).receipt
        or ""
        for person in congress.delegates
    ]
    assert len({receipt[:4] for receipt in receipts}) == 3 and all(len(r) >= 24 for r in receipts)
    listed = Client().get(f"{API}/votes/{vote.uuid}/receipts").json()
    assert listed == sorted(listed) and len(listed) == 3


def test_seat_weight_is_bounded_by_the_rules_in_force(congress: Congress) -> None:
    """A seat's weight may not exceed the maximum in the body's rules, when a seat is added or
    its weight changed; rules may not set a maximum below a current seat's weight."""
    assert congress.rules.max_seat_weight == 10
    newcomer = factories.organization(name="Comuna 4")
    with pytest.raises(DomainError) as refused:
        services.body_membership_add(
            actor=congress.chair, body=congress.body, organization=newcomer, weight=11
        )
    assert refused.value.field == "weight" and "10" in refused.value.message
    with pytest.raises(DomainError):
        services.body_membership_add(
            actor=congress.chair, body=congress.body, organization=congress.orgs[0], weight=2**70
        )
    assert BodyMembership.objects.get(organization=congress.orgs[0]).weight == 1
    seat = services.body_membership_add(
        actor=congress.chair, body=congress.body, organization=newcomer, weight=10
    )
    assert seat.weight == 10
    with pytest.raises(DomainError) as lowered:
        services.proposal_create(
            actor=congress.delegates[0],
            body=congress.body,
            on_behalf_of=congress.orgs[0],
            title="Reglas",
            text="x",
            kind="rules_change",
            rules_payload={"max_seat_weight": 5},
        )
    assert lowered.value.field in {"max_seat_weight", "rules_payload"}


def test_seat_weight_bound_through_the_api(congress: Congress) -> None:
    """The API refuses a seat heavier than the rules allow with 422 naming the weight, and
    reports the maximum among the rules."""
    secret = factories.api_token(congress.chair)
    chair = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    newcomer = factories.organization(name="Comuna 4")
    for weight in (11, 2**70):
        response = chair.post(
            f"{API}/bodies/congreso/members",
            data=json.dumps({"organization": str(newcomer.uuid), "weight": weight}),
            content_type="application/json",
        )
        assert response.status_code == 422 and response.json()["field"] == "weight"
    body = Client().get(f"{API}/bodies/congreso").json()
    assert body["rules"]["max_seat_weight"] == 10
