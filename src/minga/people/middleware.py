"""Per-request behaviour that depends on who is signed in."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from .two_factor import two_factor_required

# Pages a person who still owes a second factor may reach: signing in and out, setting up
# the second factor, and static files. The API checks the same rule itself (minga/api.py).
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/static/",
    "/i18n/",
    "/api/",
)


class UserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = getattr(user, "time_zone", "") if user.is_authenticated else ""
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Sends coordinators, administrators and staff to set up or verify their second factor.

    API requests are checked in ``minga.api``: a session that owes a second factor is
    refused there, and tokens are issued only from pages this middleware guards.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
            # is_verified() is added to the user by django-otp's OTPMiddleware.
            and not user.is_verified()  # type: ignore[attr-defined]
            and two_factor_required(user)
        ):
            return redirect(f"/accounts/two-factor/?next={request.get_full_path()}")
        return self.get_response(request)
