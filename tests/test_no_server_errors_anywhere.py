"""Every input gets a 4xx, never a 500, on the rest of the site: the registry, the market,
people's accounts and the site's own pages (the assemblies and the exchange have their own,
deeper fuzz tests: tests/assemblies/test_input_fuzz.py, tests/exchange/test_no_server_errors.py).

The demo federation is loaded; the pages are found by following links from the home page
(tests/test_language_leaks.py), their forms read from the pages themselves, and the API's
operations and parameters from its OpenAPI description, so a new form or endpoint is fuzzed
without editing this file. Random values of every type go to every field and parameter,
signed in as a network coordinator (with their second factor) and as nobody.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from minga.api import api
from tests import factories
from tests.fuzz import HYPOTHESIS, JSON_ONLY_TEXT, ODD_TEXT, Form, FormReader
from tests.test_language_leaks import _crawl

COVERED_ELSEWHERE = ("/assemblies/", "/exchange/", "/trade/")
API_COVERED_ELSEWHERE = ("/api/v1/assemblies/", "/api/v1/exchange/")


def _identifiers() -> list[str]:
    from minga.market.models import Listing
    from minga.people.models import User
    from minga.registry.models import Organization, OrganizationRelation, Role

    found: list[str] = []
    for model in (Organization, Listing, User, OrganizationRelation, Role):
        found += [str(uuid) for uuid in model.objects.values_list("uuid", flat=True)[:3]]
    found += list(Organization.objects.values_list("slug", flat=True)[:3])
    found += list(User.objects.values_list("username", flat=True)[:2])
    return [*found, "approve", "reject", "withdraw", "network", "commune", "VE", "ht", "1"]


def _text(identifiers: list[str], *, json_text: bool = False) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXT + (JSON_ONLY_TEXT if json_text else [])),
        st.sampled_from(identifiers),
        st.text(max_size=30),
        st.integers().map(str),
    )


def _json(identifiers: list[str]) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        _text(identifiers, json_text=True),
        st.integers(),
        st.sampled_from([2**70, -(2**70), 2**63, -1, 0]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=6,
    )


def _forms(client: Client, pages: list[str]) -> list[Form]:
    found: dict[tuple[str, str], Form] = {}
    for page in pages:
        parser = FormReader(page)
        parser.feed(client.get(page).content.decode())
        for form in parser.forms:
            path = urlsplit(form.action).path
            if path.startswith(COVERED_ELSEWHERE) or path.startswith("/i18n/"):
                continue
            if path.endswith("/logout/"):
                continue  # signing out would end the rest of the run
            known = found.setdefault((path, form.method.lower()), Form(path, form.method.lower()))
            known.fields |= form.fields - {"csrfmiddlewaretoken"}
            for name, value in form.defaults.items():
                if name != "csrfmiddlewaretoken":
                    known.defaults.setdefault(name, value)
    return list(found.values())


def _operations() -> list[tuple[str, str, list[tuple[str, str]], list[str]]]:
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, methods in schema["paths"].items():
        if path.startswith(API_COVERED_ELSEWHERE):
            continue
        for method, operation in methods.items():
            parameters = [(p["name"], p["in"]) for p in operation.get("parameters", [])]
            properties: list[str] = []
            for media in operation.get("requestBody", {}).get("content", {}).values():
                reference = media.get("schema", {}).get("$ref", "")
                properties += list(
                    components.get(reference.rsplit("/", 1)[-1], {}).get("properties", {})
                )
            found.append((method, path, parameters, properties))
    return found


def test_no_form_page_or_api_operation_answers_500(db: None) -> None:
    from minga.registry.models import Role

    call_command("demo", organizations=200, verbosity=0)
    role = Role.objects.filter(kind="coordinator", organization__kind="network").first()
    assert role is not None
    identifiers = _identifiers()
    operations = _operations()
    assert len(operations) >= 10, [path for _m, path, _p, _b in operations]
    readers = {"coordinator": factories.verified_client(role.person), "anonymous": Client()}
    for reader, client in readers.items():
        pages = [page for page in _crawl(client) if not page.startswith(COVERED_ELSEWHERE)]
        forms = _forms(client, pages)
        assert len(forms) >= (2 if reader == "anonymous" else 5), (reader, forms)
        _fuzz(reader, client, pages, forms, operations, identifiers)


def _fuzz(
    reader: str,
    client: Client,
    pages: list[str],
    forms: list[Form],
    operations: list[tuple[str, str, list[tuple[str, str]], list[str]]],
    identifiers: list[str],
) -> None:
    """Random inputs for each form, page and operation in turn (one search each, so no
    example has to carry values for the whole site)."""
    for form in forms:
        _examples(partial(_send_form, reader, client, form, identifiers))
    for page in pages:
        _examples(partial(_read_page, reader, client, page, identifiers))
    for operation in operations:
        _examples(partial(_call_operation, reader, client, operation, identifiers))


def _examples(check: Callable[[st.DataObject], None]) -> None:
    @HYPOTHESIS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        check(data)

    run()


def _send_form(
    reader: str, client: Client, form: Form, identifiers: list[str], data: st.DataObject
) -> None:
    payload: dict[str, Any] = dict(form.defaults) if data.draw(st.booleans()) else {}
    for name in [*sorted(form.fields), "page", "q"]:
        if data.draw(st.booleans()):
            payload[name] = data.draw(_text(identifiers))
    send = client.post if form.method == "post" else client.get
    response = send(form.action, payload)
    assert response.status_code < 500, (reader, form.action, payload)


def _read_page(
    reader: str, client: Client, page: str, identifiers: list[str], data: st.DataObject
) -> None:
    query = {"page": data.draw(_text(identifiers)), "q": data.draw(_text(identifiers))}
    response = client.get(urlsplit(page).path, query)
    assert response.status_code < 500, (reader, page, query)


def _call_operation(
    reader: str,
    client: Client,
    operation: tuple[str, str, list[tuple[str, str]], list[str]],
    identifiers: list[str],
    data: st.DataObject,
) -> None:
    method, path, parameters, properties = operation
    for name, where in parameters:
        if where == "path":
            value = data.draw(_text(identifiers)).replace("/", "-") or "x"
            path = path.replace("{" + name + "}", value)
    query = {
        name: data.draw(_text(identifiers))
        for name, where in parameters
        if where == "query" and data.draw(st.booleans())
    }
    if query:
        path += "?" + urlencode(query)
    body = {name: data.draw(_json(identifiers)) for name in properties if data.draw(st.booleans())}
    raw = json.dumps(body) if data.draw(st.booleans()) else "{"
    send = getattr(client, method)
    response = (
        send(path) if method == "get" else send(path, data=raw, content_type="application/json")
    )
    assert response.status_code < 500, (reader, method, path, raw[:300])
