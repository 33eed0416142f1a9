"""Who may read what: the one visibility rule every module uses, and its extension point.

The rule is written once, as a query condition (:func:`visible_q`), and everything else
derives from it: lists filter with it, and the check for one object (:func:`can_view`) asks
the database whether that object passes the same condition. Nothing restates the rule in
Python, so a list and a page can never disagree; the one exception, :func:`level_opens`,
only says yes for the two levels whose answer needs no query (public; this server's
members), and the visibility matrix test holds it to the rule.

The base rule is the visibility level of ``VisibleContent`` (public, members of this server,
members of given organizations, named custodians; custodians always read what they keep;
superusers read everything). A domain app adds its own access rules with
:func:`register_access_rule` (the library's community protocols, the legal cases of the
solidarity funds): a rule may *grant* rows to a viewer beyond the base rule, and may
*restrict* every row to a further condition, for superusers too when it says so. Lists,
search, feeds, exports, canonical addresses and single pages all apply registered rules
because they all go through this module.

A reader is described by a :class:`Viewer`. Which organizations a person belongs to is the
registry's knowledge, so the registry registers a resolver at start-up
(:func:`register_membership_resolver`); this module never imports a domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q

from .models import Visibility, VisibleContent

M = TypeVar("M", bound=models.Model)

MembershipResolver = Callable[[Any], frozenset[int]]
_membership_resolver: MembershipResolver | None = None


def register_membership_resolver(resolver: MembershipResolver) -> None:
    global _membership_resolver
    _membership_resolver = resolver


@dataclass(frozen=True)
class Viewer:
    """What the visibility rules need to know about a reader."""

    user_id: int | None
    is_authenticated: bool
    sees_everything: bool
    organization_ids: frozenset[int]


ANONYMOUS = Viewer(
    user_id=None, is_authenticated=False, sees_everything=False, organization_ids=frozenset()
)


def viewer_for(user: Any) -> Viewer:
    """The viewer for a user, computed once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_minga_viewer", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    organization_ids = _membership_resolver(user) if _membership_resolver else frozenset()
    viewer = Viewer(
        user_id=user.pk,
        is_authenticated=True,
        sees_everything=bool(user.is_superuser),
        organization_ids=organization_ids,
    )
    user._minga_viewer = viewer
    return viewer


def forget_viewer(user: Any) -> None:
    """Drop what was cached about the user's memberships and roles after they changed."""
    for attribute in ("_minga_viewer", "_minga_roles", "_minga_current_roles"):
        user.__dict__.pop(attribute, None)


ConditionFor = Callable[[type[models.Model], Viewer], Any]


@dataclass(frozen=True)
class AccessRule:
    """A domain's own access rule for a model (and its subclasses).

    ``grant(model, viewer)`` gives a condition on rows this rule opens to the viewer beyond
    the base rule, or None. ``restrict(model, viewer)`` gives a condition every visible row
    must also meet, or None. A restriction binds those who see everything (superusers) only
    when ``binds_superusers`` is set.

    ``viewer_only`` says the conditions are built from the viewer's fields alone (no query,
    no clock, no setting read while building them), so that the condition for a viewer can
    be kept and reused: building the library's eight subqueries took longer than running
    them. A rule that reads anything else at build time (a person's roles, the date) must
    leave it unset, or a revoked role would keep its rows until the kept condition expired.
    """

    name: str
    grant: ConditionFor | None = None
    restrict: ConditionFor | None = None
    binds_superusers: bool = False
    viewer_only: bool = False


_access_rules: dict[type[models.Model], list[AccessRule]] = {}


def register_access_rule(model: type[models.Model], access_rule: AccessRule) -> None:
    """Apply ``access_rule`` to ``model`` and every model deriving from it."""
    rules = _access_rules.setdefault(model, [])
    if any(existing.name == access_rule.name for existing in rules):
        raise ValueError(f"Access rule {access_rule.name!r} is registered twice on {model}.")
    rules.append(access_rule)
    _kept_visible_q.cache_clear()


def access_rules_for(model: type[models.Model]) -> list[AccessRule]:
    return [rule for base in model.__mro__ for rule in _access_rules.get(base, [])]


def _level_q(model: type[models.Model], viewer: Viewer) -> Any:
    """The base rule: the visibility level of ``VisibleContent``; other models show nothing
    unless a registered rule grants it."""
    if not issubclass(model, VisibleContent):
        return Q(pk__in=[])
    allowed: Any = Q(visibility=Visibility.PUBLIC)
    if not viewer.is_authenticated:
        return allowed
    allowed |= Q(visibility=Visibility.SERVER)
    allowed |= Exists(
        _through_rows(model, "custodians", OuterRef("pk")).filter(
            **{_target_column(model, "custodians"): viewer.user_id}
        )
    )
    if viewer.organization_ids:
        target = _target_column(model, "visible_to_organizations") + "__in"
        allowed |= Q(visibility=Visibility.ORGANIZATIONS) & Exists(
            _through_rows(model, "visible_to_organizations", OuterRef("pk")).filter(
                **{target: viewer.organization_ids}
            )
        )
    return allowed


def visible_q(model: type[models.Model], viewer: Viewer) -> Any:
    """A filter keeping only the rows of ``model`` the viewer may read.

    Subqueries (``EXISTS``) instead of joins, so that a row is never duplicated and the
    filter composes with any other. When every rule on the model is built from the viewer
    alone, the condition is kept per (model, viewer) and reused: Django copies a condition's
    subqueries when a query uses it and never changes it, and a viewer's memberships are
    part of the key, so a change to them makes a new one.
    """
    if all(rule.viewer_only for rule in access_rules_for(model)):
        return _kept_visible_q(model, viewer)
    return _built_visible_q(model, viewer)


@lru_cache(maxsize=2048)
def _kept_visible_q(model: type[models.Model], viewer: Viewer) -> Any:
    return _built_visible_q(model, viewer)


def _built_visible_q(model: type[models.Model], viewer: Viewer) -> Any:
    rules = access_rules_for(model)
    if viewer.sees_everything:
        allowed: Any = Q()
    else:
        allowed = _level_q(model, viewer)
        for rule in rules:
            granted = rule.grant(model, viewer) if rule.grant else None
            if granted is not None:
                allowed |= granted
    for rule in rules:
        if rule.restrict and (rule.binds_superusers or not viewer.sees_everything):
            condition = rule.restrict(model, viewer)
            if condition is not None:
                allowed &= condition
    return allowed


def _through_rows(model: type[models.Model], field_name: str, source: Any) -> models.QuerySet[Any]:
    # Column names come from the field itself: a model that points at its own kind
    # (organizations visible to organizations) has from_/to_ columns, not <model>_id.
    field = model._meta.get_field(field_name)
    through = field.remote_field.through  # type: ignore[union-attr]
    rows: models.QuerySet[Any] = through.objects.filter(**{f"{field.m2m_field_name()}_id": source})  # type: ignore[union-attr]
    return rows


def _target_column(model: type[models.Model], field_name: str) -> str:
    field = model._meta.get_field(field_name)
    return f"{field.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]


def filter_visible(queryset: models.QuerySet[M], viewer: Viewer) -> models.QuerySet[M]:
    return queryset.filter(visible_q(queryset.model, viewer))


def level_opens(obj: Any, viewer: Viewer) -> bool:
    """Whether the object's own level opens it to the viewer, so that it is readable without
    asking the database: public content for anyone, content of this server for the
    signed-in, on a model that no registered rule restricts (rules then only add readers to
    what the level allows). For a page checking the one object it has just read: ``obj``
    as read from the database, its level unchanged in memory. False means "ask
    :func:`can_view`", never "hidden"."""
    if not isinstance(obj, VisibleContent) or "visibility" not in obj.__dict__:
        return False
    if any(rule.restrict for rule in access_rules_for(type(obj))):
        return False
    return obj.visibility == Visibility.PUBLIC or (
        viewer.is_authenticated and obj.visibility == Visibility.SERVER
    )


def can_read_row(obj: Any, viewer: Viewer) -> bool:
    """Whether the viewer may read one object just read from the database: its level when
    that opens it (:func:`level_opens`, no query), else :func:`can_view`."""
    return level_opens(obj, viewer) or can_view(obj, viewer)


def can_view(obj: Any, viewer: Viewer) -> bool:
    """Whether the viewer may read one object: the rule of :func:`visible_q`, asked of the
    database for this row. A condition that keeps every row (``Q()``: a superuser with no
    binding restriction) needs no query."""
    model = type(obj)
    condition = visible_q(model, viewer)
    if isinstance(condition, Q) and not condition:
        return True
    return bool(model._default_manager.filter(condition, pk=obj.pk).exists())
