"""What other servers read and post: WebFinger, NodeInfo, actors, collections, inboxes."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from minga.common.pagination import page_number
from minga.registry.selectors import get_organization_for, visible_organizations

from .. import activitypub as ap
from .. import selectors, services
from ..hooks import outbox_sources
from ..models import OutboxActivity
from ..signatures import IncomingRequest

PAGE_SIZE = 20


def _public_organization(uuid: uuid_lib.UUID | str) -> Any:
    return get_organization_for(AnonymousUser(), uuid=uuid)


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    """``acct:slug@host`` (or an actor's address) → links to the actor and its page."""
    resource = request.GET.get("resource", "").strip()
    domain = ap.local_domain()
    organization = None
    if resource.startswith(ap.site() + "/"):
        uuid = ap.organization_uuid_of(resource)
        if uuid is not None:
            organization = _public_organization(uuid)
    else:
        parsed = ap.parse_handle(resource)
        if parsed is None:
            return JsonResponse({"error": "resource must be acct:user@host"}, status=400)
        user, host = parsed
        if host != domain:
            raise Http404
        if user == domain.replace(":", "."):
            return _jrd(
                f"acct:{user}@{domain}",
                ap.server_actor_uri(),
                ap.site() + "/",
            )
        organization = get_organization_for(AnonymousUser(), slug=user)
    if organization is None:
        raise Http404
    return _jrd(
        f"acct:{organization.slug}@{domain}",
        ap.actor_uri(organization),
        ap.absolute(organization.get_absolute_url()),
    )


def _jrd(subject: str, actor: str, page: str) -> HttpResponse:
    document = {
        "subject": subject,
        "aliases": [actor, page],
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": page},
            {"rel": "self", "type": "application/activity+json", "href": actor},
        ],
    }
    response = JsonResponse(document, content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def host_meta(request: HttpRequest) -> HttpResponse:
    template = ap.absolute(reverse("federation:webfinger")) + "?resource={uri}"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template="{template}"/>\n'
        "</XRD>\n"
    )
    return HttpResponse(body, content_type="application/xrd+xml")


@require_GET
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "links": [
                {
                    "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                    "href": ap.absolute(reverse("federation:nodeinfo")),
                }
            ]
        }
    )


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    """NodeInfo 2.1: what software this is and how much it holds (public figures only)."""
    actors = visible_organizations(AnonymousUser()).count()
    posts = OutboxActivity.objects.filter(
        activity_type="Create", organization__isnull=False
    ).count()
    document = {
        "version": "2.1",
        "software": {
            "name": "minga",
            "version": "0.1.0",
            "homepage": ap.site() + "/",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": True,
        "usage": {
            "users": {"total": actors, "activeMonth": actors, "activeHalfyear": actors},
            "localPosts": posts,
        },
        "metadata": {"nodeName": "Minga", "actorKind": "organizations"},
    }
    return JsonResponse(
        document,
        content_type='application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"',
    )


@require_GET
def actor(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    organization = _public_organization(uuid)
    if not ap.wants_activity_json(request):
        return redirect(organization)
    return ap.activity_response(ap.actor_document(organization, services.current_key(organization)))


@require_GET
def server_actor(request: HttpRequest) -> HttpResponse:
    return ap.activity_response(ap.server_actor_document(services.current_key(None)))


@require_GET
def server_outbox(request: HttpRequest) -> HttpResponse:
    uri = ap.absolute(reverse("federation:server_outbox"))
    return ap.activity_response(
        {"@context": ap.CONTEXT, "id": uri, "type": "OrderedCollection", "totalItems": 0}
    )


def _page_number(request: HttpRequest) -> int | None:
    """None for the collection itself, else the page asked for."""
    if "page" not in request.GET:
        return None
    return page_number(request, last=1_000_000)


@require_GET
def outbox(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """The organization's public activities, newest first, a page at a time."""
    organization = _public_organization(uuid)
    uri = ap.outbox_uri(organization)
    page = _page_number(request)
    total = 0
    items: list[dict[str, Any]] = []
    for source in outbox_sources():
        count, found = source(organization, page or 1, PAGE_SIZE)
        total += count
        items += found
    if page is None:
        return ap.activity_response(
            {
                "@context": ap.CONTEXT,
                "id": uri,
                "type": "OrderedCollection",
                "totalItems": total,
                "first": f"{uri}?page=1",
            }
        )
    document: dict[str, Any] = {
        "@context": ap.CONTEXT,
        "id": f"{uri}?page={page}",
        "type": "OrderedCollectionPage",
        "partOf": uri,
        "totalItems": total,
        "orderedItems": items[:PAGE_SIZE],
    }
    if page * PAGE_SIZE < total:
        document["next"] = f"{uri}?page={page + 1}"
    if page > 1:
        document["prev"] = f"{uri}?page={page - 1}"
    return ap.activity_response(document)


@require_GET
def followers(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Only the count: who follows an organization is not published."""
    organization = _public_organization(uuid)
    return ap.activity_response(
        {
            "@context": ap.CONTEXT,
            "id": ap.followers_uri(organization),
            "type": "OrderedCollection",
            "totalItems": selectors.follower_count(organization),
        }
    )


@require_GET
def following(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    organization = _public_organization(uuid)
    return ap.activity_response(
        {
            "@context": ap.CONTEXT,
            "id": ap.following_uri(organization),
            "type": "OrderedCollection",
            "totalItems": selectors.following_count(organization),
        }
    )


def _target_uri(request: HttpRequest) -> str:
    """The address the sender posted to (https behind the TLS proxy, see production)."""
    return request.build_absolute_uri()


def _receive(request: HttpRequest) -> HttpResponse:
    limit = int(getattr(settings, "FEDERATION_MAX_PAYLOAD_BYTES", 512 * 1024))
    declared = request.headers.get("Content-Length", "")
    # isdecimal, not isdigit: "²" is a digit that int() refuses; eighteen digits and more
    # are too large whatever the limit (and int() refuses thousands of them).
    if declared.isdecimal() and (len(declared) > 18 or int(declared) > limit):
        return JsonResponse({"error": "the activity is too large"}, status=413)
    body = request.read(limit + 1)
    incoming = IncomingRequest(
        method=request.method or "POST",
        url=_target_uri(request),
        headers=dict(request.headers),
        body=body,
    )
    receipt = services.receive(incoming)
    response = JsonResponse({"result": receipt.reason}, status=receipt.status)
    if receipt.status == 429:
        response["Retry-After"] = "60"
    return response


@csrf_exempt
@require_http_methods(["POST"])
def inbox(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    _public_organization(uuid)
    return _receive(request)


@csrf_exempt
@require_http_methods(["POST"])
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return _receive(request)


def organization_for_handle(text: str) -> Any:
    """One of our public organizations from ``@slug@ourhost`` or ``slug``, else None."""
    text = text.strip()
    parsed = ap.parse_handle(text)
    slug = None
    if parsed is not None and parsed[1] == ap.local_domain():
        slug = parsed[0]
    elif parsed is None and text and "@" not in text and "/" not in text:
        slug = text.lstrip("@")
    if slug is None:
        return None
    return visible_organizations(AnonymousUser()).filter(Q(slug=slug)).first()
