"""Documents to keep and print: one structure, rendered as accessible HTML and as PDF.

A :class:`Document` (title, language, headings, paragraphs of Markdown, tables with header
cells) is written once by a module (minutes, adopted texts, certificates, reports) and
rendered by :func:`render_html` and :func:`render_pdf`, so both formats say the same thing.
The PDF writes the text itself (searchable, selectable) with DejaVu Sans, which covers
Kreyòl, Portuguese and typographic quotes; the font ships with matplotlib, already a
dependency, and is read from disk once per process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.template.loader import render_to_string


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


def render_html(document: Document) -> str:
    """A standalone page: lang, headings in order, tables with header cells, no script."""
    return render_to_string("common/document.html", {"document": document})


@cache
def font_path(name: str) -> str:
    """Where one of the site's fonts (DejaVu Sans, regular and bold) is on disk."""
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
    pdf.add_font("DejaVu", "", font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", font_path("DejaVuSans-Bold.ttf"))
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
