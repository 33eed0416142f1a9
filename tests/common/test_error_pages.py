"""Error pages (404, 403, 500) in the site's layout and the reader's language; the icon."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django.utils import translation

from minga import urls as site_urls


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken on purpose")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# The site's own patterns and handlers, plus two pages that fail on purpose.
urlpatterns = [
    path("test-boom/", _boom),
    path("test-forbidden/", _forbidden),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404
handler403 = site_urls.handler403
handler500 = site_urls.handler500


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_a_missing_page_has_the_site_layout_in_the_reader_language(db: None, language: str) -> None:
    """404 shows the site's header and menu, and speaks the reader's language."""
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="top"' in html  # the site's header with its navigation
    assert _in(language, "Directory") in html  # a menu entry, translated
    assert _in(language, "Page not found") in html


@pytest.mark.urls(__name__)
def test_a_forbidden_page_has_the_site_layout(db: None) -> None:
    """403 is a page of the site, with its navigation, not Django's bare one."""
    response = Client().get("/test-forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="top"' in html
    assert "Not allowed" in html


@pytest.mark.urls(__name__)
def test_a_server_error_page_needs_no_database(db: None, monkeypatch: Any) -> None:
    """500 renders in the site's layout, with the public menu, while the database fails."""

    def no_database(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database is down")

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="es")
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", no_database)
        response = client.get("/test-boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="top"' in html
    assert _in("es", "Directory") in html
    assert _in("es", "Something went wrong on our side.") in html


def test_the_site_has_an_icon(db: None) -> None:
    """/favicon.ico answers with the site's icon, and every page links to it."""
    icon = Client().get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in icon.content
    home = Client().get("/").content.decode()
    assert 'rel="icon"' in home
