"""Debate spaces of a body and their comments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.assemblies.audit_events import AssembliesEvent
from minga.common import audit
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import guarded

from ..models import (
    Comment,
    DebateSpace,
)
from .proposals import _comment_create

if TYPE_CHECKING:
    from minga.registry.models import Body

# Debate spaces


@guarded("assemblies.debate.create", on="body")
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
        raise DomainError(_("Give the debate a title."), "title", code="title_missing")
    if visibility not in Visibility.values:
        raise DomainError(_("Unknown visibility."), "visibility", code="unknown_visibility")
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


@guarded("assemblies.debate.comment", on="debate")
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
        raise DomainError(_("Write a comment."), "text", code="comment_empty")
    if parent is not None and parent.debate_id != debate.pk:
        raise DomainError(
            _("You can only reply to a comment in the same debate."),
            "parent",
            code="reply_outside_debate",
        )
    return _comment_create(actor=actor, thread=debate, text=text, parent=parent, language=language)
