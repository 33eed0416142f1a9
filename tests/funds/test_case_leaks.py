"""The leak test of the legal cases (issue 15).

A unique marker is planted in every field of a case and its identity, hearing, note,
document and expense. Then every page, API endpoint, export, feed, search, email, log
line, error report and 404 page is requested as each kind of reader — anonymous, a
stranger, a member of the fund's organization, a member of another organization, a
manager of another fund, a manager of this fund who is not on the case's team, the
server's administrator, and a revoked token of the case's own coordinator — and searched
for the marker: it appears only for the case's team. The database (every table, and
SQLite's dump), the search index and the media directory hold it nowhere in clear text.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from minga.funds import services
from minga.funds.models import CaseDate, CaseDocument
from minga.people.models import PersonalAccessToken
from minga.people.services import access_token_revoke
from tests import factories
from tests.funds.factories import FundsWorld, client_for, fund, legal_case
from tests.funds.test_cases import PDF

# Every planted value is MARK-<field>; a search for MARK alone echoes MARK in its box,
# which is no leak, so the answers are searched for "MARK-".
SEARCHED = "QX7LEAK"
MARK = f"{SEARCHED}-"


def _mark(field: str) -> str:
    return f"{MARK}{field}"


def _world(w: FundsWorld) -> dict[str, Any]:
    year = timezone.localdate().year
    f = fund(w, name="Legal defence", approval_rule="one_manager", receipts_public=True)
    services.contribution_receive(actor=w.first, fund=f, amount=100_000)
    services.budget_set(actor=w.first, fund=f, category="legal-fees", year=year, amount=90_000)
    case = legal_case(
        w,
        f,
        pseudonym=_mark("pseudonym"),
        place=_mark("place"),
        summary=_mark("summary"),
        outcome=_mark("outcome"),
    )
    services.identity_set(
        actor=w.first,
        case=case,
        identity={name: _mark(name) for name in services.cases.IDENTITY_FIELDS},
    )
    soon = timezone.localdate() + timezone.timedelta(days=2)
    services.date_add(
        actor=w.first,
        case=case,
        kind="hearing",
        on=soon,
        what=_mark("what"),
        where=_mark("where"),
        time=_mark("time")[:20],
    )
    services.note_add(actor=w.first, case=case, text=_mark("note"))

    upload = SimpleUploadedFile(
        f"{_mark('filename')}.pdf", PDF + _mark("content").encode(), "application/pdf"
    )
    services.document_add(actor=w.first, case=case, upload=upload, title=_mark("title"))
    expense = services.expense_request(
        actor=w.first,
        case=case,
        amount=5_000,
        category="legal-fees",
        paid_to=_mark("paid_to"),
        what_for=_mark("what_for"),
    )
    services.spending_approve(actor=w.second, movement=expense.movement)
    pledge = services.pledge_create(actor=w.member, fund=f, amount=700, recurrence="monthly")
    services.contribution_receive(actor=w.first, fund=f, amount=700, pledge=pledge)
    tools = services.spending_request(
        actor=w.first,
        fund=f,
        kind="expense",
        amount=1_000,
        category="legal-fees",
        description="Copies",
        payee="Copy shop",
    )
    paid = services.spending_approve(actor=w.second, movement=tools)
    receipt = SimpleUploadedFile("receipt.pdf", PDF, "application/pdf")
    paid = services.receipt_attach(actor=w.first, movement=paid, upload=receipt)
    other_manager = factories.person("other-manager")
    factories.role(other_manager, w.neighbour, "spokesperson")
    other = services.fund_create(
        actor=other_manager,
        organization=w.neighbour,
        data=services.FundData(name="Other fund", purpose="Other", unit=w.unit),
    )
    root = factories.person("root", is_superuser=True, is_staff=True)
    neighbour = factories.person("neighbour-member")
    factories.role(neighbour, w.neighbour, "member")
    # A token of the case's own coordinator, revoked: it reads and writes nothing more.
    revoked = factories.api_token(w.first, name="revoked")
    access_token_revoke(
        user=w.first, token_id=PersonalAccessToken.objects.get(user=w.first, name="revoked").pk
    )
    for person in (w.first, w.second, w.member, w.stranger, other_manager, root):
        person.email = f"{person.username}@example.org"
        person.save()
    return {
        "fund": f,
        "other": other,
        "case": case,
        "document": CaseDocument.objects.get(),
        "date": CaseDate.objects.get(),
        "expense": expense.movement,
        "paid": paid,
        "pledge": pledge,
        "readers": {
            "anonymous": None,
            "stranger": w.stranger,
            "member": w.member,
            "member of another organization": neighbour,
            "manager of another fund": other_manager,
            "manager not on the team": w.second,
            "server administrator": root,
            "revoked token of the case's coordinator": Client(
                HTTP_AUTHORIZATION=f"Bearer {revoked}"
            ),
        },
    }


def _uuid_for(route: str, world: dict[str, Any]) -> Any:
    """The object whose uuid a route of the funds takes, read from the route itself."""
    for part, key in (
        ("cases/documents/", "document"),
        ("cases/dates/", "date"),
        ("cases/{uuid}", "case"),
        ("cases/<uuid", "case"),
        ("movements/", "expense"),
        ("pledges/", "pledge"),
    ):
        if part in route:
            return world[key].uuid
    return world["fund"].uuid


def _page_urls(world: dict[str, Any]) -> list[str]:
    """Every page of the funds (from the app's own URL list, so a page added later is
    tested too), each with the uuid of the object it names; the yearly report in both
    formats, and the receipt of the paid expense."""
    from minga.funds import urls

    year = timezone.localdate().year
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        kwargs: dict[str, Any] = {}
        if "<uuid:uuid>" in route:
            kwargs["uuid"] = _uuid_for(route, world)
        if "<int:year>" in route:
            for fmt in ("html", "pdf"):
                found.append(
                    reverse(f"funds:{pattern.name}", kwargs={**kwargs, "year": year, "fmt": fmt})
                )
            continue
        found.append(reverse(f"funds:{pattern.name}", kwargs=kwargs))
    # The paid expense's receipt (shown to the fund's managers), the other fund's page.
    found.append(world["paid"].receipt.url)
    found.append(reverse("funds:fund", kwargs={"uuid": world["other"].uuid}))
    found.append(reverse("funds:pledges", kwargs={"uuid": world["fund"].uuid}) + "?overdue=1")
    # Canonical addresses of the funds' objects.
    for key in ("fund", "expense", "pledge"):
        found.append(urlsplit(world[key].get_canonical_url()).path)
    return found


def _api_paths(world: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (method, path) of the funds' API (from its OpenAPI schema, so an endpoint
    added later is tested too), each with the uuid of the object it names."""
    from minga.api import api

    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        if not path.startswith("/api/v1/funds/"):
            continue
        filled = path.replace("{uuid}", str(_uuid_for(path, world)))
        found.extend((method.upper(), filled) for method in methods)
    assert len(found) > 15
    return found


def _urls(w: FundsWorld, world: dict[str, Any]) -> list[str]:
    """The site's own pages, searches, feeds and federation beside the funds' pages."""
    return [
        "/",
        "/funds/cases/00000000-0000-4000-8000-000000000000/",
        "/funds/pledges/00000000-0000-4000-8000-000000000000/",
        reverse("registry:audit"),
        f"/organizations/?q={SEARCHED}",
        f"/library/?q={SEARCHED}",
        f"/market/?q={SEARCHED}",
        f"/api/v1/organizations?q={SEARCHED}",
        reverse("library:feed"),
        reverse("library:sitemap"),
        reverse("comms:rss"),
        reverse("comms:atom"),
        reverse("federation:server_outbox"),
        reverse("federation:outbox", kwargs={"uuid": w.commune.uuid}),
        f"/api/v1/funds/funds/{world['fund'].uuid}/movements?page=1",
        *_page_urls(world),
    ]


def _body(response: Any) -> bytes:
    """What a reader gets: the bytes, and a PDF's text (its streams are compressed)."""
    body = b"".join(response) if response.streaming else response.content
    if body.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:  # the reports the site renders; an uploaded file is searched as it is
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        except PdfReadError:
            text = ""
        body += text.encode()
    return bytes(body)


def _client(reader: Any) -> Client:
    if isinstance(reader, Client):
        return reader
    return Client() if reader is None else client_for(reader)


def test_case_data_reaches_only_the_case_team(
    w: FundsWorld, caplog: pytest.LogCaptureFixture, settings: Any, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    world = _world(w)
    urls = _urls(w, world)
    # The reminder of the pledge's next payment (before the readers' requests, which
    # include the contributor's cancelling it through the API).
    assert services.pledges_remind(today=timezone.localdate() + timezone.timedelta(days=40)) == 1
    # Every reader outside the team: the marker appears in no answer.
    api = _api_paths(world)
    private = [str(world[key].uuid) for key in ("case", "document", "date")]
    for name, reader in world["readers"].items():
        client = _client(reader)
        client.raise_request_exception = False
        for url in urls:
            response = client.get(url)
            assert MARK.encode() not in _body(response), f"{name} read the marker at {url}"
            if any(uuid in url for uuid in private):  # 405: a form's address, for any uuid
                assert response.status_code in (302, 401, 404, 405), (
                    name,
                    url,
                    response.status_code,
                )
        # Every endpoint of the funds' API, read and written (with nothing: the refusal
        # and its error page are searched too).
        for method, path in api:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.generic(method, path, "{}", content_type="application/json")
            assert MARK.encode() not in _body(response), f"{name} read the marker: {method} {path}"
            if any(uuid in path for uuid in private):  # 422: the empty body, before any read
                assert response.status_code in (401, 403, 404, 422), (name, method, path)
            if isinstance(reader, Client):  # a revoked token: refused, coded, everywhere
                assert response.status_code == 401, (method, path)
    # The team reads every field (the test would be empty if nothing were ever shown).
    team = client_for(w.first)
    page = team.get(reverse("funds:case", kwargs={"uuid": world["case"].uuid})).content.decode()
    for field in ("pseudonym", "place", "summary", "outcome", "what", "where", "note", "title"):
        assert _mark(field) in page, field
    assert _mark("paid_to") in page and _mark("what_for") in page
    identity = team.get(reverse("funds:case_identity", kwargs={"uuid": world["case"].uuid}))
    assert _mark("legal_name") in identity.content.decode()
    document = team.get(reverse("funds:case_document", kwargs={"uuid": world["document"].uuid}))
    assert _mark("content").encode() in document.content
    api = team.get(f"/api/v1/funds/cases/{world['case'].uuid}").json()
    assert api["pseudonym"] == _mark("pseudonym")
    # Emails (every one sent since the world was made, the reminders of the case's dates
    # and of the pledge included): the case's say only that something needs attention.
    before = len(mail.outbox)
    assert services.case_dates_remind() == 1
    assert [m.to for m in mail.outbox[before:]] == [[w.first.email]]  # the team's only member
    for message in mail.outbox:
        text = message.subject + message.body
        text += "".join(str(content) for content, _type in getattr(message, "alternatives", []))
        assert MARK not in text
    # Exports and backups made by the platform's commands.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert MARK not in dump.getvalue()
    call_command("export_organizations", str(tmp_path / "orgs.json"))
    assert MARK not in (tmp_path / "orgs.json").read_text()
    call_command("ledger", "export", str(tmp_path / "journal"), stdout=io.StringIO())
    assert MARK.encode() not in (tmp_path / "journal").read_bytes()
    # The database in clear: every column of every row, and SQLite's own dump.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            for row in cursor.fetchall():
                for value in row:
                    raw = bytes(value) if isinstance(value, (bytes, memoryview)) else str(value)
                    needle: Any = MARK.encode() if isinstance(raw, bytes) else MARK
                    assert needle not in raw, table
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        text = "\n".join(connection.connection.iterdump())
        assert MARK not in text
    # The search index and the media directory.
    for directory in (Path(settings.SEARCH_INDEX_DIR), Path(settings.MEDIA_ROOT)):
        for path in directory.rglob("*") if directory.exists() else []:
            if path.is_file():
                assert MARK.encode() not in path.read_bytes(), path
    # Log lines, of everything above.
    for record in caplog.records:
        assert MARK not in record.getMessage() + str(record.exc_text or "")


def test_an_error_report_of_a_case_page_shows_nothing_typed(
    w: FundsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case page failing while a note is saved: the error report (what Django emails
    the administrators) holds neither the POST data nor any frame's variables."""
    f = fund(w)
    case = legal_case(w, f)
    reports: list[str] = []

    def report(sender: Any, request: Any, **kwargs: Any) -> None:
        reporter = ExceptionReporter(request, *sys.exc_info())
        reports.append(reporter.get_traceback_text())

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "note_add", broken)
    got_request_exception.connect(report)
    try:
        client = client_for(w.first)
        client.raise_request_exception = False
        response = client.post(
            reverse("funds:case_note_add", kwargs={"uuid": case.uuid}), {"text": _mark("note")}
        )
    finally:
        got_request_exception.disconnect(report)
    assert response.status_code == 500
    assert reports and "the disk is full" in reports[0]
    assert MARK not in reports[0]
    assert MARK not in response.content.decode()


def test_nothing_of_a_case_travels_by_federation_or_search() -> None:
    """No case model is indexed for search, has a canonical address or an activity, or
    a page in Django's admin (where superusers would list its rows)."""
    from django.contrib import admin

    from minga.common import search
    from minga.common.models import IdentifiedModel
    from minga.funds import models

    case_models = [
        models.LegalCase,
        models.CaseIdentity,
        models.CaseDate,
        models.CaseNote,
        models.CaseDocument,
        models.CaseExpense,
        models.CaseRead,
        models.CaseDeletion,
    ]
    for model in case_models:
        assert not issubclass(model, IdentifiedModel)
        assert not hasattr(model, "canonical_path_prefix")
        assert model not in admin.site._registry
    # The indexes the platform rebuilds (``minga reindex``) are the other apps' own.
    assert not any("fund" in name or "case" in name for name in search.registered_indexes())
