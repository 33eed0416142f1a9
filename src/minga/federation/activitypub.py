"""The addresses and documents of our ActivityPub actors, and small helpers on activities.

An organization's actor lives at ``/ap/actors/<uuid>`` (the UUID never changes, so the
actor survives a change of short code); its WebFinger name is ``acct:<slug>@<host>``. The
server itself is the actor ``/ap/actor`` (type Application), which signs the fetches the
server makes on its own behalf. Only public organizations are actors.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from minga.common.markdown import render_markdown

from .types import ACTIVITY_JSON as ACTIVITY_JSON
from .types import CONTEXT as CONTEXT
from .types import PUBLIC as PUBLIC

if TYPE_CHECKING:
    from minga.registry.models import Organization

    from .models import SigningKey

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_HANDLE = re.compile(r"^@?(?:acct:)?([A-Za-z0-9_.\-]+)@([A-Za-z0-9.\-]+(?::\d+)?)$")


def site() -> str:
    return str(settings.SITE_URL).rstrip("/")


def local_domain() -> str:
    """Our host as it appears in handles (with the port when there is one)."""
    return urlsplit(site()).netloc.lower()


def absolute(path: str) -> str:
    return site() + path


def actor_uri(organization: Organization) -> str:
    return absolute(reverse("federation:actor", args=[organization.uuid]))


def inbox_uri(organization: Organization) -> str:
    return absolute(reverse("federation:inbox", args=[organization.uuid]))


def outbox_uri(organization: Organization) -> str:
    return absolute(reverse("federation:outbox", args=[organization.uuid]))


def followers_uri(organization: Organization) -> str:
    return absolute(reverse("federation:followers", args=[organization.uuid]))


def following_uri(organization: Organization) -> str:
    return absolute(reverse("federation:following", args=[organization.uuid]))


def shared_inbox_uri() -> str:
    return absolute(reverse("federation:shared_inbox"))


def server_actor_uri() -> str:
    return absolute(reverse("federation:server_actor"))


def key_id(key: SigningKey) -> str:
    owner = actor_uri(key.organization) if key.organization is not None else server_actor_uri()
    return f"{owner}#{key.fragment}"


def organization_uuid_of(uri: str) -> str | None:
    """The UUID of one of our organizations from its actor address, or None."""
    prefix = absolute("/ap/actors/")
    if not uri.startswith(prefix):
        return None
    rest = uri[len(prefix) :].split("#")[0].strip("/")
    return rest if re.fullmatch(_UUID, rest) else None


def is_local(uri: str) -> bool:
    return uri.startswith(site() + "/")


def domain_of(uri: str) -> str:
    return urlsplit(uri).netloc.lower()


def parse_handle(text: str) -> tuple[str, str] | None:
    """``@slug@host``, ``slug@host`` or ``acct:slug@host`` → (user, host); None otherwise."""
    match = _HANDLE.match(text.strip())
    return (match[1], match[2].lower()) if match else None


def actor_document(organization: Organization, key: SigningKey) -> dict[str, Any]:
    """The organization as an ActivityPub actor (type Organization)."""
    uri = actor_uri(organization)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": uri,
        "type": "Organization",
        "preferredUsername": organization.slug,
        "name": organization.display_name,
        "summary": str(render_markdown(organization.description)),
        "url": absolute(organization.get_absolute_url()),
        "inbox": inbox_uri(organization),
        "outbox": outbox_uri(organization),
        "followers": followers_uri(organization),
        "following": following_uri(organization),
        "endpoints": {"sharedInbox": shared_inbox_uri()},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "indexable": True,
        "published": organization.created_at.isoformat(),
        "publicKey": {"id": key_id(key), "owner": uri, "publicKeyPem": key.public_pem},
        "mingaKind": organization.kind,
    }
    if organization.logo:
        document["icon"] = {"type": "Image", "url": absolute(organization.logo.url)}
    return document


def server_actor_document(key: SigningKey) -> dict[str, Any]:
    uri = server_actor_uri()
    return {
        "@context": CONTEXT,
        "id": uri,
        "type": "Application",
        "preferredUsername": local_domain().replace(":", "."),
        "name": "Minga",
        "inbox": shared_inbox_uri(),
        "outbox": absolute(reverse("federation:server_outbox")),
        "url": site() + "/",
        "manuallyApprovesFollowers": True,
        "publicKey": {"id": key_id(key), "owner": uri, "publicKeyPem": key.public_pem},
    }


def addressed_publicly(document: dict[str, Any]) -> bool:
    """Whether an activity or object is addressed to the public collection."""
    audience: list[Any] = []
    for field in ("to", "cc"):
        value = document.get(field)
        audience += value if isinstance(value, list) else [value]
    return PUBLIC in audience or "as:Public" in audience or "Public" in audience


def wants_activity_json(request: HttpRequest) -> bool:
    """Whether the client asks for ActivityPub JSON rather than a page."""
    accept = request.headers.get("Accept", "")
    return "application/activity+json" in accept or "application/ld+json" in accept


def activity_response(document: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False),
        content_type=f"{ACTIVITY_JSON}; charset=utf-8",
        status=status,
    )
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def first(value: Any) -> Any:
    """The first of a value that may be a list (ActivityStreams allows either)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def id_of(value: Any) -> str | None:
    """The ``id`` of an object given inline or by its address."""
    value = first(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def type_of(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("type")
        if isinstance(kind, list):
            return str(kind[0]) if kind else ""
        return str(kind or "")
    return ""
