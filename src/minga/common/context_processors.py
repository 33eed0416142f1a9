from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .permissions import has_perm
from .registration import menu_entries


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    menu = [
        {"label": entry.label, "url": reverse(entry.url_name)}
        for entry in menu_entries()
        if (signed_in or not entry.signed_in)
        and (entry.permission is None or has_perm(user, entry.permission))
    ]
    return {"SITE_URL": settings.SITE_URL, "DEMO_LABEL": settings.MINGA_DEMO, "MENU": menu}
