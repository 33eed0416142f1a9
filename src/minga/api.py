"""The REST API under /api/v1/: one NinjaAPI, with a router per domain app.

Authentication: a personal access token (``Authorization: Bearer minga_…``) or the browser
session (with its CSRF token on writes). Anonymous callers read what is public. Errors are
JSON objects ``{"detail": message, "field": name-or-null}``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.utils import check_csrf

from minga.people.services import user_for_token
from minga.people.two_factor import two_factor_required

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenOrSession:
    """Resolves the caller; always succeeds so that anonymous reads work.

    A token that is present but wrong is refused outright rather than treated as anonymous,
    so a client with a revoked token learns it at once.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = user_for_token(header[7:].strip())
            if user is None:
                raise AuthenticationError(401, "Invalid, expired or revoked token.")
            request.user = user
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if two_factor_required(user) and not user.is_verified():
                raise HttpError(403, "Finish signing in with your second factor first.")
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(403, "CSRF check failed.")
            return user
        return AnonymousUser()


class MingaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        # An operation id names the app's API and the function, not the module inside the
        # app's ``api`` package, so splitting a module never renames operations for clients.
        parts = operation.view_func.__module__.split(".")
        if "api" in parts:
            parts = parts[: parts.index("api") + 1]
        return "_".join([*parts, operation.view_func.__name__])


api = MingaAPI(
    title="Minga API",
    version="1",
    urls_namespace="api-1",
    auth=TokenOrSession(),
    docs_url="/docs",
)


def _error(
    request: HttpRequest, message: str, status: int, field: str | None = None, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": message, "field": field, **extra}, status=status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    first = error.errors[0] if error.errors else {}
    location = [
        str(part)
        for part in first.get("loc", [])
        if part not in ("body", "query", "path", "payload")
    ]
    return _error(
        request,
        first.get("msg", "Invalid input."),
        422,
        ".".join(location) or None,
        errors=[
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg")}
            for e in error.errors
        ],
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(request, "You do not have permission to do this.", 403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, "Not found.", 404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return _error(request, str(error), error.status_code, getattr(error, "field", None))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(request, str(error) or "Authentication required.", 401)


def _register_routers() -> None:
    from minga.assemblies.api import router as assemblies_router
    from minga.exchange.api import router as exchange_router
    from minga.exchange.api_trade import router as trade_router
    from minga.market.api import router as market_router
    from minga.registry.api import router as registry_router

    api.add_router("/", registry_router)
    api.add_router("/market/", market_router)
    api.add_router("/exchange/", exchange_router)
    api.add_router("/exchange/", trade_router)
    api.add_router("/assemblies/", assemblies_router)


_register_routers()
