"""Remote actors: found by WebFinger, fetched (signed by the server's own actor) and kept.

A fetched document is trusted only for its own address: its ``id`` must be the address it
was fetched from (after redirects, on the same host), and its key must belong to it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common.errors import DomainError
from minga.common.markdown import render_markdown
from minga.common.permissions import unguarded

from .. import activitypub as ap
from .. import http
from ..http import FetchRefusedError
from ..models import RemoteActor, RemoteServer
from ..selectors import actor_blocked, domain_blocked
from ..signatures import sign
from .keys import current_key

ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
ACTOR_TYPES = {"Person", "Organization", "Group", "Application", "Service"}
MAX_DOCUMENT_BYTES = 1_000_000


class ActorUnavailableError(Exception):
    """An actor we could not fetch or whose document is unacceptable."""


@unguarded("a signed read of a public document, made by the server on its own behalf")
def signed_get(url: str, *, accept: str = ACCEPT) -> Any:
    """GET a remote JSON document, signed by the server's actor (servers in authorized-fetch
    mode require it); returns the parsed JSON."""
    key = current_key(None)
    headers = sign(
        method="GET",
        url=url,
        key_id=ap.key_id(key),
        private_pem=key.private_pem,
        headers={"Accept": accept},
    )
    try:
        answer = http.request("GET", url, headers=headers, max_bytes=MAX_DOCUMENT_BYTES)
    except FetchRefusedError as error:
        raise ActorUnavailableError(error.reason) from error
    if answer.status == 410:
        raise ActorUnavailableError("gone")
    if answer.status != 200:
        raise ActorUnavailableError(f"{url} answered {answer.status}")
    try:
        document = json.loads(answer.body)
    except ValueError as error:
        raise ActorUnavailableError(f"{url} did not answer JSON") from error
    if not isinstance(document, dict):
        raise ActorUnavailableError(f"{url} did not answer a JSON object")
    final_host = urlsplit(answer.url).netloc.lower()
    document_id = document.get("id")
    if isinstance(document_id, str) and urlsplit(document_id).netloc.lower() != final_host:
        raise ActorUnavailableError("the document claims an address on another server")
    return document


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _url(value: Any) -> str:
    value = ap.first(value)
    if isinstance(value, dict):
        value = value.get("href") or value.get("url")
    if isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= 500:
        return value
    return ""


@unguarded("stores what a remote server says about its own actor")
@transaction.atomic
def actor_store(document: dict[str, Any]) -> RemoteActor:
    """Create or refresh a remote actor from its own document."""
    uri = document.get("id")
    if not isinstance(uri, str) or not uri.startswith(("https://", "http://")) or ap.is_local(uri):
        raise ActorUnavailableError("the actor has no usable address")
    if ap.type_of(document) not in ACTOR_TYPES:
        raise ActorUnavailableError("the document is not an actor")
    key = document.get("publicKey")
    key = ap.first(key)
    if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
        raise ActorUnavailableError("the actor has no public key")
    owner = key.get("owner")
    if owner not in (None, uri):
        raise ActorUnavailableError("the key belongs to someone else")
    inbox = _url(document.get("inbox"))
    if not inbox:
        raise ActorUnavailableError("the actor has no inbox")
    domain = ap.domain_of(uri)
    server, _created = RemoteServer.objects.get_or_create(domain=domain)
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    values = {
        "server": server,
        "type": ap.type_of(document),
        "username": _text(document.get("preferredUsername"), 200),
        "name": _text(document.get("name"), 300),
        "summary": str(_remote_html(document.get("summary"))),
        "url": _url(document.get("url")),
        "icon_url": _url(document.get("icon")),
        "inbox": inbox,
        "shared_inbox": _url((endpoints or {}).get("sharedInbox")),
        "outbox": _url(document.get("outbox")),
        "followers_url": _url(document.get("followers")),
        "key_id": _text(key.get("id"), 500) or f"{uri}#main-key",
        "public_key_pem": key["publicKeyPem"][:10_000],
        "is_minga": "mingaKind" in document,
        "gone": False,
    }
    actor, _created = RemoteActor.objects.update_or_create(uri=uri, defaults=values)
    return actor


def _remote_html(value: Any) -> str:
    """Remote HTML, sanitized the way our own Markdown output is."""
    if not isinstance(value, str):
        return ""
    return str(render_markdown(value[:20_000]))


@unguarded("fetches a public actor document; stores only what it says about itself")
def actor_fetch(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The remote actor at ``uri``, fetched when unknown (or when ``refresh``)."""
    if not refresh:
        known = RemoteActor.objects.select_related("server").filter(uri=uri).first()
        if known is not None:
            return known
    if actor_blocked(uri):
        raise ActorUnavailableError("blocked")
    document = signed_get(uri)
    if document.get("id") != uri:
        # A key document (``…#main-key``) names its owner; an actor must be its own address.
        owner = document.get("owner")
        if isinstance(owner, str) and ap.domain_of(owner) == ap.domain_of(uri) and owner != uri:
            return actor_fetch(owner, refresh=refresh)
        raise ActorUnavailableError("the document is not at the address it claims")
    return actor_store(document)


@unguarded("finds the actor who signed a request, by the key it names")
def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    if not refresh:
        known = RemoteActor.objects.select_related("server").filter(key_id=key_id).first()
        if known is not None:
            return known
    actor_uri = key_id.split("#")[0]
    actor = actor_fetch(actor_uri, refresh=True)
    if actor.key_id != key_id and actor_uri != key_id:
        raise ActorUnavailableError("the actor does not publish this key")
    return actor


@unguarded("looks a handle up with WebFinger on its server; a read")
def webfinger(handle: str) -> RemoteActor:
    """``@user@host`` → the remote actor, through ``/.well-known/webfinger`` on its host."""
    parsed = ap.parse_handle(handle)
    if parsed is None:
        raise DomainError(
            _("Write an address such as @name@example.org."), "handle", code="bad_handle"
        )
    user, host = parsed
    if domain_blocked(host):
        raise DomainError(_("This server is blocked here."), "handle", code="domain_blocked")
    scheme = "https"
    from ..http import is_test_host

    if is_test_host(f"http://{host}/"):
        scheme = "http"
    url = f"{scheme}://{host}/.well-known/webfinger?resource={quote(f'acct:{user}@{host}')}"
    try:
        answer = http.request(
            "GET", url, headers={"Accept": "application/jrd+json"}, max_bytes=200_000
        )
        document = json.loads(answer.body) if answer.status == 200 else None
    except (FetchRefusedError, ValueError):
        document = None
    links = document.get("links") if isinstance(document, dict) else None
    actor_url = None
    for link in links if isinstance(links, list) else []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and str(link.get("type", "")).split(";")[0]
            in ("application/activity+json", "application/ld+json")
        ):
            actor_url = link.get("href")
            break
    if not isinstance(actor_url, str):
        raise DomainError(
            _("No account was found at this address."), "handle", code="handle_not_found"
        )
    try:
        return actor_fetch(actor_url, refresh=True)
    except ActorUnavailableError as error:
        raise DomainError(
            _("The account's server did not describe it: %(reason)s") % {"reason": error},
            "handle",
            code="actor_unavailable",
        ) from error
