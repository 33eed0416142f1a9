"""API of debate spaces and their comments."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.permissions import require

from .. import selectors, services
from ..models import (
    Comment,
)
from .inputs import Input, Text
from .proposals import CommentIn, CommentOut

router = Router(tags=["assemblies"])


class DebateOut(Schema):
    uuid: UUID
    url: str
    title: str
    theme: str
    language: str
    comment_count: int
    created_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())


class DebateIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    theme: str = ""
    language: str = "es"


@router.get("/bodies/{slug}/debates", response=list[DebateOut])
@paginate(Pages, page_size=50)
def list_debates(request: HttpRequest, slug: Text) -> Any:
    body = selectors.get_body_for(caller(request), slug=slug)
    return selectors.visible_debates(caller(request), body)


@router.post("/bodies/{slug}/debates", response={201: DebateOut, 403: ErrorOut, 422: ErrorOut})
def open_debate(request: HttpRequest, slug: Text, payload: DebateIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=slug)
    require(user, "assemblies.debate.create", body)
    debate = services.debate_create(
        actor=user,
        body=body,
        title=payload.title,
        theme=payload.theme,
        language=payload.language,
    )
    return Status(201, selectors.get_debate_for(user, debate.uuid))


@router.get("/debates/{uuid}/comments", response=list[CommentOut])
@paginate(Pages, page_size=100)
def list_debate_comments(request: HttpRequest, uuid: UUID) -> Any:
    debate = selectors.get_debate_for(caller(request), uuid)
    return debate.comments.select_related("author").order_by("created_at", "id")


@router.post("/debates/{uuid}/comments", response={201: CommentOut, 403: ErrorOut, 422: ErrorOut})
def add_debate_comment(request: HttpRequest, uuid: UUID, payload: CommentIn) -> Any:
    user = signed_in(request)
    debate = selectors.get_debate_for(user, uuid)
    require(user, "assemblies.debate.comment", debate)
    parent = (
        get_object_or_404(Comment, pk=payload.parent, debate=debate) if payload.parent else None
    )
    comment = services.debate_comment_add(
        actor=user, debate=debate, text=payload.text, parent=parent, language=payload.language
    )
    return Status(201, comment)
