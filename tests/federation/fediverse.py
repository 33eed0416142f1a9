"""A small stand-in for the rest of the fediverse in tests, with payloads shaped as Mastodon
sends them (written from Mastodon's public documentation of its ActivityPub and HTTP
Signatures, not copied from captures).

Remote accounts have real RSA keys; their documents are what our server fetches; what our
server POSTs to their inboxes is kept for the test to read (and verify). The transport is
``minga.federation.http.request``, replaced for the test; nothing leaves the machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from minga.federation.http import FetchRefusedError, Response

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
MASTODON_CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",
    {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "discoverable": "toot:discoverable",
        "indexable": "toot:indexable",
        "sensitive": "as:sensitive",
        "Hashtag": "as:Hashtag",
    },
]


@dataclass
class Account:
    """A Mastodon account: its address, key and actor document."""

    server: str
    username: str
    key: rsa.RSAPrivateKey = field(repr=False)

    @property
    def uri(self) -> str:
        return f"https://{self.server}/users/{self.username}"

    @property
    def key_id(self) -> str:
        return f"{self.uri}#main-key"

    @property
    def inbox(self) -> str:
        return f"{self.uri}/inbox"

    @property
    def shared_inbox(self) -> str:
        return f"https://{self.server}/inbox"

    def public_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def document(self) -> dict[str, Any]:
        return {
            "@context": MASTODON_CONTEXT,
            "id": self.uri,
            "type": "Person",
            "following": f"{self.uri}/following",
            "followers": f"{self.uri}/followers",
            "inbox": self.inbox,
            "outbox": f"{self.uri}/outbox",
            "featured": f"{self.uri}/collections/featured",
            "preferredUsername": self.username,
            "name": self.username.capitalize(),
            "summary": "<p>Periodista comunitaria.</p>",
            "url": f"https://{self.server}/@{self.username}",
            "manuallyApprovesFollowers": False,
            "discoverable": True,
            "indexable": True,
            "published": "2023-04-01T00:00:00Z",
            "publicKey": {
                "id": self.key_id,
                "owner": self.uri,
                "publicKeyPem": self.public_pem(),
            },
            "endpoints": {"sharedInbox": self.shared_inbox},
            "icon": {
                "type": "Image",
                "mediaType": "image/png",
                "url": f"https://files.{self.server}/avatars/{self.username}.png",
            },
        }

    def sign(
        self, method: str, url: str, body: bytes | None = None, **extra: str
    ) -> dict[str, str]:
        """Headers as Mastodon signs a request: ``(request-target) host date digest
        content-type`` with rsa-sha256 (GETs without digest and content-type)."""
        parts = urlsplit(url)
        headers = {
            "Host": parts.netloc,
            "Date": format_datetime(datetime.now(UTC), usegmt=True),
            **extra,
        }
        names = ["(request-target)", "host", "date"]
        if body is not None:
            headers["Digest"] = (
                "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            )
            headers["Content-Type"] = "application/activity+json"
            names += ["digest", "content-type"]
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = []
        for name in names:
            if name == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {target}")
            else:
                value = next(v for k, v in headers.items() if k.lower() == name)
                lines.append(f"{name}: {value}")
        signature = self.key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        headers["Signature"] = (
            f'keyId="{self.key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
            f'signature="{base64.b64encode(signature).decode()}"'
        )
        return headers

    # Activities, as Mastodon shapes them ----------------------------------------------

    def follow(self, target: str) -> dict[str, Any]:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"https://{self.server}/{uuid.uuid4()}",
            "type": "Follow",
            "actor": self.uri,
            "object": target,
        }

    def undo(self, activity: dict[str, Any]) -> dict[str, Any]:
        inner = {key: value for key, value in activity.items() if key != "@context"}
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{self.uri}#follows/{uuid.uuid4().int % 10**6}/undo",
            "type": "Undo",
            "actor": self.uri,
            "object": inner,
        }

    def note(
        self,
        status_id: int,
        content: str,
        *,
        in_reply_to: str | None = None,
        mention: str | None = None,
        public: bool = True,
    ) -> dict[str, Any]:
        uri = f"{self.uri}/statuses/{status_id}"
        to = [PUBLIC] if public else [f"{self.uri}/followers"]
        cc = [f"{self.uri}/followers"] if public else []
        if mention:
            cc.append(mention)
        return {
            "id": uri,
            "type": "Note",
            "summary": None,
            "inReplyTo": in_reply_to,
            "published": "2026-11-20T10:00:00Z",
            "url": f"https://{self.server}/@{self.username}/{status_id}",
            "attributedTo": self.uri,
            "to": to,
            "cc": cc,
            "sensitive": False,
            "atomUri": uri,
            "inReplyToAtomUri": in_reply_to,
            "conversation": f"tag:{self.server},2026-11-20:objectId={status_id}:objectType=Conversation",
            "content": content,
            "contentMap": {"es": content},
            "attachment": [],
            "tag": [{"type": "Mention", "href": mention, "name": "@radio"}] if mention else [],
            "replies": {
                "id": f"{uri}/replies",
                "type": "Collection",
                "first": {
                    "type": "CollectionPage",
                    "next": f"{uri}/replies?only_other_accounts=true&page=true",
                    "partOf": f"{uri}/replies",
                    "items": [],
                },
            },
        }

    def create(self, note: dict[str, Any]) -> dict[str, Any]:
        return {
            "@context": MASTODON_CONTEXT,
            "id": f"{note['id']}/activity",
            "type": "Create",
            "actor": self.uri,
            "published": note["published"],
            "to": note["to"],
            "cc": note["cc"],
            "object": note,
        }

    def delete(self, uri: str) -> dict[str, Any]:
        return {
            "@context": MASTODON_CONTEXT,
            "id": f"{uri}#delete",
            "type": "Delete",
            "actor": self.uri,
            "to": [PUBLIC],
            "object": {"id": uri, "type": "Tombstone", "atomUri": uri},
        }

    def delete_self(self) -> dict[str, Any]:
        return {
            "@context": MASTODON_CONTEXT,
            "id": f"{self.uri}#delete",
            "type": "Delete",
            "actor": self.uri,
            "to": [PUBLIC],
            "object": self.uri,
        }

    def announce(self, status_id: int, target: str) -> dict[str, Any]:
        return {
            "@context": MASTODON_CONTEXT,
            "id": f"{self.uri}/statuses/{status_id}/activity",
            "type": "Announce",
            "actor": self.uri,
            "published": "2026-11-20T11:00:00Z",
            "to": [PUBLIC],
            "cc": [f"{self.uri}/followers"],
            "object": target,
        }

    def like(self, number: int, target: str) -> dict[str, Any]:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{self.uri}#likes/{number}",
            "type": "Like",
            "actor": self.uri,
            "object": target,
        }


class Fediverse:
    """Serves remote documents to our fetches and keeps what we post to remote inboxes."""

    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.posted: list[tuple[str, dict[str, str], bytes]] = []
        self.failing: dict[str, int] = {}  # inbox -> status to answer
        self.fetched: list[tuple[str, dict[str, str]]] = []

    def account(self, username: str, server: str = "mastodon.example") -> Account:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        account = Account(server, username, key)
        self.documents[account.uri] = account.document()
        self.documents[
            f"https://{server}/.well-known/webfinger?resource=acct%3A{username}%40{server}"
        ] = {
            "subject": f"acct:{username}@{server}",
            "links": [{"rel": "self", "type": "application/activity+json", "href": account.uri}],
        }
        return account

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Any = None,
        body: bytes | None = None,
        **_kwargs: Any,
    ) -> Response:
        headers = dict(headers or {})
        if method == "GET":
            self.fetched.append((url, headers))
            document = self.documents.get(url)
            if document is None:
                parts = urlsplit(url)
                query = parse_qs(parts.query)
                if parts.path == "/.well-known/webfinger" and "resource" in query:
                    raise FetchRefusedError("not found")
                return Response(404, {}, b"{}", url)
            return Response(
                200,
                {"content-type": "application/activity+json"},
                json.dumps(document).encode(),
                url,
            )
        self.posted.append((url, headers, body or b""))
        status = self.failing.get(url, 202)
        return Response(status, {}, b"", url)

    def activities_to(self, inbox: str) -> list[dict[str, Any]]:
        return [json.loads(body) for url, _headers, body in self.posted if url == inbox]
