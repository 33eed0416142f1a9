"""API of federation: an organization's follows, and the administrators' deliveries and blocks."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.common.permissions import require
from minga.registry.selectors import get_organization_for

from . import selectors, services
from .models import Delivery, Follow
from .views.protocol import organization_for_handle

router = Router(tags=["federation"])


class FollowOut(Schema):
    uuid: UUID
    state: str
    follower: str
    target: str
    created_at: datetime
    accepted_at: datetime | None

    @staticmethod
    def resolve_follower(obj: Follow) -> str:
        if obj.follower_organization is not None:
            return selectors.handle_of(obj.follower_organization)
        return obj.follower_actor.handle if obj.follower_actor else ""

    @staticmethod
    def resolve_target(obj: Follow) -> str:
        if obj.target_organization is not None:
            return selectors.handle_of(obj.target_organization)
        return obj.target_actor.handle if obj.target_actor else ""


class FollowsOut(Schema):
    handle: str
    actor: str
    followers: int
    following: list[FollowOut]


class FollowIn(Schema):
    handle: str = Field(
        ..., min_length=1, max_length=300, description="@name@server, or a short code here"
    )


class DeliveryOut(Schema):
    id: int
    state: str
    inbox: str
    server: str
    activity_type: str
    object: str
    attempts: int
    last_status: int | None
    last_error: str
    detail: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @staticmethod
    def resolve_server(obj: Delivery) -> str:
        return obj.server.domain

    @staticmethod
    def resolve_activity_type(obj: Delivery) -> str:
        return obj.activity.activity_type

    @staticmethod
    def resolve_object(obj: Delivery) -> str:
        return obj.activity.object_uri


class DomainBlockIn(Schema):
    domain: str = Field(..., min_length=1, max_length=255)
    reason: str = ""


@router.get("/organizations/{slug}/follows", response={200: FollowsOut, 404: ErrorOut})
def organization_follows(request: HttpRequest, slug: str) -> Any:
    """The organization's fediverse address, its follower count and whom it follows."""
    organization = get_organization_for(caller(request), slug=slug)
    return {
        "handle": selectors.handle_of(organization),
        "actor": selectors.actor_uri_of(organization),
        "followers": selectors.follower_count(organization),
        "following": list(selectors.following_of(organization)[:500]),
    }


@router.post(
    "/organizations/{slug}/follows",
    response={201: FollowOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def follow(request: HttpRequest, slug: str, payload: FollowIn) -> Any:
    """Follow an organization of this server or an account elsewhere (found by WebFinger)."""
    user = signed_in(request)
    organization = get_organization_for(user, slug=slug)
    require(user, "federation.follow.manage", organization)
    target = organization_for_handle(payload.handle) or services.webfinger(payload.handle)
    return Status(201, services.follow_create(actor=user, organization=organization, target=target))


@router.post(
    "/organizations/{slug}/follows/{uuid}/end",
    response={200: FollowOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def follow_end(request: HttpRequest, slug: str, uuid: UUID) -> Any:
    """Stop following, or remove a follower."""
    user = signed_in(request)
    organization = get_organization_for(user, slug=slug)
    follow = selectors.get_follow_for(organization, uuid)
    if follow.follower_organization_id == organization.pk:
        return services.follow_undo(actor=user, follow=follow)
    return services.follower_remove(actor=user, follow=follow)


@router.get("/deliveries", response={200: list[DeliveryOut], 401: ErrorOut, 403: ErrorOut})
@paginate(Pages, page_size=50)
def deliveries(request: HttpRequest, server: str = "", state: str = "") -> Any:
    """Deliveries to remote inboxes (administrators), newest first."""
    user = signed_in(request)
    require(user, "federation.admin.view")
    remote = selectors.get_server(server) if server else None
    return selectors.deliveries(server=remote, state=state)


@router.post(
    "/deliveries/{pk}/retry",
    response={200: DeliveryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def delivery_retry(request: HttpRequest, pk: int) -> Any:
    user = signed_in(request)
    require(user, "federation.delivery.manage")
    delivery = selectors.deliveries().filter(pk=pk).first()
    if delivery is None:
        from django.http import Http404

        raise Http404
    return services.delivery_retry(actor=user, delivery=delivery)


@router.post(
    "/blocks/domains",
    response={201: dict[str, str], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def block_domain(request: HttpRequest, payload: DomainBlockIn) -> Any:
    user = signed_in(request)
    block = services.domain_block(actor=user, domain=payload.domain, reason=payload.reason)
    return Status(201, {"domain": block.domain})
