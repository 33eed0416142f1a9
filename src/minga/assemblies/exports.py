"""Minutes of meetings and adopted texts as standalone documents: accessible HTML and PDF.

Both formats are drawn from one :class:`Document` (headings, paragraphs of Markdown, tables
with header cells), so they say the same thing. The PDF writes the text itself (searchable,
selectable) with DejaVu Sans, which covers Kreyòl, Portuguese and typographic quotes; the
font ships with matplotlib, already a dependency. Reads only; the callers check visibility.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import selectors
from .models import Declaration, Meeting, Vote
from .outcomes import summary


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    row_headers: bool = False


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)  # Markdown
    tables: list[Table] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    language: str = ""


@dataclass
class Document:
    title: str
    language: str
    meta: list[str]
    sections: list[Section]


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def minutes_document(meeting: Meeting) -> Document:
    """The minutes: agenda, attendance and quorum, decisions by item, tables' reports."""
    quorum = selectors.meeting_quorum(meeting)
    items = list(
        meeting.agenda_items.select_related("proposal").prefetch_related("decisions__vote__tally")
    )
    tables = list(selectors.meeting_working_tables(meeting))
    agenda = Section(
        _("Agenda"),
        tables=[
            Table(
                _("Agenda"),
                [_("No."), _("Item")],
                [[str(item.position), item.title] for item in items],
                row_headers=True,
            )
        ],
    )
    attendance = Section(
        _("Attendance and quorum"),
        tables=[
            Table(
                _("Attendance and quorum"),
                [_("Figure"), _("Value")],
                [
                    [_("Members present"), f"{quorum.present_members} / {quorum.total_members}"],
                    [_("Weight present"), f"{quorum.present_weight} / {quorum.total_weight}"],
                    [_("Quorum required"), str(quorum.required)],
                    [_("Quorum met"), _("Yes") if quorum.met else _("No")],
                    [_("Rules version"), str(quorum.rules_version or "—")],
                ],
                row_headers=True,
            )
        ],
    )
    decisions = Section(_("Decisions"))
    for item in items:
        found = list(item.decisions.all())
        if not found:
            continue
        part = Section(f"{item.position}. {item.title}")
        for decision in found:
            part.paragraphs.append(decision.text)
            if decision.vote is not None:
                tally = getattr(decision.vote, "tally", None)
                part.paragraphs.append(
                    _("Vote “%(title)s”: %(result)s")
                    % {"title": decision.vote.title, "result": summary(decision.vote, tally)}
                )
        decisions.subsections.append(part)
    if not decisions.subsections:
        decisions.paragraphs.append(_("No decision was recorded."))
    reports = Section(_("Working tables"))
    for table in tables:
        linked = ", ".join(f"{item.position}. {item.title}" for item in table.agenda_items.all())
        part = Section(table.name, language=table.report_language)
        details = [
            [_("Theme"), table.theme or "—"],
            [_("Rapporteur"), str(table.rapporteur) if table.rapporteur else "—"],
            [_("Agenda items"), linked or "—"],
        ]
        part.tables.append(Table(table.name, [_("Detail"), _("Value")], details, row_headers=True))
        part.paragraphs.append(table.report or _("No report yet."))
        reports.subsections.append(part)
    sections = [agenda, attendance, decisions]
    if tables:
        sections.append(reports)
    if meeting.minutes.strip():
        sections.append(
            Section(_("Minutes"), paragraphs=[meeting.minutes], language=meeting.minutes_language)
        )
    meta = [
        str(meeting.body),
        f"{_when(meeting.starts_at)} – {_when(meeting.ends_at)}",
        meeting.place or meeting.online_url,
    ]
    return Document(
        title=_("Minutes: %(title)s") % {"title": meeting.title},
        language=meeting.minutes_language,
        meta=[line for line in meta if line],
        sections=sections,
    )


def adoption_vote(declaration: Declaration) -> Vote | None:
    """The closed vote that adopted the declaration's proposal (not one on an amendment)."""
    return (
        declaration.proposal.votes.filter(
            amendment__isnull=True, closed_at__isnull=False, tally__adopted=True
        )
        .select_related("tally", "meeting", "rules")
        .order_by("-closed_at")
        .first()
    )


def declaration_document(declaration: Declaration) -> Document:
    """The adopted text with its adoption record: meeting, vote, result, rules version."""
    vote = adoption_vote(declaration)
    tally = getattr(vote, "tally", None) if vote else None
    meeting = vote.meeting if vote and vote.meeting else None
    if meeting is None:
        item = declaration.proposal.agenda_items.select_related("meeting").first()
        meeting = item.meeting if item else None
    record = [
        [_("Kind"), declaration.get_kind_display()],
        [_("Body"), str(declaration.body)],
        [_("Meeting"), f"{meeting.title} ({_when(meeting.starts_at)})" if meeting else "—"],
        [_("Vote"), vote.title if vote else "—"],
        [_("Closed"), _when(vote.closed_at) if vote else "—"],
        [_("Result"), summary(vote, tally) if vote else "—"],
        [
            _("Weight that took part"),
            f"{tally.participating_weight} / {tally.total_weight}" if tally else "—",
        ],
        [_("Quorum met"), (_("Yes") if tally.quorum_met else _("No")) if tally else "—"],
        [_("Rules version"), str(tally.rules_version) if tally else "—"],
        [_("Published"), _when(declaration.published_at)],
    ]
    return Document(
        title=declaration.title,
        language=declaration.language,
        meta=[declaration.get_kind_display(), str(declaration.body)],
        sections=[
            Section(_("Text"), paragraphs=[declaration.text], language=declaration.language),
            Section(
                _("Adoption record"),
                tables=[Table(_("Adoption record"), [_("Detail"), _("Value")], record, True)],
            ),
        ],
    )


def render_html(document: Document) -> str:
    """A standalone page: lang, headings in order, tables with header cells, no script."""
    return render_to_string("assemblies/export.html", {"document": document})


def _font_path(name: str) -> str:
    import matplotlib

    return os.path.join(matplotlib.get_data_path(), "fonts/ttf", name)


def _plain(markdown_text: str) -> str:
    """Markdown as the text a reader sees: keep the words, drop the emphasis marks."""
    return markdown_text.replace("**", "").replace("__", "").replace("\r\n", "\n")


def render_pdf(document: Document, *, compress: bool = True) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.compress = compress
    pdf.add_font("DejaVu", "", _font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.set_title(document.title)
    pdf.set_lang(document.language)
    pdf.set_creator("Minga")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    def line(text: str, size: float, style: str = "", gap: float = 2) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    def section(part: Section, level: int) -> None:
        pdf.start_section(part.heading, level=level)
        line(part.heading, 15 if level == 0 else 12.5, "B")
        for paragraph in part.paragraphs:
            line(_plain(paragraph), 10.5)
        for table in part.tables:
            pdf.set_font("DejaVu", "", 10)
            with pdf.table(
                headings_style=_bold_headings(), first_row_as_headings=True, text_align="LEFT"
            ) as grid:
                heading = grid.row()
                for name in table.headers:
                    heading.cell(name)
                for values in table.rows:
                    row = grid.row()
                    for value in values:
                        row.cell(value)
            pdf.ln(3)
        for child in part.subsections:
            section(child, level + 1)

    line(document.title, 19, "B", 3)
    for meta in document.meta:
        line(meta, 10)
    pdf.ln(3)
    for part in document.sections:
        section(part, 0)
    return bytes(pdf.output())


def _bold_headings() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family="DejaVu", emphasis="BOLD")
