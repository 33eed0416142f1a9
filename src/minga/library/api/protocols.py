"""Protocols: list, read, create; membership; requests to join and their answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, FieldError, Pages, signed_in
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..types import MembershipRole, ProtocolKind

router = Router(tags=["library"])


class ProtocolOut(Schema):
    uuid: UUID
    url: str
    name: str
    description: str
    kind: str
    community: UUID
    community_name: str
    include_community_members: bool
    listed: bool

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(obj.get_canonical_url())

    @staticmethod
    def resolve_community(obj: Any) -> UUID:
        return UUID(str(obj.community.uuid))

    @staticmethod
    def resolve_community_name(obj: Any) -> str:
        return str(obj.community.display_name)


class ProtocolIn(Schema):
    community: UUID
    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    kind: ProtocolKind = ProtocolKind.STRICT
    include_community_members: bool = False
    listed: bool = True


class MemberOut(Schema):
    username: str
    role: str
    granted_at: datetime

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return str(obj.person.username)


class GrantIn(Schema):
    username: str
    role: MembershipRole = MembershipRole.MEMBER


class RequestIn(Schema):
    message: str = Field("", max_length=4000)


class DecisionIn(Schema):
    grant: bool
    answer: str = Field("", max_length=4000)


class RequestOut(Schema):
    uuid: UUID
    protocol: UUID
    username: str
    message: str
    status: str
    answer: str
    created_at: datetime

    @staticmethod
    def resolve_protocol(obj: Any) -> UUID:
        return UUID(str(obj.protocol.uuid))

    @staticmethod
    def resolve_username(obj: Any) -> str:
        return str(obj.person.username)


def _person(username: str) -> Any:
    from minga.people.selectors import active_person

    person = active_person(username)
    if person is None:
        raise FieldError(422, _("Nobody has this user name."), "username", code="unknown_person")
    return person


@router.get("/protocols", response=list[ProtocolOut])
@paginate(Pages, page_size=50)
def list_protocols(request: HttpRequest) -> Any:
    user = signed_in(request)
    return selectors.visible_protocols(user).select_related("community").order_by("name", "pk")


@router.get("/protocols/{uuid}", response={200: ProtocolOut, 401: ErrorOut, 404: ErrorOut})
def get_protocol(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_protocol_for(signed_in(request), uuid=uuid)


@router.post(
    "/protocols",
    response={
        201: ProtocolOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
)
def create_protocol(request: HttpRequest, payload: ProtocolIn) -> Any:
    user = signed_in(request)
    community = get_organization_for(user, uuid=payload.community)
    protocol = services.protocol_create(
        actor=user, community=community, **payload.dict(exclude={"community"})
    )
    return Status(201, protocol)


@router.get(
    "/protocols/{uuid}/members",
    response={200: list[MemberOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def list_members(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    protocol = selectors.get_protocol_for(user, uuid=uuid)
    if not selectors.is_steward(user, protocol):
        raise FieldError(
            403, _("Only the protocol's stewards see its members."), code="permission_denied"
        )
    return selectors.protocol_members(protocol)


@router.post(
    "/protocols/{uuid}/members",
    response={201: MemberOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def grant_membership(request: HttpRequest, uuid: UUID, payload: GrantIn) -> Any:
    user = signed_in(request)
    protocol = selectors.get_protocol_for(user, uuid=uuid)
    membership = services.membership_grant(
        actor=user, protocol=protocol, person=_person(payload.username), role=payload.role
    )
    return Status(201, membership)


@router.delete(
    "/protocols/{uuid}/members/{username}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def revoke_membership(request: HttpRequest, uuid: UUID, username: str) -> Any:
    user = signed_in(request)
    protocol = selectors.get_protocol_for(user, uuid=uuid)
    services.membership_revoke(actor=user, protocol=protocol, person=_person(username))
    return Status(204, None)


@router.post(
    "/protocols/{uuid}/requests",
    response={201: RequestOut, 200: RequestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def request_access(request: HttpRequest, uuid: UUID, payload: RequestIn) -> Any:
    """Ask to be let in; asking again while waiting answers the same request (200)."""
    user = signed_in(request)
    protocol = selectors.get_protocol_for(user, uuid=uuid)
    before = selectors.requests_of(user).filter(protocol=protocol, status="pending").exists()
    access_request = services.access_request_submit(
        actor=user, protocol=protocol, message=payload.message
    )
    return Status(200 if before else 201, access_request)


@router.get("/requests", response={200: list[RequestOut], 401: ErrorOut})
def list_requests(request: HttpRequest) -> Any:
    """Requests waiting for the caller's answer as a steward."""
    return selectors.pending_requests_for(signed_in(request))


@router.post(
    "/requests/{uuid}/decision",
    response={200: RequestOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def decide_request(request: HttpRequest, uuid: UUID, payload: DecisionIn) -> Any:
    user = signed_in(request)
    access_request = selectors.get_request_for(user, uuid=uuid)
    return services.access_request_decide(
        actor=user, request=access_request, grant=payload.grant, answer=payload.answer
    )
