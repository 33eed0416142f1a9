"""Writing to the audit log. Service functions call :func:`record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry; ``actor`` may be anonymous or ``None`` for the system itself."""
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        object_uuid=getattr(target, "uuid", None),
        object_repr=str(target)[:255],
        changes=changes or {},
        reason=reason,
    )


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
