"""Debate spaces of a body and their comments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.models import Visibility
from minga.registry.models import Body

from ..models import (
    Comment,
    DebateSpace,
)
from .base import AssemblyError
from .proposals import _comment_create

# Debate spaces


@transaction.atomic
def debate_create(
    *,
    actor: Any,
    body: Body,
    title: str,
    theme: str = "",
    language: str = "es",
    visibility: str = Visibility.PUBLIC,
) -> DebateSpace:
    """Open a forum of the body on a theme; nothing is voted there."""
    if not title.strip():
        raise AssemblyError(_("Give the debate a title."), "title")
    if visibility not in Visibility.values:
        raise AssemblyError(_("Unknown visibility."), "visibility")
    debate = DebateSpace.objects.create(
        body=body,
        title=title.strip(),
        theme=theme,
        language=language,
        visibility=visibility,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AssembliesEvent.DEBATE_CREATE,
        target=debate,
        changes={"title": [None, debate.title]},
    )
    return debate


@transaction.atomic
def debate_comment_add(
    *,
    actor: Any,
    debate: DebateSpace,
    text: str,
    parent: Comment | None = None,
    language: str = "es",
) -> Comment:
    """Take part in a debate: a comment or a reply in the same debate."""
    if not text.strip():
        raise AssemblyError(_("Write a comment."), "text")
    if parent is not None and parent.debate_id != debate.pk:
        raise AssemblyError(_("You can only reply to a comment in the same debate."), "parent")
    return _comment_create(actor=actor, thread=debate, text=text, parent=parent, language=language)
