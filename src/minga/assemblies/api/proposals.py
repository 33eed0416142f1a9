"""API of proposals: workflow, comments, amendments, diffs, translations and documents."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.markdown import render_markdown
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..diff import diff_html
from ..models import (
    Amendment,
    Comment,
    DecisionKind,
    Proposal,
    ProposalVersion,
)
from ..rules import amendment_rule, transition_rule
from .inputs import Input, Text

router = Router(tags=["assemblies"])


class ProposalOut(Schema):
    uuid: UUID
    url: str
    body: str
    kind: str
    title: str
    language: str
    status: str
    author: str
    on_behalf_of: UUID
    comment_count: int
    version_count: int

    @staticmethod
    def resolve_url(obj: Proposal) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: Proposal) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_author(obj: Proposal) -> str:
        return obj.author.username

    @staticmethod
    def resolve_on_behalf_of(obj: Proposal) -> UUID:
        return obj.on_behalf_of.uuid

    @staticmethod
    def resolve_status(obj: Proposal) -> str:
        return obj.current_status


class ProposalDetailOut(ProposalOut):
    version: int
    text: str
    text_html: str
    amendments_close_at: datetime | None

    @staticmethod
    def resolve_version(obj: Proposal) -> int:
        return selectors.current_version(obj).number  # type: ignore[no-any-return]

    @staticmethod
    def resolve_text(obj: Proposal) -> str:
        return selectors.current_version(obj).text  # type: ignore[no-any-return]

    @staticmethod
    def resolve_text_html(obj: Proposal) -> str:
        return str(render_markdown(selectors.current_version(obj).text))


class ProposalIn(Input):
    body: Text
    on_behalf_of: UUID
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1)
    language: str = "es"
    kind: DecisionKind = DecisionKind.ORDINARY
    rules_payload: dict[str, Any] = {}


class TransitionIn(Input):
    status: Text
    reason: str = ""


class CommentOut(Schema):
    id: int
    parent: int | None
    author: str
    text_html: str
    language: str
    created_at: datetime

    @staticmethod
    def resolve_parent(obj: Comment) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_author(obj: Comment) -> str:
        return obj.author.username

    @staticmethod
    def resolve_text_html(obj: Comment) -> str:
        return obj.text_html or str(render_markdown(obj.text))


class CommentIn(Input):
    text: str = Field(..., min_length=1)
    parent: int | None = None
    language: str = "es"


class AmendmentOut(Schema):
    uuid: UUID
    base_version: int
    status: str
    author: str
    new_text: str
    rationale: str

    @staticmethod
    def resolve_base_version(obj: Amendment) -> int:
        return obj.base_version.number

    @staticmethod
    def resolve_author(obj: Amendment) -> str:
        return obj.author.username


class AmendmentIn(Input):
    base_version: int
    new_text: str = Field(..., min_length=1)
    on_behalf_of: UUID
    rationale: str = ""


class AmendmentDecisionIn(Input):
    action: str = Field(..., pattern="^(accept|decline|to_vote|withdraw)$")


class DiffOut(Schema):
    from_version: int
    to_version: int
    html: str


@router.get("/proposals", response=list[ProposalOut])
@paginate(Pages, page_size=50)
def list_proposals(request: HttpRequest, body: Text = "", status: Text = "") -> Any:
    user = caller(request)
    chosen = selectors.get_body_for(user, slug=body) if body else None
    proposals = selectors.visible_proposals(user, chosen)
    return selectors.with_status(proposals, status) if status else proposals


@router.get("/proposals/{uuid}", response={200: ProposalDetailOut, 404: ErrorOut})
def get_proposal(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_proposal_for(caller(request), uuid)


@router.post("/proposals", response={201: ProposalDetailOut, 403: ErrorOut, 422: ErrorOut})
def create_proposal(request: HttpRequest, payload: ProposalIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=payload.body)
    require(user, "assemblies.proposal.create", body)
    organization = get_organization_for(user, uuid=payload.on_behalf_of)
    proposal = services.proposal_create(
        actor=user,
        body=body,
        on_behalf_of=organization,
        title=payload.title,
        text=payload.text,
        language=payload.language,
        kind=payload.kind,
        rules_payload=payload.rules_payload,
    )
    return Status(201, selectors.get_proposal_for(user, proposal.uuid))


@router.post(
    "/proposals/{uuid}/status", response={200: ProposalDetailOut, 403: ErrorOut, 422: ErrorOut}
)
def move_proposal(request: HttpRequest, uuid: UUID, payload: TransitionIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, transition_rule(payload.status), proposal)
    services.proposal_transition(
        actor=user, proposal=proposal, to_status=payload.status, reason=payload.reason
    )
    return selectors.get_proposal_for(user, uuid)


@router.get("/proposals/{uuid}/comments", response=list[CommentOut])
@paginate(Pages, page_size=100)
def list_comments(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return proposal.comments.select_related("author").order_by("created_at", "id")


@router.post("/proposals/{uuid}/comments", response={201: CommentOut, 403: ErrorOut, 422: ErrorOut})
def add_comment(request: HttpRequest, uuid: UUID, payload: CommentIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.proposal.comment", proposal)
    parent = (
        get_object_or_404(Comment, pk=payload.parent, proposal=proposal) if payload.parent else None
    )
    comment = services.comment_add(
        actor=user,
        proposal=proposal,
        text=payload.text,
        parent=parent,
        language=payload.language,
    )
    return Status(201, comment)


@router.get("/proposals/{uuid}/amendments", response=list[AmendmentOut])
def list_amendments(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return list(selectors.proposal_amendments(proposal))


@router.post(
    "/proposals/{uuid}/amendments", response={201: AmendmentOut, 403: ErrorOut, 422: ErrorOut}
)
def propose_amendment(request: HttpRequest, uuid: UUID, payload: AmendmentIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.proposal.amend", proposal)
    base = get_object_or_404(ProposalVersion, proposal=proposal, number=payload.base_version)
    organization = get_organization_for(user, uuid=payload.on_behalf_of)
    amendment = services.amendment_propose(
        actor=user,
        proposal=proposal,
        base_version=base,
        new_text=payload.new_text,
        rationale=payload.rationale,
        on_behalf_of=organization,
    )
    return Status(201, amendment)


@router.post(
    "/amendments/{uuid}/decision", response={200: AmendmentOut, 403: ErrorOut, 422: ErrorOut}
)
def decide_amendment(request: HttpRequest, uuid: UUID, payload: AmendmentDecisionIn) -> Any:
    user = signed_in(request)
    amendment = get_object_or_404(Amendment.objects.select_related("proposal"), uuid=uuid)
    selectors.get_proposal_for(user, amendment.proposal.uuid)
    require(user, amendment_rule(payload.action), amendment)
    return services.amendment_decide(actor=user, amendment=amendment, action=payload.action)


@router.get("/proposals/{uuid}/diff", response={200: DiffOut, 404: ErrorOut})
def proposal_diff(request: HttpRequest, uuid: UUID, from_version: int, to_version: int) -> Any:
    """The changes between two versions as HTML with <ins> and <del>, text escaped."""
    proposal = selectors.get_proposal_for(caller(request), uuid)
    old = get_object_or_404(ProposalVersion, proposal=proposal, number=from_version)
    new = get_object_or_404(ProposalVersion, proposal=proposal, number=to_version)
    return {
        "from_version": old.number,
        "to_version": new.number,
        "html": str(diff_html(old.text, new.text)),
    }


class TranslationOut(Schema):
    language: str
    title: str
    text: str
    version: int
    translator: str

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.version.number)

    @staticmethod
    def resolve_translator(obj: Any) -> str:
        return str(obj.translator.username)


class TranslationIn(Input):
    language: str = Field(..., min_length=2, max_length=16)
    title: str = ""
    text: str = Field(..., min_length=1)


@router.get("/proposals/{uuid}/translations", response=list[TranslationOut])
def list_translations(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return list(proposal.translations.select_related("version", "translator"))


@router.post(
    "/proposals/{uuid}/translations",
    response={200: TranslationOut, 403: ErrorOut, 422: ErrorOut},
)
def save_translation(request: HttpRequest, uuid: UUID, payload: TranslationIn) -> Any:
    user = signed_in(request)
    proposal = selectors.get_proposal_for(user, uuid)
    require(user, "assemblies.proposal.translate", proposal)
    return services.proposal_translation_save(
        actor=user,
        proposal=proposal,
        language=payload.language,
        title=payload.title,
        text=payload.text,
    )


class DocumentOut(Schema):
    title: str
    url: str
    kind: str
    size: int
    uploaded_at: datetime

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.file.url)


@router.get("/proposals/{uuid}/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, uuid: UUID) -> Any:
    proposal = selectors.get_proposal_for(caller(request), uuid)
    return list(proposal.documents.all())
