"""The site's error pages (404, 403, 500) and its icon, in the site's layout and language.

404 and 403 render with the request, so the menu and the reader's account show as on any
page. 500 is rendered when something is already broken (perhaps the database), so it uses
no context processor and no query: the menu shown is the public one, built from the apps'
declarations alone, and a failure while rendering falls back to a plain sentence.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token

from .registration import menu_entries


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return defaults.page_not_found(request, exception, template_name="404.html")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return defaults.permission_denied(request, exception, template_name="403.html")


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    try:
        public_menu = [
            {"label": entry.label, "url": reverse(entry.url_name)}
            for entry in menu_entries()
            if entry.permission is None and not entry.signed_in
        ]
        template = loader.get_template("500.html")
        # No request: context processors may query the database that just failed.
        body = template.render({"MENU": public_menu, "DEMO_LABEL": settings.MINGA_DEMO})
    except Exception:  # the error page itself must never fail
        body = "<h1>{}</h1>".format(_("Something went wrong on our side."))
    return HttpResponseServerError(body)


ICON = Path(__file__).resolve().parent.parent / "static" / "minga" / "favicon.svg"


@cache
def _icon() -> bytes:
    return ICON.read_bytes()


@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for by themselves: the site's icon (SVG)."""
    return HttpResponse(_icon(), content_type="image/svg+xml")
