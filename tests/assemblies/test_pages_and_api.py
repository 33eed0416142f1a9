"""Pages (no JavaScript needed) and the API: reading, acting, refusals, permissions, queries."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.assemblies import selectors, services
from minga.assemblies.models import Attendance, Comment, Proposal, SecretBallot, Vote
from minga.common.models import Visibility
from minga.common.permissions import has_perm
from minga.registry.models import Body
from tests import factories

from .conftest import Congress, after_close, open_window, proposal_to_vote

API = "/api/v1/assemblies"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(user: Any) -> Client:
    secret = factories.api_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client: Client, path: str, payload: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


def _meeting(congress: Congress, **extra: Any) -> Any:
    now = timezone.now()
    return services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="Congreso, sesión",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        place="Caracas",
        agenda=["Apertura"],
        **extra,
    )


def test_body_page_shows_rules_and_members(client: Client, congress: Congress) -> None:
    """Anyone who can see the network reads its body, rules in force and members."""
    page = client.get(reverse("assemblies:body", args=["congreso"])).content.decode()
    assert "Congreso" in page and "1/2" in page and "Comuna 3" in page
    assert client.get(reverse("assemblies:index")).status_code == 200


def test_meeting_page_check_in_and_ics(congress: Congress) -> None:
    """A delegate checks in from the page (twice is once); the agenda downloads as .ics."""
    meeting = _meeting(congress)
    client = _client(congress.delegates[0])
    url = reverse("assemblies:meeting_check_in", args=[meeting.uuid])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Comuna 1" in page
    ics = client.get(reverse("assemblies:meeting_ics", args=[meeting.uuid]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Congreso\\, sesión" in ics.content.decode()


def test_outsider_cannot_check_in(congress: Congress) -> None:
    """A signed-in person with no accreditation is refused (403) and nothing is recorded."""
    meeting = _meeting(congress)
    response = _client(congress.outsider).post(
        reverse("assemblies:meeting_check_in", args=[meeting.uuid])
    )
    assert response.status_code == 403 and not Attendance.objects.exists()


def test_restricted_meeting_is_hidden(client: Client, congress: Congress) -> None:
    """A meeting visible only to custodians is a 404 to others, and absent from the API list."""
    meeting = _meeting(congress, visibility=Visibility.CUSTODIANS)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(f"{API}/meetings").json()["count"] == 0


def test_proposal_flow_through_pages(congress: Congress) -> None:
    """Propose, open, comment, reply, amend, accept, and read the diff: all plain forms."""
    author = _client(congress.delegates[0])
    response = author.post(
        reverse("assemblies:proposal_new", args=["congreso"]),
        {
            "title": "Fondo",
            "on_behalf_of": congress.orgs[0].pk,
            "kind": "ordinary",
            "language": "es",
            "text": "Texto <b>uno</b>.",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    author.post(reverse("assemblies:proposal_transition", args=[proposal.uuid]), {"status": "open"})
    other = _client(congress.delegates[1])
    other.post(reverse("assemblies:comment_add", args=[proposal.uuid]), {"text": "**Bien**"})
    parent = Comment.objects.get()
    other.post(
        reverse("assemblies:comment_add", args=[proposal.uuid]),
        {"text": "Respuesta", "parent": parent.pk},
    )
    assert Comment.objects.get(text="Respuesta").parent == parent
    other.post(
        reverse("assemblies:amendment_new", args=[proposal.uuid]),
        {"on_behalf_of": congress.orgs[1].pk, "new_text": "Texto dos.", "base": 1},
    )
    amendment = proposal.amendments.get()
    author.post(reverse("assemblies:amendment_decide", args=[amendment.uuid]), {"action": "accept"})
    assert selectors.current_version(proposal).number == 2
    page = author.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>Bien</strong>" in page and "Respuesta" in page
    diff = author.get(
        reverse("assemblies:proposal_diff", args=[proposal.uuid]), {"from": 1, "to": 2}
    ).content.decode()
    assert "<del>" in diff and "&lt;b&gt;" in diff and "<b>uno</b>" not in diff


def test_non_author_cannot_accept_amendments_or_steer(congress: Congress) -> None:
    """Only the author (or managers) decide amendments; only managers send to vote."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="T",
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
    assert not has_perm(congress.delegates[2], "assemblies.amendment.decide", amendment)
    assert has_perm(congress.delegates[0], "assemblies.amendment.decide", amendment)
    assert not has_perm(congress.delegates[0], "assemblies.proposal.steer", proposal)
    assert has_perm(congress.chair, "assemblies.proposal.steer", proposal)
    response = _client(congress.delegates[2]).post(
        reverse("assemblies:amendment_decide", args=[amendment.uuid]), {"action": "accept"}
    )
    assert response.status_code == 403
    amendment.refresh_from_db()
    assert amendment.status == "proposed"


def test_secret_vote_through_pages_gives_receipt_once(congress: Congress) -> None:
    """Casting a secret ballot shows the receipt in the answer; the receipt page finds it."""
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
    client = _client(congress.delegates[1])
    response = client.post(reverse("assemblies:vote_cast", args=[vote.uuid]), {"option": "yes"})
    assert response.status_code == 200
    receipt = response.context["receipt"]
    assert receipt and receipt in response.content.decode()
    assert receipt not in client.get(vote.get_absolute_url()).content.decode()
    check = Client().post(
        reverse("assemblies:vote_receipts", args=[vote.uuid]), {"receipt": receipt}
    )
    assert check.context["counted"] is True
    assert SecretBallot.objects.get().receipt_hash in check.content.decode()


def test_ranked_ballot_from_numbers_and_blt_download(congress: Congress) -> None:
    """Ranks typed as numbers make a ranking; the closed election's BLT is downloadable, the
    seat's weight of 3 written as three unit ballots."""
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Comisión",
        method="schulze",
        choices=["Ana", "Beto"],
        secret=True,
        **open_window(),
    )
    client = _client(congress.delegates[2])
    client.post(reverse("assemblies:vote_cast", args=[vote.uuid]), {"rank-0": "2", "rank-1": "1"})
    assert SecretBallot.objects.get().contents == {"ranking": ["Beto", "Ana"]}
    assert Client().get(reverse("assemblies:vote_blt", args=[vote.uuid])).status_code == 404
    services.vote_close(actor=congress.chair, vote=vote, now=after_close())
    blt = Client().get(reverse("assemblies:vote_blt", args=[vote.uuid])).content.decode()
    assert blt.startswith("2 1\n1 2 1 0\n1 2 1 0\n1 2 1 0\n0\n")


def test_outsider_vote_is_refused_by_page_and_api(congress: Congress) -> None:
    """Someone who is not a member gets 403 from the page and the API; nothing is cast."""
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="E",
        method="approval",
        choices=["A", "B"],
        **open_window(),
    )
    assert (
        _client(congress.outsider)
        .post(reverse("assemblies:vote_cast", args=[vote.uuid]), {"approved": ["A"]})
        .status_code
        == 403
    )
    response = _post(
        _token(congress.outsider), f"/votes/{vote.uuid}/ballots", {"contents": {"approved": ["A"]}}
    )
    assert response.status_code == 403 and not vote.open_ballots.exists()


def test_api_full_cycle(congress: Congress) -> None:
    """Through the API: propose, move to vote, vote, cast twice (422), close, read the tally."""
    author = _token(congress.delegates[0])
    chair = _token(congress.chair)
    created = _post(
        author,
        "/proposals",
        {
            "body": "congreso",
            "on_behalf_of": str(congress.orgs[0].uuid),
            "title": "Fondo",
            "text": "Un fondo.",
        },
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert _post(author, f"/proposals/{uuid}/status", {"status": "open"}).status_code == 200
    refused = _post(author, f"/proposals/{uuid}/status", {"status": "debate"})
    assert refused.status_code == 403
    bad = _post(chair, f"/proposals/{uuid}/status", {"status": "adopted"})
    assert bad.status_code == 422 and bad.json()["field"] == "status"
    for status in ("debate", "to_vote"):
        assert _post(chair, f"/proposals/{uuid}/status", {"status": status}).status_code == 200
    window = open_window()
    vote = _post(
        chair,
        "/votes",
        {
            "body": "congreso",
            "title": "Fondo",
            "method": "majority",
            "proposal": uuid,
            "opens_at": window["opens_at"].isoformat(),
            "closes_at": window["closes_at"].isoformat(),
        },
    )
    assert vote.status_code == 201, vote.json()
    vote_uuid = vote.json()["uuid"]
    for delegate in congress.delegates[1:]:
        cast = _post(
            _token(delegate), f"/votes/{vote_uuid}/ballots", {"contents": {"option": "yes"}}
        )
        assert cast.status_code == 201
    again = _post(
        _token(congress.delegates[2]), f"/votes/{vote_uuid}/ballots", {"contents": {"option": "no"}}
    )
    assert again.status_code == 422
    early = _post(chair, f"/votes/{vote_uuid}/close", {})
    assert early.status_code == 422
    Vote.objects.filter(uuid=vote_uuid).update(
        opens_at=timezone.now() - timedelta(hours=3), closes_at=timezone.now() - timedelta(hours=1)
    )
    closed = _post(chair, f"/votes/{vote_uuid}/close", {}).json()
    assert closed["tally"]["adopted"] is True and closed["tally"]["rules_version"] == 1
    assert Client().get(f"{API}/proposals/{uuid}").json()["status"] == "adopted"


def test_api_meeting_check_in_is_idempotent(congress: Congress) -> None:
    """POST check-in answers 201 the first time and 200 after; quorum is in the meeting."""
    meeting = _meeting(congress)
    client = _token(congress.delegates[2])
    assert _post(client, f"/meetings/{meeting.uuid}/check-in", {}).status_code == 201
    assert _post(client, f"/meetings/{meeting.uuid}/check-in", {}).status_code == 200
    quorum = Client().get(f"{API}/meetings/{meeting.uuid}").json()["quorum"]
    assert quorum["present_members"] == 1 and quorum["present_weight"] == 3
    https = _post(
        _token(congress.chair),
        "/meetings",
        {
            "body": "congreso",
            "title": "X",
            "starts_at": timezone.now().isoformat(),
            "ends_at": (timezone.now() + timedelta(hours=1)).isoformat(),
            "online_url": "ftp://example.org/x",
        },
    )
    assert https.status_code == 422 and https.json()["field"] == "online_url"


def test_api_rules_established_once_by_managers(congress: Congress) -> None:
    """Only managers establish rules, once; the body shows the version in force."""
    other = Body.objects.create(
        organization=congress.network, kind="commission", slug="comision", name="Comisión"
    )
    assert _post(_token(congress.delegates[0]), "/bodies/comision/rules", {}).status_code == 403
    assert _post(_token(congress.chair), "/bodies/comision/rules", {}).status_code == 201
    assert _post(_token(congress.chair), "/bodies/comision/rules", {}).status_code == 422
    assert Client().get(f"{API}/bodies/comision").json()["rules"]["version"] == 1
    assert other.rules_versions.count() == 1


def test_api_diff_is_escaped(congress: Congress) -> None:
    """The diff endpoint answers HTML with the text escaped."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="T",
        text="<i>a</i>",
    )
    services.proposal_transition(actor=congress.delegates[0], proposal=proposal, to_status="open")
    amendment = services.amendment_propose(
        actor=congress.delegates[1],
        proposal=proposal,
        base_version=selectors.current_version(proposal),
        new_text="<i>b</i>",
        on_behalf_of=congress.orgs[1],
    )
    services.amendment_decide(actor=congress.delegates[0], amendment=amendment, action="accept")
    html = (
        Client()
        .get(f"{API}/proposals/{proposal.uuid}/diff", {"from_version": 1, "to_version": 2})
        .json()["html"]
    )
    assert "<ins>&lt;i&gt;b&lt;/i&gt;</ins>" in html and "<i>" not in html


def _many_proposals(congress: Congress, count: int) -> Proposal:
    proposal = None
    for number in range(count):
        proposal = services.proposal_create(
            actor=congress.delegates[number % 3],
            body=congress.body,
            on_behalf_of=congress.orgs[number % 3],
            title=f"P{number}",
            text="x",
        )
        services.proposal_transition(actor=congress.chair, proposal=proposal, to_status="open")
        for reply in range(3):
            services.comment_add(actor=congress.delegates[reply], proposal=proposal, text="c")
    assert proposal is not None
    return proposal


@pytest.mark.parametrize("count", [2, 12])
def test_proposal_list_query_count_is_constant(
    client: Client, congress: Congress, count: int, django_assert_max_num_queries: Any
) -> None:
    """The proposal list page and API cost the same few queries for 2 or 12 proposals."""
    _many_proposals(congress, count)
    with django_assert_max_num_queries(3):
        page = client.get(reverse("assemblies:proposals", args=["congreso"]))
    assert page.content.decode().count('class="card"') == count
    with django_assert_max_num_queries(4):
        body = client.get(f"{API}/proposals", {"body": "congreso"}).json()
    assert body["count"] == count


@pytest.mark.parametrize("replies", [2, 15])
def test_comment_thread_query_count_is_constant(
    congress: Congress, replies: int, django_assert_max_num_queries: Any
) -> None:
    """A proposal page with a deep thread costs the same number of queries."""
    proposal = _many_proposals(congress, 1)
    parent = proposal.comments.first()
    for number in range(replies):
        parent = services.comment_add(
            actor=congress.delegates[number % 3],
            proposal=proposal,
            text=f"r{number}",
            parent=parent,
        )
    client = _client(congress.delegates[0])
    client.get(proposal.get_absolute_url())
    # 14, plus one each for the translations and the supporting documents.
    with django_assert_max_num_queries(16):
        page = client.get(proposal.get_absolute_url())
    assert f"r{replies - 1}" in page.content.decode()
    with django_assert_max_num_queries(8):
        listed = client.get(f"{API}/proposals/{proposal.uuid}/comments").json()
    assert listed["count"] == replies + 3


def test_demo_loader_builds_a_congress_in_session(db: None) -> None:
    """With the registry demo's network and Congress, the loader is quick and repeat-safe."""
    network = factories.organization(kind="network", slug="confederacion-minga", name="Minga")
    chair = factories.person("demo-chair")
    factories.role(chair, network, "coordinator")
    body = Body.objects.create(organization=network, kind="congress", slug="congreso", name="C")
    from .conftest import accredit

    for number in range(8):
        org = factories.organization(name=f"Comuna demo {number}")
        person = factories.person(f"demo-delegate-{number}")
        accredit(person, org, body)
    from minga.assemblies.demo import load_assemblies_demo

    started = time.monotonic()
    line = load_assemblies_demo(2026)
    assert time.monotonic() - started < 3
    assert "3 proposals" in line
    assert Vote.objects.filter(closed_at__isnull=False).count() == 1
    assert Vote.objects.filter(closed_at__isnull=True, secret=True).count() == 1
    assert Proposal.objects.get(title="Fondo común de semillas").status == "adopted"
    assert load_assemblies_demo(2026) == "Assemblies demo already loaded."


@pytest.mark.parametrize(
    ("who", "rule", "expected"),
    [
        ("chair", "assemblies.body.manage", True),
        ("delegate", "assemblies.body.manage", False),
        ("outsider", "assemblies.body.manage", False),
        ("anonymous", "assemblies.body.manage", False),
        ("chair", "assemblies.body.take_part", False),
        ("delegate", "assemblies.body.take_part", True),
        ("outsider", "assemblies.body.take_part", False),
        ("delegate", "assemblies.proposal.create", True),
        ("outsider", "assemblies.proposal.create", False),
        ("anonymous", "assemblies.body.view", True),
    ],
)
def test_permission_matrix(congress: Congress, who: str, rule: str, expected: bool) -> None:
    """Managers manage, accredited delegates take part and propose, others only read."""
    from django.contrib.auth.models import AnonymousUser

    users = {
        "chair": congress.chair,
        "delegate": congress.delegates[0],
        "outsider": congress.outsider,
        "anonymous": AnonymousUser(),
    }
    assert has_perm(users[who], rule, congress.body) is expected


def test_canonical_addresses_resolve(client: Client, congress: Congress) -> None:
    """Every assemblies object's canonical address leads to its page."""
    proposal = services.proposal_create(
        actor=congress.delegates[0],
        body=congress.body,
        on_behalf_of=congress.orgs[0],
        title="T",
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
    meeting = _meeting(congress)
    for obj in (proposal, amendment, meeting, congress.rules):
        path = obj.get_canonical_url().split("://", 1)[1].split("/", 1)[1]
        response = client.get(f"/{path}", follow=True)
        assert response.status_code == 200, obj


def test_a_vote_is_read_under_its_body_and_its_proposal(congress: Congress) -> None:
    """A vote on a proposal only members of the server may read is a 404 to an anonymous
    reader on the page, the API and a cast, and readable by a delegate; a vote of a body whose
    network is hidden is a 404 to a signed-in stranger and nothing is cast."""
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        proposal=proposal,
        title="Fondo común",
        method="majority",
        **open_window(),
    )
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.SERVER)
    page = reverse("assemblies:vote", args=[vote.uuid])
    assert Client().get(page).status_code == 404
    assert Client().get(f"{API}/votes/{vote.uuid}").status_code == 404
    delegate = _client(congress.delegates[0])
    assert delegate.get(page).status_code == 200
    assert delegate.get(f"{API}/votes/{vote.uuid}").status_code == 200

    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.PUBLIC)
    assert Client().get(page).status_code == 200
    congress.network.visibility = Visibility.CUSTODIANS
    congress.network.save(update_fields=["visibility"])
    stranger = _client(congress.outsider)
    assert stranger.get(page).status_code == 404
    cast = stranger.post(
        f"{API}/votes/{vote.uuid}/ballots",
        data=json.dumps({"contents": {"option": "yes"}}),
        content_type="application/json",
    )
    assert cast.status_code == 404
    assert not vote.open_ballots.exists()
