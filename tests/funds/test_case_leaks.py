"""The leak test of the legal cases (issue 15).

A unique marker is planted in every field of a case and its identity, hearing, note,
document and expense. Then every page, API endpoint, export, feed, search, email, log
line, error report and 404 page is requested as each kind of reader — anonymous, a
stranger, a member of the fund's organization, a manager of another fund, a manager of
this fund who is not on the case's team, and the server's administrator — and searched
for the marker: it appears only for the case's team. The database (every table, and
SQLite's dump), the search index and the media directory hold it nowhere in clear text.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from minga.funds import services
from minga.funds.models import CaseDate, CaseDocument
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
    f = fund(w, name="Legal defence")
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
    from django.core.files.uploadedfile import SimpleUploadedFile

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
    other_manager = factories.person("other-manager")
    factories.role(other_manager, w.neighbour, "spokesperson")
    other = services.fund_create(
        actor=other_manager,
        organization=w.neighbour,
        data=services.FundData(name="Other fund", purpose="Other", unit=w.unit),
    )
    root = factories.person("root", is_superuser=True, is_staff=True)
    for person in (w.first, w.second, w.member, w.stranger, other_manager, root):
        person.email = f"{person.username}@example.org"
        person.save()
    return {
        "fund": f,
        "other": other,
        "case": case,
        "document": CaseDocument.objects.get(),
        "date": CaseDate.objects.get(),
        "readers": {
            "anonymous": None,
            "stranger": w.stranger,
            "member": w.member,
            "manager of another fund": other_manager,
            "manager not on the team": w.second,
            "server administrator": root,
        },
    }


def _urls(w: FundsWorld, world: dict[str, Any]) -> list[str]:
    f, other, case = world["fund"], world["other"], world["case"]
    c = {"uuid": case.uuid}
    return [
        "/",
        reverse("funds:index"),
        reverse("funds:fund", kwargs={"uuid": f.uuid}),
        reverse("funds:fund", kwargs={"uuid": other.uuid}),
        reverse("funds:export", kwargs={"uuid": f.uuid}),
        reverse("funds:pledges", kwargs={"uuid": f.uuid}),
        reverse("funds:cases"),
        reverse("funds:case", kwargs=c),
        reverse("funds:case_edit", kwargs=c),
        reverse("funds:case_identity", kwargs=c),
        reverse("funds:case_team", kwargs=c),
        reverse("funds:case_expense", kwargs=c),
        reverse("funds:case_delete", kwargs=c),
        reverse("funds:case_document", kwargs={"uuid": world["document"].uuid}),
        "/funds/cases/00000000-0000-4000-8000-000000000000/",
        reverse("registry:audit"),
        f"/organizations/?q={SEARCHED}",
        f"/library/?q={SEARCHED}",
        f"/market/?q={SEARCHED}",
        reverse("library:feed"),
        reverse("library:sitemap"),
        reverse("comms:rss"),
        reverse("comms:atom"),
        reverse("federation:server_outbox"),
        reverse("federation:outbox", kwargs={"uuid": w.commune.uuid}),
        "/api/v1/funds/funds",
        f"/api/v1/funds/funds/{f.uuid}",
        f"/api/v1/funds/funds/{f.uuid}/movements",
        f"/api/v1/funds/funds/{f.uuid}/case-report",
        "/api/v1/funds/pledges",
        "/api/v1/funds/cases",
        f"/api/v1/funds/cases/{case.uuid}",
        f"/api/v1/funds/cases/{case.uuid}/reads",
    ]


def _client(reader: Any) -> Client:
    return Client() if reader is None else client_for(reader)


def test_case_data_reaches_only_the_case_team(
    w: FundsWorld, caplog: pytest.LogCaptureFixture, settings: Any, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    world = _world(w)
    urls = _urls(w, world)
    # Every reader outside the team: the marker appears in no answer.
    for name, reader in world["readers"].items():
        client = _client(reader)
        for url in urls:
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
            assert MARK.encode() not in body, f"{name} read the marker at {url}"
            lists = (reverse("funds:cases"), "/api/v1/funds/cases")
            if "cases" in url and "report" not in url and url not in lists:
                assert response.status_code in (302, 401, 404), (name, url, response.status_code)
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
    # Emails: the reminders say only that something needs attention.
    mail.outbox.clear()
    assert services.case_dates_remind() == 1
    assert [m.to for m in mail.outbox] == [[w.first.email]]  # the team's only member
    for message in mail.outbox:
        assert MARK not in message.subject + message.body
    # Exports and backups made by the platform's commands.
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert MARK not in dump.getvalue()
    call_command("export_organizations", str(tmp_path / "orgs.json"))
    assert MARK not in (tmp_path / "orgs.json").read_text()
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
