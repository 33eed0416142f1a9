"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString

from minga.common.markdown import render_markdown
from minga.common.permissions import has_perm

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], name: str, obj: Any = None) -> bool:
    return has_perm(context["request"].user, name, obj)


@register.filter(name="audit_changes")
def audit_changes(entry: Any) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of an audit entry's changes. A filter, not ``changes.items`` in
    the template: a change of a field named "items" would be looked up instead."""
    pairs = []
    for key, values in (entry.changes or {}).items():
        before, after = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        pairs.append((str(key), before, after))
    return pairs


@register.filter(name="audit_sentence")
def audit_sentence(entry: Any) -> str:
    """An audit entry as a sentence in the reader's language."""
    from minga.common.audit import describe

    return describe(entry)
