"""Certificates in a compact signed form, checkable offline with only a public key.

The form (documented in the README's education section) is three dot-separated parts, in
the spirit of a compact JWS::

    mc1.<payload>.<signature>

``payload`` is the base64url (no padding) of the certificate's claims as canonical JSON
(UTF-8, keys sorted, no spaces); ``signature`` is the base64url of the Ed25519 signature
of the ASCII bytes ``mc1.<payload>``. The claims name the signing key (``kid``: the hex
SHA-256 of the raw 32-byte public key), so a verifier holding several keys (a server's
rotations) knows which one to use. A certificate's *status* (revoked or not) is not in
the signed form: only the issuing server knows it, at the verification URL in ``url``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

PREFIX = "mc1"
MAX_TOKEN_LENGTH = 8192


class InvalidCertificateError(ValueError):
    """The text is not a certificate of this form, or its signature does not hold."""


@dataclass(frozen=True)
class Claims:
    code: str
    holder: str
    course: str
    school: str
    language: str
    starts_on: str
    ends_on: str
    hours: int
    issued_on: str
    url: str
    kid: str = ""


@dataclass(frozen=True)
class Verified:
    claims: Claims
    key_id: str


def key_id(raw_public_key: bytes) -> str:
    return hashlib.sha256(raw_public_key).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or any(c not in _URLSAFE for c in text):
        raise InvalidCertificateError("a part is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidCertificateError("a part is not base64url") from error


_URLSAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def canonical_payload(claims: Claims) -> bytes:
    return json.dumps(
        asdict(claims), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def sign(claims: Claims, *, signer: Callable[[bytes], bytes], raw_public_key: bytes) -> str:
    """The compact form of ``claims``, signed by ``signer`` (whose public key is given)."""
    named = Claims(**{**asdict(claims), "kid": key_id(raw_public_key)})
    head = f"{PREFIX}.{_b64(canonical_payload(named))}"
    return f"{head}.{_b64(signer(head.encode('ascii')))}"


def decode(token: str) -> tuple[Claims, bytes, bytes]:
    """The claims, the signed message and the signature, without checking the signature."""
    token = token.strip()
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidCertificateError("too long to be a certificate")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise InvalidCertificateError(
            f"not a certificate of the form {PREFIX}.<payload>.<signature>"
        )
    try:
        data = json.loads(_unb64(parts[1]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidCertificateError("the payload is not JSON") from error
    names = {f.name: f.type for f in fields(Claims)}
    if not isinstance(data, dict) or set(data) != set(names):
        raise InvalidCertificateError("the payload does not hold a certificate's claims")
    for name, value in data.items():
        expected = int if name == "hours" else str
        if type(value) is not expected:
            raise InvalidCertificateError(f"the claim {name!r} has the wrong type")
    return Claims(**data), f"{parts[0]}.{parts[1]}".encode("ascii"), _unb64(parts[2])


def verify(token: str, public_keys: Iterable[bytes]) -> Verified:
    """The claims of ``token`` if one of ``public_keys`` (raw 32 bytes) signed it.

    Raises :class:`InvalidCertificateError` for anything else: another form, altered claims, a
    signature by an unknown key.
    """
    claims, message, signature = decode(token)
    keys = {key_id(raw): raw for raw in public_keys}
    raw = keys.get(claims.kid)
    if raw is None:
        raise InvalidCertificateError("signed by a key that is not among the trusted keys")
    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
    except (InvalidSignature, ValueError) as error:
        raise InvalidCertificateError(
            "the signature does not match: the certificate was altered"
        ) from error
    return Verified(claims=claims, key_id=claims.kid)


def read_public_key(text: str) -> bytes:
    """A raw Ed25519 public key from a PEM file or a base64 (standard or url-safe) line."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidCertificateError("the public key is not an Ed25519 key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidCertificateError("the public key is neither PEM nor base64") from error
    if len(raw) != 32:
        raise InvalidCertificateError("an Ed25519 public key has 32 bytes")
    return raw
