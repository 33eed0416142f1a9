"""The REST API under /api/v1/: one NinjaAPI, with a router per domain app.

Authentication: a personal access token (``Authorization: Bearer minga_…``) or the browser
session (with its CSRF token on writes). Anonymous callers read what is public. A token's
scope decides whether it may write. Errors are JSON objects
``{"detail": message, "field": name-or-null, "code": stable-code}``: services raise
``DomainError`` and one handler below answers for every endpoint.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.utils import check_csrf

from minga.common.api import FieldError
from minga.common.errors import DomainError
from minga.people.models import TokenScope
from minga.people.selectors import UnusableTokenError, token_for_secret
from minga.people.two_factor import two_factor_required

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenOrSession:
    """Resolves the caller; always succeeds so that anonymous reads work.

    A token that is present but wrong is refused outright rather than treated as anonymous,
    so a client with a revoked token learns it at once. The token used is kept on the
    request (``request.access_token``) so that what it writes can record it.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        request.access_token = None  # type: ignore[attr-defined]
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            try:
                token = token_for_secret(header[7:].strip())
            except UnusableTokenError as refusal:
                raise AuthenticationError(401, str(refusal)) from refusal
            if request.method not in SAFE_METHODS and token.scope != TokenScope.WRITE:
                raise FieldError(403, _("This token may only read."), code="token_read_only")
            request.user = token.user
            request.access_token = token  # type: ignore[attr-defined]
            return token.user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if two_factor_required(user) and not user.is_verified():
                raise FieldError(
                    403,
                    _("Finish signing in with your second factor first."),
                    code="second_factor_required",
                )
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise FieldError(403, _("CSRF check failed."), code="csrf_failed")
            return user
        return AnonymousUser()


class MingaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        # Building the schema walks every operation's models: 0.4 s of CPU each time, for a
        # document that changes only with the code. Kept per process, prefix and language
        # (descriptions may be translated), so a crawler asking for it cannot tie up workers.
        # The one document is shared: its readers serialise it and never change it.
        key = (path_prefix, repr(sorted((path_params or {}).items())), get_language())
        schemas: dict[tuple[Any, ...], Any] = self.__dict__.setdefault("_minga_schemas", {})
        if key not in schemas:
            schemas[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return schemas[key]

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
    request: HttpRequest,
    message: str,
    status: int,
    field: str | None = None,
    *,
    code: str,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(
        request, {"detail": message, "field": field, "code": code, **extra}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return _error(request, error.message, error.status, error.field, code=error.code)


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
        first.get("msg", _("Invalid input.")),
        422,
        ".".join(location) or None,
        code="invalid_input",
        errors=[
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg")}
            for e in error.errors
        ],
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _error(
        request, _("You do not have permission to do this."), 403, code="permission_denied"
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, _("Not found."), 404, code="not_found")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return _error(
        request,
        str(error),
        error.status_code,
        getattr(error, "field", None),
        code=getattr(error, "code", "http_error"),
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(
        request, str(error) or _("Authentication required."), 401, code="not_authenticated"
    )


def _register_routers() -> None:
    from importlib import import_module

    from minga.common.registration import minga_apps

    for config in minga_apps():
        if config.api_prefix is not None:
            api.add_router(config.api_prefix, import_module(f"{config.name}.api").router)


_register_routers()
