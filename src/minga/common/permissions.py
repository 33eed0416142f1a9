"""Object-level permissions: named rules, checked in one place, the service functions.

Each domain app registers its rules with :func:`rule` in its ``rules.py``. Every write goes
through a service function declared with :func:`guarded`, which checks the actor against a
named rule before anything else runs, so pages, API, CLI, tasks and the federation inbox are
guarded alike. Pages and API only decide what to show (``has_perm``, ``{% can %}``).
Writes that no person asks for (the worker's reminders, expiry) are declared with
:func:`unguarded` and a reason; a test keeps every public service function declared.

The command line and the worker act as :data:`SYSTEM`, the server's operator, who passes
every rule. No request can become SYSTEM: it is not a user, and authentication yields users.
:class:`RulesBackend` lets Django's ``user.has_perm(name, obj)`` and templates use the rules.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}
# Rules superusers obey like anyone else (the legal cases of the solidarity funds: a
# server's administrators do not read them by virtue of their role).
_binding_superusers: set[str] = set()

F = TypeVar("F", bound=Callable[..., Any])


class _System:
    """The server's operator: the command line, the worker and the demo loader."""

    is_authenticated = False
    is_active = True
    is_superuser = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"


SYSTEM: Any = _System()


def rule(name: str, *, binds_superusers: bool = False) -> Callable[[Rule], Rule]:
    """Register a rule. Superusers pass every rule unless ``binds_superusers`` is set; then
    they pass it only when the rule itself lets them (as any other person)."""

    def register(function: Rule) -> Rule:
        if name in _rules:
            raise ValueError(f"Permission rule {name!r} is registered twice.")
        _rules[name] = function
        if binds_superusers:
            _binding_superusers.add(name)
        return function

    return register


def has_perm(user: Any, name: str, obj: Any = None) -> bool:
    if name not in _rules:
        raise KeyError(f"Unknown permission rule {name!r}.")
    if user is SYSTEM:
        return True
    if user is None or not getattr(user, "is_active", False):
        return bool(_rules[name](user, obj)) if name.endswith(".view") else False
    if user.is_superuser and name not in _binding_superusers:
        return True
    return bool(_rules[name](user, obj))


def require(user: Any, name: str, obj: Any = None) -> None:
    if not has_perm(user, name, obj):
        raise PermissionDenied(name)


def registered_rules() -> list[str]:
    return sorted(_rules)


def guarded(
    rule_name: str,
    *,
    on: str | None = None,
    via: Callable[[Any], Any] | None = None,
    actor: str = "actor",
) -> Callable[[F], F]:
    """Declare a write that only an actor allowed by ``rule_name`` may make.

    ``on`` names the keyword argument the rule is checked against (``via`` turns it into the
    object the rule expects, e.g. a photo into its listing); without ``on`` the rule is
    checked without an object. ``actor`` names the keyword argument holding the person
    acting (for people's own accounts it is ``user``). The check runs before the function,
    so a refusal writes nothing.
    """

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def check_then_run(*args: Any, **kwargs: Any) -> Any:
            target = None
            if on is not None:
                target = kwargs[on]
                if via is not None:
                    target = via(target)
            require(kwargs.get(actor), rule_name, target)
            return function(*args, **kwargs)

        check_then_run.permission_rule = rule_name  # type: ignore[attr-defined]
        check_then_run.permission_target = on  # type: ignore[attr-defined]
        check_then_run.permission_actor = actor  # type: ignore[attr-defined]
        return cast(F, check_then_run)

    return decorate


def unguarded(reason: str) -> Callable[[F], F]:
    """Declare a write that checks no rule, and say why (e.g. only the worker calls it)."""

    def decorate(function: F) -> F:
        function.unguarded_reason = reason  # type: ignore[attr-defined]
        return function

    return decorate


class RulesBackend:
    """An authentication backend that only answers permission questions."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm not in _rules:
            return False
        return has_perm(user_obj, perm, obj)
