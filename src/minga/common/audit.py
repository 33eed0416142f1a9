"""The audit log: what happened, said as a sentence in the reader's language.

Every kind of event is a member of an app's :class:`AuditEvent` enumeration (in the app's
``audit_events.py``): its value is the stable code stored in the log
(``registry.organization.create``), its label the sentence people read, with the
placeholders ``%(actor)s`` and ``%(object)s``. Service functions call :func:`record` inside
their transaction with a member, never a free string, so the log's vocabulary is closed
and every entry can be read as a sentence (:func:`describe`).

Who may read which entries: an entry is shown to a reader who may see its object. Apps
register, for each model they log, the queryset of objects a viewer may see
(:func:`register_audit_scope`); :func:`visible_entries` combines them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from .models import AuditEntry
from .permissions import SYSTEM


class AuditEvent(models.TextChoices):
    """Base of every app's enumeration of audit events: value = code, label = sentence."""


def _event_types() -> list[type[AuditEvent]]:
    found: list[type[AuditEvent]] = []
    pending: list[type[AuditEvent]] = list(AuditEvent.__subclasses__())
    while pending:
        kind = pending.pop()
        found.append(kind)
        pending.extend(kind.__subclasses__())
    return found


def event_for(code: str) -> AuditEvent | None:
    """The event of a stored code, or None for a code no app declares (any longer)."""
    for kind in _event_types():
        if code in kind.values:
            return kind(code)
    return None


def record(
    *,
    actor: Any,
    action: AuditEvent,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry; ``actor`` may be anonymous, :data:`SYSTEM` or ``None`` for the server."""
    entry = _entry(actor, action, target, changes, reason)
    entry.save(force_insert=True)
    return entry


def record_many(*, actor: Any, action: AuditEvent, targets: list[models.Model]) -> int:
    """Append one entry per target in one insert (a batch of the same act, e.g. the
    certificates of a whole cohort issued together); returns how many."""
    entries = [_entry(actor, action, target, None, "") for target in targets]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def _entry(
    actor: Any,
    action: AuditEvent,
    target: models.Model,
    changes: dict[str, Any] | None,
    reason: str,
) -> AuditEntry:
    if not isinstance(action, AuditEvent):
        raise TypeError(f"Audit events are AuditEvent members, not {action!r}.")
    actor_obj = (
        actor
        if actor is not None and actor is not SYSTEM and getattr(actor, "is_authenticated", False)
        else None
    )
    return AuditEntry(
        actor=actor_obj,
        action=action.value,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_uuid=getattr(target, "uuid", None),
        object_repr=str(target)[:255],
        changes=changes or {},
        reason=reason,
    )


def describe(entry: AuditEntry) -> str:
    """The entry as a sentence in the active language."""
    actor = str(entry.actor) if entry.actor_id else _("The server")
    event = event_for(entry.action)
    if event is None:
        return _("%(actor)s: %(code)s on %(object)s") % {
            "actor": actor,
            "code": entry.action,
            "object": entry.object_repr,
        }
    return str(event.label) % {"actor": actor, "object": entry.object_repr}


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as ``{field: [old, new]}`` with JSON-safe values."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


AuditScope = Callable[[Any], "models.QuerySet[Any]"]
_scopes: dict[type[models.Model], AuditScope] = {}


def register_audit_scope(model: type[models.Model], visible: AuditScope) -> None:
    """``visible(user)`` gives the objects of ``model`` whose audit entries the user may read."""
    _scopes[model] = visible


def visible_entries(user: Any) -> models.QuerySet[AuditEntry]:
    """The entries about objects the user may see; entries about any other model stay hidden."""
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if getattr(user, "is_superuser", False):
        return entries
    allowed = Q(pk__in=[])
    for model, visible in _scopes.items():
        # object_id is text (it names rows of any model), so the keys are compared as text.
        keys = visible(user).annotate(key=Cast("pk", models.CharField())).values("key").order_by()
        allowed |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
    return entries.filter(allowed)
