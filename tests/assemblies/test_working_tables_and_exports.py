"""Working tables of a meeting, closing a vote early, and minutes and adopted texts as
standalone HTML and PDF."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.assemblies import exports, selectors, services
from minga.assemblies.models import Proposal, Vote, WorkingTable
from minga.common.audit import AuditEntry
from minga.common.errors import DomainError
from minga.common.models import Visibility
from tests import factories

from .conftest import Congress, open_window, proposal_to_vote


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _meeting(congress: Congress, **extra: Any) -> Any:
    now = timezone.now()
    return services.meeting_create(
        actor=congress.chair,
        body=congress.body,
        title="Congreso, sesión",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        place="Caracas",
        agenda=["Apertura", "Fondo común"],
        **extra,
    )


def _adopted_declaration(congress: Congress) -> Any:
    proposal = proposal_to_vote(congress)
    meeting = _meeting(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Fondo común",
        method="majority",
        proposal=proposal,
        meeting=meeting,
        **open_window(),
    )
    for delegate in congress.delegates:
        services.ballot_cast(actor=delegate, vote=vote, contents={"option": "yes"})
    services.vote_close_now(actor=congress.chair, vote=vote)
    proposal.refresh_from_db()
    return services.declaration_publish(actor=congress.chair, proposal=proposal), vote, meeting


# Closing a vote early


def test_close_now_ends_the_window_and_counts(congress: Congress) -> None:
    """A manager closes an open vote now: closes_at becomes now, the tally is stored, the
    proposal is settled, and the early close is audited."""
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Fondo",
        method="majority",
        proposal=proposal,
        **open_window(),
    )
    services.ballot_cast(actor=congress.delegates[2], vote=vote, contents={"option": "yes"})
    services.ballot_cast(actor=congress.delegates[1], vote=vote, contents={"option": "yes"})
    moment = timezone.now()
    tally = services.vote_close_now(actor=congress.chair, vote=vote, now=moment)
    vote.refresh_from_db()
    assert vote.closes_at == moment and vote.closed_at == moment
    assert tally.adopted is True
    assert Proposal.objects.get(pk=proposal.pk).status == "adopted"
    assert AuditEntry.objects.filter(action="assemblies.vote.close_now").count() == 1
    assert services.vote_close_now(actor=congress.chair, vote=vote) == tally


def test_close_now_refuses_a_vote_not_yet_open(congress: Congress) -> None:
    """A vote that has not opened cannot be closed: it names the vote and changes nothing."""
    now = timezone.now()
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Elección",
        method="stv",
        choices=["Ana", "Beto"],
        opens_at=now + timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
    )
    with pytest.raises(DomainError) as error:
        services.vote_close_now(actor=congress.chair, vote=vote)
    assert error.value.field == "vote"
    assert Vote.objects.get(pk=vote.pk).closed_at is None


def test_close_now_page_for_managers_only(congress: Congress) -> None:
    """The button shows to managers of an open vote; a delegate's POST is refused (403)."""
    proposal = proposal_to_vote(congress)
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Fondo",
        method="majority",
        proposal=proposal,
        **open_window(),
    )
    url = reverse("assemblies:vote_close_now", args=[vote.uuid])
    assert _client(congress.delegates[0]).post(url).status_code == 403
    chair = factories.verified_client(congress.chair)
    assert 'id="close-now"' in chair.get(vote.get_absolute_url()).content.decode()
    assert chair.post(url).status_code == 302
    assert Vote.objects.get(pk=vote.pk).closed_at is not None


# Working tables


def test_working_table_create_assign_and_report(congress: Congress) -> None:
    """A table is created with agenda items of its meeting; its rapporteur writes the report."""
    meeting = _meeting(congress)
    items = list(meeting.agenda_items.all())
    table = services.working_table_create(
        actor=congress.chair,
        meeting=meeting,
        name="Mesa de economía",
        theme="Fondo común",
        agenda_items=items[1:],
    )
    services.working_table_assign_rapporteur(
        actor=congress.chair, table=table, rapporteur=congress.delegates[1]
    )
    services.working_table_report_write(
        actor=congress.delegates[1], table=table, report="Acordamos **tres** puntos.", language="pt"
    )
    table.refresh_from_db()
    assert table.rapporteur == congress.delegates[1]
    assert table.report_language == "pt" and table.reported_at is not None
    assert list(table.agenda_items.all()) == items[1:]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "assemblies.table.create",
        "assemblies.table.rapporteur",
        "assemblies.table.report",
    } <= (actions)


def test_working_table_refusals(congress: Congress) -> None:
    """A name is required and unique per meeting; agenda items must be the meeting's own;
    an empty report is refused."""
    meeting = _meeting(congress)
    other = _meeting(congress)
    with pytest.raises(DomainError) as error:
        services.working_table_create(actor=congress.chair, meeting=meeting, name=" ")
    assert error.value.field == "name"
    services.working_table_create(actor=congress.chair, meeting=meeting, name="Mesa 1")
    with pytest.raises(DomainError) as error:
        services.working_table_create(actor=congress.chair, meeting=meeting, name="Mesa 1")
    assert error.value.field == "name"
    with pytest.raises(DomainError) as error:
        services.working_table_create(
            actor=congress.chair,
            meeting=meeting,
            name="Mesa 2",
            agenda_items=list(other.agenda_items.all()),
        )
    assert error.value.field == "agenda_items"
    table = WorkingTable.objects.get(name="Mesa 1")
    with pytest.raises(DomainError) as error:
        services.working_table_report_write(actor=congress.chair, table=table, report="  ")
    assert error.value.field == "report"


def test_working_table_pages_and_permissions(congress: Congress) -> None:
    """Managers create tables and assign the rapporteur from pages; only the rapporteur (or
    a manager) writes the report; the meeting page shows the table and its report."""
    meeting = _meeting(congress)
    item = meeting.agenda_items.get(position=2)
    chair = factories.verified_client(congress.chair)
    new_url = reverse("assemblies:working_table_new", args=[meeting.uuid])
    assert _client(congress.delegates[0]).get(new_url).status_code == 403
    response = chair.post(
        new_url,
        {"name": "Mesa de salud", "theme": "Salud comunal", "agenda_items": [item.pk]},
    )
    table = WorkingTable.objects.get()
    assert response.status_code == 302 and response["Location"] == table.get_absolute_url()
    report_url = reverse("assemblies:working_table_report", args=[table.uuid])
    rapporteur = _client(congress.delegates[2])
    assert rapporteur.post(report_url, {"report": "x", "language": "es"}).status_code == 403
    chair.post(
        reverse("assemblies:working_table_rapporteur", args=[table.uuid]),
        {"rapporteur": congress.delegates[2].pk},
    )
    assert WorkingTable.objects.get().rapporteur == congress.delegates[2]
    assert 'id="report-form"' in rapporteur.get(table.get_absolute_url()).content.decode()
    rapporteur.post(report_url, {"report": "Informe <script>x()</script> *bien*", "language": "ht"})
    page = Client().get(meeting.get_absolute_url()).content.decode()
    assert "Mesa de salud" in page and "<em>bien</em>" in page and "<script>x()" not in page
    assert str(congress.delegates[2]) in page


def test_working_table_of_restricted_meeting_is_hidden(congress: Congress) -> None:
    """A table reads like its meeting: a custodians-only meeting's table is a 404 to others."""
    meeting = _meeting(congress, visibility=Visibility.CUSTODIANS)
    table = services.working_table_create(actor=congress.chair, meeting=meeting, name="Mesa")
    assert Client().get(table.get_absolute_url()).status_code == 404


def test_meeting_page_with_tables_has_constant_queries(
    congress: Congress, django_assert_max_num_queries: Any
) -> None:
    """The meeting page's query count does not grow with the number of working tables."""
    meeting = _meeting(congress)
    items = list(meeting.agenda_items.all())
    client = Client()

    def add_tables(start: int, count: int) -> None:
        for number in range(start, start + count):
            table = services.working_table_create(
                actor=congress.chair,
                meeting=meeting,
                name=f"Mesa {number}",
                agenda_items=items,
                rapporteur=congress.delegates[number % 3],
            )
            services.working_table_report_write(
                actor=congress.delegates[number % 3], table=table, report="Informe"
            )

    add_tables(0, 2)
    with django_assert_max_num_queries(100) as few:
        client.get(meeting.get_absolute_url())
    add_tables(2, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(meeting.get_absolute_url()).status_code == 200


# Documents


def _pdf_has(pdf: bytes, text: str) -> bool:
    """Whether an uncompressed PDF names this text in its title or outline (as a literal or
    a UTF-16 hex string; the page content itself draws subset glyph ids, not characters)."""
    return (
        text.encode("utf-16-be").hex().encode() in pdf.lower()
        or f"({text})".encode("latin-1", "replace") in pdf
    )


def test_minutes_html_is_standalone_and_accessible(congress: Congress) -> None:
    """The minutes page has a lang, headings, tables with th/scope, no script, and lists
    agenda, attendance and quorum, decisions under their items and the tables' reports."""
    meeting = _meeting(congress)
    services.attendance_check_in(actor=congress.delegates[0], meeting=meeting)
    services.attendance_check_in(actor=congress.delegates[1], meeting=meeting)
    item = meeting.agenda_items.get(position=2)
    services.decision_record(actor=congress.chair, agenda_item=item, text="Se crea el **fondo**.")
    table = services.working_table_create(
        actor=congress.chair, meeting=meeting, name="Mesa de economía", agenda_items=[item]
    )
    services.working_table_report_write(
        actor=congress.chair, table=table, report="Lakay nou: “fòs kolektif”.", language="ht"
    )
    services.meeting_minutes_write(actor=congress.chair, meeting=meeting, minutes="Acta.")
    response = Client().get(
        reverse("assemblies:meeting_minutes_export", args=[meeting.uuid, "html"])
    )
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert re.search(r'<html lang="es">', html)
    assert "<h1>" in html and "<h2>" in html and '<th scope="col">' in html
    assert '<th scope="row">' in html and "<script" not in html
    assert "2 / 3" in html  # members present
    assert "<strong>fondo</strong>" in html and "2. Fondo común" in html
    assert 'lang="ht"' in html and "fòs kolektif" in html
    assert "<caption>" in html


def test_minutes_pdf_with_kreyol(congress: Congress) -> None:
    """The minutes PDF starts with %PDF, has pages and text, and Kreyòl and typographic
    quotes do not break it."""
    meeting = _meeting(congress)
    services.meeting_minutes_write(
        actor=congress.chair,
        meeting=meeting,
        minutes="Nou dakò: “Ansanm nou fò” — Kreyòl ayisyen, ação, élève.",
        language="ht",
    )
    document = exports.minutes_document(meeting)
    pdf = exports.render_pdf(document, compress=False)
    assert pdf.startswith(b"%PDF")
    assert _pdf_has(pdf, document.title) and _pdf_has(pdf, "Attendance and quorum")
    assert pdf.count(b"/Type /Page\n") >= 1 and b"BT" in pdf
    assert b"DejaVu" in pdf
    response = Client().get(
        reverse("assemblies:meeting_minutes_export", args=[meeting.uuid, "pdf"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000


def test_unknown_export_format_is_404(congress: Congress) -> None:
    """Only html and pdf exist."""
    meeting = _meeting(congress)
    url = reverse("assemblies:meeting_minutes_export", args=[meeting.uuid, "docx"])
    assert Client().get(url).status_code == 404


def test_adopted_text_exports_with_adoption_record(congress: Congress) -> None:
    """An adopted text exports with its meeting, vote, result and rules version, in HTML
    and PDF; both come from the same document."""
    declaration, vote, meeting = _adopted_declaration(congress)
    document = exports.declaration_document(declaration)
    record = {row[0]: row[1] for row in document.sections[1].tables[0].rows}
    assert record["Vote"] == vote.title
    assert meeting.title in record["Meeting"]
    assert record["Rules version"] == "1"
    assert record["Result"].startswith("Adopted") and "Yes: 6" in record["Result"]
    client = Client()
    html = client.get(
        reverse("assemblies:declaration_export", args=[declaration.uuid, "html"])
    ).content.decode()
    assert declaration.title in html and "<script" not in html and '<th scope="row">' in html
    pdf = client.get(reverse("assemblies:declaration_export", args=[declaration.uuid, "pdf"]))
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 1000
    plain = exports.render_pdf(document, compress=False)
    assert _pdf_has(plain, declaration.title) and _pdf_has(plain, "Adoption record")
    page = client.get(declaration.get_absolute_url()).content.decode()
    assert 'id="text-pdf"' in page


def test_restricted_declaration_export_is_hidden(congress: Congress) -> None:
    """An export reads like the text itself: hidden texts answer 404."""
    declaration = _adopted_declaration(congress)[0]
    declaration.visibility = Visibility.CUSTODIANS
    declaration.save()
    url = reverse("assemblies:declaration_export", args=[declaration.uuid, "pdf"])
    assert Client().get(url).status_code == 404
    assert selectors.visible_declarations(factories.person("otra")).count() == 0
