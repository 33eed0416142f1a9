"""No input makes the exchange answer 500: every form field and API parameter, fuzzed.

Random values of every type (text with NUL characters and odd Unicode, integers far beyond
64 bits, floats, booleans, nulls, lists, objects) and realistic ones (existing short codes,
UUIDs, unit codes, kinds) are posted to every page form and API endpoint of the exchange,
as a spokesperson with an account, as a coordinator of the unit's network, and anonymously.
Every answer must be a success, a redirect or a 4xx; the test client re-raises any
exception a view lets through, so a crash fails the test with its traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minga.exchange import services
from minga.exchange.services import LineInput
from tests import factories
from tests.exchange.web_helpers import World, build_world

EXAMPLES = 12

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "💸" * 30,
            "x" * 5000,
            "-1",
            "0",
            "1e999999999",
            "NaN",
            "Infinity",
            "12,50",
            "9" * 40,
            "-" + "9" * 30,
            "0.0000001",
            "=1+1",
            "../../etc/passwd",
            "00000000-0000-0000-0000-000000000000",
            "not-a-uuid",
        ]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([2**62, 2**62 - 1, 2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64]),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@dataclass(repr=False)
class Site:
    world: World
    clients: list[Client]
    api_clients: list[Client]
    realistic: list[Any]  # short codes, UUIDs and codes that exist
    uuids: dict[str, str]

    def __repr__(self) -> str:
        return "Site(...)"


@pytest.fixture
def site(db: None) -> Site:
    world = build_world()
    spokesperson = world.people["spokesperson"]
    coordinator = world.people["network_coordinator"]
    factories.role(world.people["payee"], world.semillas, "spokesperson")
    agreement = services.agreement_propose(
        actor=spokesperson,
        proposer=world.maizal,
        title="Maíz",
        lines=[
            LineInput(supplier=world.semillas, receiver=world.maizal, description="x", amount=5)
        ],
        payment="ledger",
        unit=world.unit,
    )
    services.obligations_import(
        actor=coordinator,
        unit=world.unit,
        rows=[
            (1, world.maizal, world.semillas, 300, "", None),
            (2, world.semillas, world.maizal, 200, "", None),
        ],
    )
    round_ = services.clearing_round_open(actor=coordinator, unit=world.unit)
    tokens = []
    for person in (spokesperson, coordinator):
        tokens.append(Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(person)}"))
    realistic = [
        world.maizal.slug,
        world.semillas.slug,
        world.network.slug,
        world.outsider_org.slug,
        str(world.maizal.uuid),
        str(world.network.uuid),
        str(world.a.uuid),
        str(world.b.uuid),
        str(agreement.uuid),
        "MINGA",
        "minga",
        "posted",
        "pending",
        "post_pending",
        "void_pending",
        "ledger",
        "deferred",
        "barter",
        "accept",
        "deliver",
        "cancel",
        "consent",
        "object",
        "apply",
        "receive",
        "supply",
        "community",
        "csv",
        "png",
        "svg",
        "2025-01",
        "9999-12",
        "0001-01",
        "1",
        "12.50",
    ]
    return Site(
        world=world,
        clients=[
            factories.verified_client(spokesperson),
            factories.verified_client(coordinator),
            Client(),
        ],
        api_clients=[*tokens, Client()],
        realistic=realistic,
        uuids={
            "account": str(world.a.uuid),
            "agreement": str(agreement.uuid),
            "round": str(round_.uuid),
            "unit": "MINGA",
        },
    )


def _value(site: Site) -> st.SearchStrategy[Any]:
    return st.one_of(scalars, st.sampled_from(site.realistic))


def _form_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def _assert_answered(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


# --- Pages ------------------------------------------------------------------------------------

# (path with {placeholders}, fields posted or None for a GET with these query parameters)
PAGES: list[tuple[str, str, tuple[str, ...]]] = [
    ("get", "/exchange/", ("unit", "page")),
    ("get", "/exchange/accounts/{account}/", ("page",)),
    (
        "post",
        "/exchange/accounts/{account}/",
        ("client_id", "recipient", "recipient_choice", "amount", "memo"),
    ),
    ("post", "/exchange/units/{unit}/accounts/", ("organization", "organization_choice")),
    ("post", "/exchange/accounts/{account}/limits/", ("credit_limit", "upper_limit", "next")),
    ("post", "/exchange/accounts/{account}/freeze/", ("frozen", "reason", "next")),
    (
        "post",
        "/exchange/units/new/",
        (
            "network",
            "code",
            "name",
            "kind",
            "scale",
            "default_credit_limit",
            "default_upper_limit",
        ),
    ),
    ("get", "/exchange/agreements/", ()),
    ("get", "/exchange/agreements/new/", ("listing",)),
    (
        "post",
        "/exchange/agreements/new/",
        (
            "organization",
            "role",
            "counterpart",
            "counterpart_choice",
            "title",
            "description",
            "quantity",
            "payment",
            "unit",
            "amount",
            "listing",
        ),
    ),
    ("get", "/exchange/agreements/{agreement}/", ()),
    ("post", "/exchange/agreements/{agreement}/act/", ("organization", "action", "reason")),
    ("get", "/exchange/clearing/", ()),
    ("post", "/exchange/clearing/open/", ("unit",)),
    ("get", "/exchange/clearing/{round}/", ("format",)),
    ("post", "/exchange/clearing/{round}/act/", ("organization", "action", "reason")),
    ("get", "/exchange/barter/", ()),
    ("post", "/exchange/barter/run/", ("network",)),
    ("get", "/exchange/dashboard/", ("unit", "from", "to")),
    ("get", "/exchange/dashboard/csv/balances/", ("unit", "from", "to")),
    ("get", "/exchange/dashboard/csv/volume/", ("unit", "from", "to")),
    ("get", "/exchange/dashboard/csv/network/", ("unit", "from", "to")),
    ("get", "/exchange/dashboard/clearing/{round}/", ()),
    ("get", "/exchange/dashboard/clearing/{round}/csv/", ()),
    ("get", "/exchange/dashboard/clearing/{round}/chart/", ("format", "download")),
    ("get", "/exchange/dashboard/chart/volume/", ("unit", "from", "to", "format")),
    ("get", "/organization-picker/", ("q", "network", "field", "counterpart")),
]


@pytest.mark.parametrize(("method", "path", "fields"), PAGES, ids=lambda v: str(v))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_pages_answer_every_input_without_a_server_error(
    site: Site, method: str, path: str, fields: tuple[str, ...], data: st.DataObject
) -> None:
    """Random form fields and query parameters: a page, a redirect or a 4xx."""
    url = path.format(**site.uuids)
    values = {
        name: value
        for name in fields
        if (value := _form_value(data.draw(_value(site), label=name))) is not None
    }
    for client in site.clients:
        response = getattr(client, method)(url, values)
        _assert_answered(response, f"{method.upper()} {url} {values!r}")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=st.binary(max_size=300) | nasty_text.map(str.encode), unit=st.text(max_size=8))
def test_obligation_uploads_answer_every_file_without_a_server_error(
    site: Site, content: bytes, unit: str
) -> None:
    for client in site.clients:
        upload = SimpleUploadedFile("o.csv", content, content_type="text/csv")
        response = client.post("/exchange/clearing/obligations/", {"unit": unit, "file": upload})
        _assert_answered(response, f"upload {content!r}")


# --- API --------------------------------------------------------------------------------------

TRANSFER_FIELDS = (
    "client_id",
    "kind",
    "debit",
    "credit",
    "unit",
    "amount",
    "pending",
    "reverses",
    "timeout_seconds",
    "memo",
)
LINE_FIELDS = ("supplier", "receiver", "description", "quantity", "amount")
API: list[tuple[str, str, tuple[str, ...]]] = [
    ("get", "/accounts", ("unit", "organization", "page", "page_size")),
    ("get", "/accounts/{account}", ()),
    ("get", "/accounts/{account}/journal", ("page", "page_size")),
    ("post", "/accounts", ("organization", "unit")),
    ("patch", "/accounts/{account}", ("lowest_balance", "highest_balance", "frozen", "reason")),
    ("get", "/units", ("page", "page_size")),
    (
        "post",
        "/units",
        (
            "network",
            "code",
            "name",
            "kind",
            "scale",
            "default_lowest_balance",
            "default_highest_balance",
        ),
    ),
    ("post", "/transfers", ("linked", "transfers")),
    ("post", "/agreements", ("proposer", "title", "description", "payment", "unit", "lines")),
    ("get", "/agreements/{agreement}", ()),
    ("post", "/agreements/{agreement}/act", ("organization", "action", "reason")),
    ("post", "/clearing-rounds", ("unit",)),
    ("get", "/clearing-rounds/{round}", ()),
    ("post", "/clearing-rounds/{round}/act", ("action", "organization", "reason")),
]


def _object(site: Site, fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={name: st.one_of(json_values, st.sampled_from(site.realistic)) for name in fields},
    )


def _body(site: Site, fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    nested = {
        "transfers": st.lists(_object(site, TRANSFER_FIELDS), max_size=3) | json_values,
        "lines": st.lists(_object(site, LINE_FIELDS), max_size=3) | json_values,
    }
    return st.fixed_dictionaries(
        {},
        optional={
            name: nested.get(name, st.one_of(json_values, st.sampled_from(site.realistic)))
            for name in fields
        },
    )


@pytest.mark.parametrize(("method", "path", "fields"), API, ids=lambda v: str(v))
@settings(
    max_examples=EXAMPLES * 2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_api_answers_every_input_without_a_server_error(
    site: Site, method: str, path: str, fields: tuple[str, ...], data: st.DataObject
) -> None:
    """Random JSON bodies and query parameters: a result or a 4xx with its field."""
    url = "/api/v1/exchange" + path.format(**site.uuids)
    if method == "get":
        query = data.draw(_body(site, fields), label="query")
        params = {k: v for k, v in ((k, _form_value(v)) for k, v in query.items()) if v is not None}
        for client in site.api_clients:
            _assert_answered(client.get(url, params), f"GET {url} {params!r}")
        return
    body = data.draw(_body(site, fields) | json_values, label="body")
    for client in site.api_clients:
        response = getattr(client, method)(
            url, data=json.dumps(body), content_type="application/json"
        )
        _assert_answered(response, f"{method.upper()} {url} {body!r}")
    if isinstance(body, dict):
        raw = data.draw(st.binary(max_size=40), label="raw")
        response = site.api_clients[0].generic(method.upper(), url, raw, "application/json")
        _assert_answered(response, f"{method.upper()} {url} raw {raw!r}")
