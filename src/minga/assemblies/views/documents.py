"""Documents to keep and print, as HTML or PDF."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from .. import exports

# Documents to keep and print


def _document_response(document: exports.Document, fmt: str, name: str) -> HttpResponse:
    if fmt not in ("html", "pdf"):
        raise Http404
    if fmt == "pdf":
        response = HttpResponse(exports.render_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    response = HttpResponse(exports.render_html(document), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.html"'
    return response
