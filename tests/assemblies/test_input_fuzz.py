"""Every input gets a 4xx, never a 500: random values of every type posted to every form of
the assemblies' pages and to every parameter of their API, by a delegate with a seat, by a
coordinator of the body and by nobody signed in.

The forms are not listed by hand: they are read from the pages themselves (every ``<form>``
and its fields, as each reader sees them), and the API's operations and parameters from its
OpenAPI description, so a new form or endpoint is fuzzed without editing this file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from minga.api import api
from minga.assemblies import selectors, services
from minga.assemblies.models import (
    Amendment,
    Comment,
    DebateSpace,
    Declaration,
    Endorsement,
    FollowUpResult,
    Meeting,
    Milestone,
    Proposal,
    Vote,
    WorkingTable,
)
from tests import factories
from tests.fuzz import HYPOTHESIS, JSON_ONLY_TEXT, ODD_TEXT, Form, FormReader

from .conftest import Congress, after_close, open_window, proposal_to_vote


def _forms(client: Client, pages: list[str]) -> list[Form]:
    found: dict[tuple[str, str], Form] = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, page
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormReader(page)
        parser.feed(response.content.decode())
        for form in parser.forms:
            path = urlsplit(form.action).path
            if not path.startswith("/assemblies/"):
                continue  # the language switcher, sign-out: not the assemblies'
            key = (path, form.method.lower())
            known = found.setdefault(key, Form(path, form.method.lower()))
            known.fields |= form.fields - {"csrfmiddlewaretoken"}
            for name, value in form.defaults.items():
                if name != "csrfmiddlewaretoken":
                    known.defaults.setdefault(name, value)
    return list(found.values())


@dataclass
class World:
    congress: Congress
    pages: list[str]
    identifiers: list[str]
    kinds: dict[str, list[str]]


@pytest.fixture
def world(congress: Congress) -> World:
    """Every kind of object of the assemblies, in the states that show their forms."""
    chair, delegates, orgs = congress.chair, congress.delegates, congress.orgs
    congress.rules.ballot_change_allowed = True
    congress.rules.save()
    now = timezone.now()
    meeting = services.meeting_create(
        actor=chair,
        body=congress.body,
        title="Sesión",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        place="Caracas",
        agenda=["Apertura", "Fondo"],
    )
    services.working_table_create(
        actor=chair, meeting=meeting, name="Mesa de semillas", rapporteur=delegates[0]
    )
    open_proposal = services.proposal_create(
        actor=delegates[0],
        body=congress.body,
        on_behalf_of=orgs[0],
        title="Radio",
        text="Una radio por región.",
    )
    services.proposal_transition(actor=delegates[0], proposal=open_proposal, to_status="open")
    services.amendment_propose(
        actor=delegates[1],
        proposal=open_proposal,
        base_version=selectors.current_version(open_proposal),
        new_text="Dos radios por región.",
        on_behalf_of=orgs[1],
    )
    services.comment_add(actor=delegates[1], proposal=open_proposal, text="De acuerdo.")
    services.proposal_translation_save(
        actor=delegates[1], proposal=open_proposal, language="ht", text="Yon radyo."
    )
    voted = proposal_to_vote(congress)
    adopted_vote = services.vote_create(
        actor=chair,
        body=congress.body,
        proposal=voted,
        title="Fondo",
        method="majority",
        meeting=meeting,
        **open_window(),
    )
    for delegate in delegates:
        services.ballot_cast(actor=delegate, vote=adopted_vote, contents={"option": "yes"})
    services.vote_close(actor=chair, vote=adopted_vote, now=after_close())
    declaration = services.declaration_publish(actor=chair, proposal=voted)
    services.endorsement_add(actor=delegates[0], declaration=declaration, organization=orgs[0])
    to_vote = proposal_to_vote(congress)
    for method, secret in (
        ("consent", False),
        ("stv", True),
        ("approval", False),
        ("score", True),
        ("schulze", False),
    ):
        proposal_vote = method == "consent"
        vote = services.vote_create(
            actor=chair,
            body=congress.body,
            proposal=to_vote if proposal_vote else None,
            title=f"Voto {method}",
            method=method,
            choices=[] if proposal_vote else ["Ana", "Beto", "Carla"],
            secret=secret,
            **open_window(),
        )
        if method == "stv":
            services.ballot_cast(actor=delegates[2], vote=vote, contents={"ranking": ["Ana"]})
    plan = services.result_create(
        actor=chair, body=congress.body, title="Plan", responsible=orgs[0], declaration=declaration
    )
    step = services.result_create(
        actor=chair, body=congress.body, title="Paso", responsible=orgs[1], parent=plan
    )
    services.milestone_add(actor=chair, result=step, title="Primer hito")
    debate = services.debate_create(
        actor=delegates[0], body=congress.body, title="Cisternas", theme="Agua", language="es"
    )
    services.debate_comment_add(actor=delegates[1], debate=debate, text="En mi comuna…")
    slug = congress.body.slug
    pages = [
        reverse("assemblies:index"),
        reverse("assemblies:body", args=[slug]),
        reverse("assemblies:proposals", args=[slug]),
        reverse("assemblies:proposal_new", args=[slug]),
        reverse("assemblies:meeting_new", args=[slug]),
        reverse("assemblies:vote_new", args=[slug]),
        reverse("assemblies:vote_new", args=[slug]) + f"?proposal={to_vote.uuid}",
        reverse("assemblies:result_new", args=[slug]),
        reverse("assemblies:debates", args=[slug]),
        reverse("assemblies:debate_new", args=[slug]),
        reverse("assemblies:results"),
        reverse("assemblies:amendment_new", args=[open_proposal.uuid]),
        reverse("assemblies:proposal_translate", args=[open_proposal.uuid]),
        reverse("assemblies:working_table_new", args=[meeting.uuid]),
        *(p.get_absolute_url() for p in Proposal.objects.all()),
        *(v.get_absolute_url() for v in Vote.objects.all()),
        *(
            reverse("assemblies:vote_receipts", args=[v.uuid])
            for v in Vote.objects.filter(secret=True)
        ),
        *(v.get_absolute_url() + "?change=1" for v in Vote.objects.all()),
        meeting.get_absolute_url(),
        declaration.get_absolute_url(),
        *(r.get_absolute_url() for r in FollowUpResult.objects.all()),
        *(t.get_absolute_url() for t in WorkingTable.objects.all()),
        debate.get_absolute_url(),
    ]
    kinds = {
        "votes": [str(v.uuid) for v in Vote.objects.all()],
        "proposals": [str(p.uuid) for p in Proposal.objects.all()],
        "meetings": [str(meeting.uuid)],
        "declarations": [str(declaration.uuid)],
        "endorsements": [str(e.uuid) for e in Endorsement.objects.all()],
        "amendments": [str(a.uuid) for a in Amendment.objects.all()],
        "results": [str(r.uuid) for r in FollowUpResult.objects.all()],
        "tables": [str(t.uuid) for t in WorkingTable.objects.all()],
        "debates": [str(d.uuid) for d in DebateSpace.objects.all()],
        "bodies": [slug],
    }
    identifiers = [
        *(str(seat.uuid) for seat in congress.seats),
        *(str(org.uuid) for org in orgs),
        *(str(org.pk) for org in orgs),
        *(str(pk) for pk in Comment.objects.values_list("pk", flat=True)),
        *(str(pk) for pk in Milestone.objects.values_list("pk", flat=True)),
        *(str(pk) for pk in meeting.agenda_items.values_list("pk", flat=True)),
        *(str(delegate.pk) for delegate in delegates),
        *(value for values in kinds.values() for value in values),
        "yes",
        "consent",
        "open",
        "debate",
        "to_vote",
        "accept",
        "status",
        "milestone",
        "reach",
        "agenda",
        "minutes",
        "decision",
        "es",
        "ht",
        "pdf",
        "csv",
        "1",
    ]
    assert Declaration.objects.count() == 1 and Meeting.objects.count() == 1
    return World(congress, pages, identifiers, kinds)


def _text(world: World, *, json_text: bool = False) -> st.SearchStrategy[str]:
    odd = ODD_TEXT + (JSON_ONLY_TEXT if json_text else [])
    return st.one_of(
        st.sampled_from(odd),
        st.sampled_from(world.identifiers),
        st.text(max_size=30),
        st.integers().map(str),
        st.integers(min_value=2**62).map(str),
    )


def _json(world: World) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        _text(world, json_text=True),
        st.integers(),
        st.sampled_from([2**70, -(2**70), 2**63, -1, 0]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


def _readers(world: World) -> dict[str, Client]:
    delegate = Client()
    delegate.force_login(world.congress.delegates[0])
    return {
        "anonymous": Client(),
        "delegate": delegate,
        "coordinator": factories.verified_client(world.congress.chair),
    }


@pytest.mark.parametrize("reader", ["anonymous", "delegate", "coordinator"])
def test_no_form_of_the_pages_answers_500(world: World, reader: str) -> None:
    """Each form found on the assemblies' pages, and each page with odd query parameters,
    answers below 500 whatever is posted to its fields (and to fields it does not have):
    random values in every field, or what the page itself would send with one field
    changed."""
    client = _readers(world)[reader]
    forms = _forms(client, world.pages)
    assert len(forms) >= (3 if reader == "anonymous" else 20), [f.action for f in forms]
    query_names = ["page", "comments", "lang", "status", "from", "to", "change", "format",
                   "proposal", "amendment", "meeting", "body", "organization", "overdue"]  # fmt: skip

    @HYPOTHESIS
    @given(data=st.data())
    def every_form(data: st.DataObject) -> None:
        for form in forms:
            names = sorted(form.fields) + data.draw(
                st.lists(st.sampled_from(query_names), max_size=2)
            )
            payload: dict[str, Any] = {}
            if names and data.draw(st.booleans()):
                # What the page would send, with one field changed: reaches past the checks
                # of the other fields.
                payload = dict(form.defaults)
                names = [data.draw(st.sampled_from(names))]
            for name in names:
                if data.draw(st.booleans()):
                    payload.pop(name, None)  # a field left out
                    continue
                many = data.draw(st.integers(min_value=1, max_value=3))
                values = [data.draw(_text(world)) for _ in range(many)]
                payload[name] = values if many > 1 else values[0]
            if form.method == "post":
                response = client.post(form.action, payload)
            else:
                response = client.get(form.action, payload)
            assert response.status_code < 500, (form.action, payload)
        for page in world.pages:
            query = {
                name: data.draw(_text(world))
                for name in data.draw(st.lists(st.sampled_from(query_names), max_size=3))
            }
            response = client.get(urlsplit(page).path, query)
            assert response.status_code < 500, (page, query)

    every_form()


def _operations(world: World) -> list[tuple[str, str, list[tuple[str, str]], dict[str, Any]]]:
    """(method, path template, [(parameter, where)], body properties) of every operation."""
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1/assemblies/"):
            continue
        for method, operation in methods.items():
            parameters = [(p["name"], p["in"]) for p in operation.get("parameters", [])]
            body: dict[str, Any] = {}
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                reference = media.get("schema", {}).get("$ref", "")
                body = components.get(reference.rsplit("/", 1)[-1], {}).get("properties", {})
            found.append((method, path, parameters, body))
    return found


def _path(world: World, template: str, data: st.DataObject) -> str:
    def fill(match: re.Match[str]) -> str:
        prefix = template[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        known = world.kinds.get(prefix, [])
        choice = st.sampled_from(known) if known else _text(world)
        value = data.draw(st.one_of(choice, _text(world)) if known else choice)
        return re.sub(r"[/?#]", "-", value) or "x"

    return re.sub(r"\{[^}]+\}", fill, template)


@pytest.mark.parametrize("reader", ["anonymous", "delegate", "coordinator"])
def test_no_operation_of_the_api_answers_500(world: World, reader: str) -> None:
    """Each operation of /api/v1/assemblies/ answers below 500 to random path and query
    values and to random JSON bodies: every field with values of every type (odd text,
    huge and negative numbers, lists, nested objects), unknown fields, a body that is not
    an object, and a body that is not JSON."""
    client = _readers(world)[reader]
    operations = _operations(world)
    assert len(operations) >= 45

    @HYPOTHESIS
    @given(data=st.data())
    def every_operation(data: st.DataObject) -> None:
        for method, template, parameters, properties in operations:
            path = _path(world, template, data)
            query = {
                name: data.draw(_text(world))
                for name, where in parameters
                if where == "query" and data.draw(st.booleans())
            }
            if query:
                path += "?" + urlencode(query)
            shape = data.draw(st.sampled_from(["object", "object", "other", "not json"]))
            if shape == "object":
                body: Any = {
                    name: data.draw(_json(world))
                    for name in [*properties, *data.draw(st.lists(st.text(max_size=6), max_size=2))]
                    if data.draw(st.booleans())
                }
                raw = json.dumps(body)
            elif shape == "other":
                raw = json.dumps(data.draw(_json(world)))
            else:
                raw = data.draw(st.sampled_from(["{", "", "null", "[1,", '{"a":\x00}']))
            send = getattr(client, method)
            response = (
                send(path)
                if method == "get"
                else send(path, data=raw, content_type="application/json")
            )
            assert response.status_code < 500, (method, path, raw[:300])

    every_operation()
