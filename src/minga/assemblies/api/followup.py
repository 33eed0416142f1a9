"""API of the follow-up of agreements: results and milestones."""

from datetime import date
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
from ..models import (
    FollowUpResult,
    Milestone,
    ResultStatus,
)
from .inputs import Input, Text

router = Router(tags=["assemblies"])


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    reached_on: date | None
    evidence_html: str
    evidence_url: str

    @staticmethod
    def resolve_evidence_html(obj: Milestone) -> str:
        return str(render_markdown(obj.evidence))


class ResultOut(Schema):
    uuid: UUID
    url: str
    body: str
    title: str
    responsible: UUID
    responsible_name: str
    parent: UUID | None
    status: str
    progress: int | None
    rolled_up_progress: int
    weight: int
    starts_on: date | None
    due_on: date | None

    @staticmethod
    def resolve_url(obj: FollowUpResult) -> str:
        return obj.get_canonical_url()

    @staticmethod
    def resolve_body(obj: FollowUpResult) -> str:
        return obj.body.slug

    @staticmethod
    def resolve_responsible(obj: FollowUpResult) -> UUID:
        return obj.responsible.uuid

    @staticmethod
    def resolve_responsible_name(obj: FollowUpResult) -> str:
        return obj.responsible.name

    @staticmethod
    def resolve_parent(obj: FollowUpResult) -> UUID | None:
        return obj.parent.uuid if obj.parent else None

    @staticmethod
    def resolve_rolled_up_progress(obj: Any) -> int:
        value = getattr(obj, "rolled_up", None)
        return value if value is not None else selectors.rolled_up_progress([obj])[obj.pk]


class ResultDetailOut(ResultOut):
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(obj: FollowUpResult) -> list[Milestone]:
        return list(obj.milestones.all())


class ResultIn(Input):
    body: Text
    title: str = Field(..., min_length=1, max_length=200)
    responsible: UUID
    parent: UUID | None = None
    declaration: UUID | None = None
    description: str = ""
    starts_on: date | None = None
    due_on: date | None = None
    weight: int = Field(1, ge=1)


class ResultUpdateIn(Input):
    status: ResultStatus
    progress: int | None = Field(None, ge=0, le=100)


class MilestoneIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: date | None = None


class MilestoneReachIn(Input):
    reached_on: date
    evidence: str = ""
    evidence_url: str = ""


@router.get("/results", response=list[ResultOut])
@paginate(Pages, page_size=50)
def list_results(
    request: HttpRequest,
    body: Text = "",
    status: Text = "",
    organization: Text = "",
    overdue: bool = False,
) -> Any:
    """The follow-up dashboard's rows, each with its progress rolled up from its parts."""
    filters = selectors.ResultFilters(
        body=body, status=status, organization=organization, overdue=overdue
    )
    results = list(selectors.visible_results(caller(request), filters))
    progress = selectors.rolled_up_progress(results)
    for result in results:
        result.rolled_up = progress.get(result.pk, 0)  # type: ignore[attr-defined]
    return results


@router.get("/results/{uuid}", response={200: ResultDetailOut, 404: ErrorOut})
def get_result(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_result_for(caller(request), uuid)


@router.post("/results", response={201: ResultDetailOut, 403: ErrorOut, 422: ErrorOut})
def create_result(request: HttpRequest, payload: ResultIn) -> Any:
    user = signed_in(request)
    body = selectors.get_body_for(user, slug=payload.body)
    require(user, "assemblies.body.manage", body)
    responsible = get_organization_for(user, uuid=payload.responsible)
    parent = selectors.get_result_for(user, payload.parent) if payload.parent else None
    declaration = (
        selectors.get_declaration_for(user, payload.declaration) if payload.declaration else None
    )
    result = services.result_create(
        actor=user,
        body=body,
        title=payload.title,
        responsible=responsible,
        parent=parent,
        declaration=declaration,
        description=payload.description,
        starts_on=payload.starts_on,
        due_on=payload.due_on,
        weight=payload.weight,
    )
    return Status(201, result)


@router.post(
    "/results/{uuid}/status", response={200: ResultDetailOut, 403: ErrorOut, 422: ErrorOut}
)
def update_result(request: HttpRequest, uuid: UUID, payload: ResultUpdateIn) -> Any:
    user = signed_in(request)
    result = selectors.get_result_for(user, uuid)
    require(user, "assemblies.result.update", result)
    return services.result_update(
        actor=user, result=result, status=payload.status, progress=payload.progress
    )


@router.post(
    "/results/{uuid}/milestones", response={201: MilestoneOut, 403: ErrorOut, 422: ErrorOut}
)
def add_milestone(request: HttpRequest, uuid: UUID, payload: MilestoneIn) -> Any:
    user = signed_in(request)
    result = selectors.get_result_for(user, uuid)
    require(user, "assemblies.result.update", result)
    milestone = services.milestone_add(
        actor=user, result=result, title=payload.title, due_on=payload.due_on
    )
    return Status(201, milestone)


@router.post(
    "/results/{uuid}/milestones/{milestone_id}/reach",
    response={200: MilestoneOut, 403: ErrorOut, 422: ErrorOut},
)
def reach_milestone(
    request: HttpRequest, uuid: UUID, milestone_id: int, payload: MilestoneReachIn
) -> Any:
    user = signed_in(request)
    result = selectors.get_result_for(user, uuid)
    require(user, "assemblies.result.update", result)
    milestone = get_object_or_404(Milestone, pk=milestone_id, result=result)
    return services.milestone_reach(
        actor=user,
        milestone=milestone,
        reached_on=payload.reached_on,
        evidence=payload.evidence,
        evidence_url=payload.evidence_url,
    )
