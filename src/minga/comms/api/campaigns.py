"""Campaigns through the API: read, start, take part, leave."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..models import Campaign

router = Router(tags=["comms"])


class CampaignOut(Schema):
    uuid: UUID
    slug: str
    url: str
    title: str
    summary: str
    description: str
    goals: str
    language: str
    starts_on: date
    ends_on: date | None
    organization: str | None
    origin: str | None
    participants: list[str]

    @staticmethod
    def resolve_url(obj: Campaign) -> str:
        return obj.remote_url or obj.get_canonical_url()

    @staticmethod
    def resolve_organization(obj: Campaign) -> str | None:
        return obj.organization.slug if obj.organization else None

    @staticmethod
    def resolve_origin(obj: Campaign) -> str | None:
        return obj.remote_actor.handle if obj.remote_actor else None

    @staticmethod
    def resolve_participants(obj: Campaign) -> list[str]:
        return [
            participation.organization.slug
            for participation in getattr(obj, "visible_participants", [])
            if participation.left_at is None
        ]


class CampaignIn(Schema):
    organization: UUID
    title: str = Field(..., min_length=1, max_length=200)
    slug: str = Field("", max_length=80)
    summary: str = Field("", max_length=500)
    description: str = ""
    goals: str = ""
    language: str = Field("es", max_length=16)
    starts_on: date
    ends_on: date | None = None
    visibility: Literal["public", "server"] = "public"


class TakePartIn(Schema):
    organization: UUID
    action: Literal["join", "leave"] = "join"


WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _with_participants(user: Any, campaign: Campaign) -> Campaign:
    campaign.visible_participants = list(  # type: ignore[attr-defined]
        selectors.campaign_participants(user, campaign)
    )
    return campaign


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Pages, page_size=50)
def list_campaigns(request: HttpRequest, current: bool = True) -> Any:
    return selectors.campaign_list(caller(request), current_only=current)


@router.get("/campaigns/{slug}", response={200: CampaignOut, 404: ErrorOut})
def get_campaign(request: HttpRequest, slug: str) -> Any:
    user = caller(request)
    return _with_participants(user, selectors.get_campaign_for(user, slug=slug))


@router.post("/campaigns", response={201: CampaignOut, **WRITE})
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Any:
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    campaign = services.campaign_create(
        actor=user,
        organization=organization,
        data=services.CampaignData(
            **payload.dict(exclude={"organization"}), region=organization.region
        ),
    )
    return Status(201, _with_participants(user, campaign))


@router.post("/campaigns/{slug}/participation", response={200: CampaignOut, **WRITE})
def take_part(request: HttpRequest, slug: str, payload: TakePartIn) -> Any:
    """An organization the caller speaks for joins or leaves the campaign."""
    user = signed_in(request)
    campaign = selectors.get_campaign_for(user, slug=slug)
    organization = get_organization_for(user, uuid=payload.organization)
    if payload.action == "leave":
        services.campaign_leave(actor=user, campaign=campaign, organization=organization)
    else:
        services.campaign_join(actor=user, campaign=campaign, organization=organization)
    return _with_participants(user, campaign)
