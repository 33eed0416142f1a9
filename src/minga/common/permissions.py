"""Object-level permissions: named rules, checked the same way by pages, API and admin.

Each domain app registers its rules with :func:`rule` in its ``rules.py``. Views and API
endpoints call :func:`require` (or :func:`has_perm`) on every object they touch. The
:class:`RulesBackend` lets Django's ``user.has_perm(name, obj)`` and templates use the same
rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(function: Rule) -> Rule:
        if name in _rules:
            raise ValueError(f"Permission rule {name!r} is registered twice.")
        _rules[name] = function
        return function

    return register


def has_perm(user: Any, name: str, obj: Any = None) -> bool:
    if name not in _rules:
        raise KeyError(f"Unknown permission rule {name!r}.")
    if user is None or not getattr(user, "is_active", False):
        return bool(_rules[name](user, obj)) if name.endswith(".view") else False
    if user.is_superuser:
        return True
    return bool(_rules[name](user, obj))


def require(user: Any, name: str, obj: Any = None) -> None:
    if not has_perm(user, name, obj):
        raise PermissionDenied(name)


def registered_rules() -> list[str]:
    return sorted(_rules)


class RulesBackend:
    """An authentication backend that only answers permission questions."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm not in _rules:
            return False
        return has_perm(user_obj, perm, obj)
