"""The certificate's page, drawn from plain texts (no Django here: pool workers import it).

Certificates are printed by the thousand at the end of a course, so the page is drawn with
ReportLab: the site's font (DejaVu Sans) is parsed once per process and each PDF embeds only
the glyphs it uses; the QR code's modules are drawn as one vector path (no image).
``render_many`` draws many pages in a pool of processes that live as long as the server
process, each having loaded the font once.
"""

from __future__ import annotations

import atexit
import io
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

REGULAR = "MingaDejaVu"
# Below this many pages, starting or feeding the pool costs more than it saves.
POOL_FROM = 8
QR_MASK = 0


@dataclass(frozen=True)
class CertificatePage:
    """Every text of one certificate, already translated into the course's language."""

    language: str
    school: str
    title: str
    certifies: str
    holder: str
    completed: str
    course: str
    details: str
    signatories: str
    revoked: str
    verification: tuple[str, ...]
    url: str
    code: str


_font_loaded: str | None = None


def load_font(regular: str) -> None:
    """Parse the font once in this process (again only if its file changes)."""
    global _font_loaded
    if _font_loaded == regular:
        return
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Compressed streams as bytes, not ASCII85 text: smaller files, less work.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(REGULAR, regular))
    _font_loaded = regular


def _qr(canvas: Any, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url``: each run of dark modules of a row is one rectangle, drawn in
    the code's own grid (whole numbers) scaled to ``size``. The mask pattern is fixed: every
    reader decodes any of the eight, and trying all eight to keep the one the standard's
    penalty prefers took half of a page's drawing time."""
    import segno

    matrix = segno.make(url, error="m", micro=False, mask=QR_MASK).matrix
    border = 2
    count = len(matrix) + 2 * border
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        top = count - border - 1 - row_number
        start = None
        for column, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(start + border, top, column - start, 1)
                start = None
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def draw(page: CertificatePage) -> bytes:
    """The certificate as a one-page landscape A4 PDF (the font must be loaded)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    if _font_loaded is None:
        raise RuntimeError("load_font() first")
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(width, height),
        pageCompression=1,
        invariant=1,
        lang=page.language,
    )
    canvas.setTitle(page.title)
    canvas.setSubject(page.code)
    canvas.setCreator("Minga")
    margin = 56.0
    y = height - 80.0

    def lines(text: str, size: float, bold: bool = False, gap: float = 10.0) -> None:
        nonlocal y
        if not text:
            return
        canvas.setFont(REGULAR, size)
        # Bold is the regular letters filled and outlined (text render mode 2): one font
        # embedded, not two (each is most of a page's weight and drawing time).
        canvas.setLineWidth(size * 0.045)
        for line in simpleSplit(text, REGULAR, size, width - 2 * margin):
            y -= size
            canvas.drawCentredString(width / 2, y, line, mode=2 if bold else 0)
            y -= size * 0.3
        y -= gap

    lines(page.school, 14)
    lines(page.title, 34, bold=True, gap=18)
    lines(page.certifies, 13)
    lines(page.holder, 28, bold=True, gap=14)
    lines(page.completed, 13)
    lines(page.course, 22, bold=True, gap=14)
    lines(page.details, 12)
    lines(page.signatories, 12)
    lines(page.revoked, 24, bold=True)
    _qr(canvas, page.url, margin, 40.0, 110.0)
    canvas.setFont(REGULAR, 10)
    text_y = 110.0
    for line in page.verification:
        canvas.drawString(margin + 125, text_y, line)
        text_y -= 14
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


_pool: ProcessPoolExecutor | None = None
_pool_font: str | None = None


def workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def _get_pool(font: str) -> ProcessPoolExecutor:
    global _pool, _pool_font
    if _pool is None or _pool_font != font:
        if _pool is not None:
            _pool.shutdown()
        # "spawn": the workers start clean (no copy of the server's database connections)
        # and import only this module; each loads the font once, when it starts.
        _pool = ProcessPoolExecutor(
            max_workers=workers(),
            mp_context=get_context("spawn"),
            initializer=load_font,
            initargs=(font,),
        )
        _pool_font = font
    return _pool


@atexit.register
def shutdown_pool() -> None:
    """Stop the pool's workers (they start again when next needed)."""
    global _pool, _pool_font
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
    _pool, _pool_font = None, None


def render_many(pages: Sequence[CertificatePage], font: str) -> list[bytes]:
    """The PDFs of the pages, in order: in this process for a few, in the pool for many."""
    if len(pages) < POOL_FROM or workers() == 1:
        load_font(font)
        return [draw(page) for page in pages]
    chunk = max(1, min(64, len(pages) // (4 * workers())))
    return list(_get_pool(font).map(draw, pages, chunksize=chunk))
