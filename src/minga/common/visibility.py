"""Who may read what: the one visibility filter every module uses.

A reader is described by a :class:`Viewer`. Which organizations a person belongs to is the
registry's knowledge, so the registry registers a resolver at start-up
(:func:`register_membership_resolver`); this module never imports a domain app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q

from .models import Visibility

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
    for attribute in ("_minga_viewer", "_minga_roles"):
        user.__dict__.pop(attribute, None)


def visible_q(model: type[models.Model], viewer: Viewer) -> Any:
    """A filter on a ``VisibleContent`` model keeping only what the viewer may read.

    Subqueries (``EXISTS``) instead of joins, so that a row is never duplicated and
    the filter composes with any other.
    """
    if viewer.sees_everything:
        return Q()
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


def can_view(obj: Any, viewer: Viewer) -> bool:
    """The same rule as :func:`visible_q`, for one object already in memory."""
    if viewer.sees_everything or obj.visibility == Visibility.PUBLIC:
        return True
    if not viewer.is_authenticated:
        return False
    if obj.visibility == Visibility.SERVER:
        return True
    if obj.custodians.filter(pk=viewer.user_id).exists():
        return True
    return bool(
        obj.visibility == Visibility.ORGANIZATIONS
        and viewer.organization_ids
        and obj.visible_to_organizations.filter(pk__in=viewer.organization_ids).exists()
    )
