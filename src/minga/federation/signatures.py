"""HTTP Signatures: how our requests are signed and how incoming ones are verified.

Outgoing requests are signed as Mastodon signs them (draft-cavage-http-signatures, version
12: ``rsa-sha256`` over ``(request-target) host date digest``, with a ``Digest`` of the body).
Incoming requests may be signed that way (``rsa-sha256``, or ``hs2019`` with an RSA or
Ed25519 key) or with RFC 9421 HTTP Message Signatures (``Signature-Input``), which Fedify
and newer servers send; those are verified with the ``http-message-signatures`` library.
Either way the signature must cover the method and target, the host, the time, and, for a
body, its digest; the time must be recent; the digest must match the body.

This module does no I/O: callers look keys up (``verify(request, public_key_pem)``).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import http_sf
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from http_message_signatures import HTTPMessageVerifier, HTTPSignatureKeyResolver, algorithms
from http_message_signatures.exceptions import HTTPMessageSignaturesException

# Mastodon accepts signatures up to 12 hours old and allows an hour of clock skew.
MAX_AGE = timedelta(hours=12)
CLOCK_SKEW = timedelta(hours=1)
_PARAMETER = re.compile(r'(\w+)=(?:"([^"]*)"|(\d+))')


class SignatureError(Exception):
    """A request whose signature is missing, malformed, stale or wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IncomingRequest:
    """What verification needs of a received request."""

    method: str
    url: str  # the absolute target URI, as the sender addressed it
    headers: Mapping[str, str]  # names in any case
    body: bytes = b""
    _lower: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._lower.update({name.lower(): value for name, value in self.headers.items()})

    def header(self, name: str) -> str | None:
        return self._lower.get(name.lower())

    @property
    def request_target(self) -> str:
        parts = urlsplit(self.url)
        return f"{self.method.lower()} {parts.path or '/'}" + (
            f"?{parts.query}" if parts.query else ""
        )


@lru_cache(maxsize=256)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("Our signing keys are RSA keys.")
    return key


@lru_cache(maxsize=2048)
def _public_key(pem: str) -> Any:
    try:
        return serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise SignatureError("unreadable public key") from error


def new_key_pair() -> tuple[str, str]:
    """A new RSA 2048 key pair as (private PEM, public PEM): what Mastodon expects."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def sign(
    *,
    method: str,
    url: str,
    key_id: str,
    private_pem: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> dict[str, str]:
    """The headers of a signed request (draft-cavage ``rsa-sha256``), ``headers`` included."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    signed: dict[str, str] = dict(headers or {})
    signed["Host"] = parts.netloc
    signed["Date"] = http_date(now or datetime.now(UTC))
    names = ["(request-target)", "host", "date"]
    if body is not None:
        signed["Digest"] = digest(body)
        signed.setdefault("Content-Type", "application/activity+json")
        names += ["digest", "content-type"]
    lower = {name.lower(): value for name, value in signed.items()}
    lines = [
        f"(request-target): {method.lower()} {target}"
        if name == "(request-target)"
        else f"{name}: {lower[name]}"
        for name in names
    ]
    signature = _private_key(private_pem).sign(
        "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    signed["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return signed


def _cavage_parameters(request: IncomingRequest) -> dict[str, str] | None:
    header = request.header("Signature")
    if not header:
        authorization = request.header("Authorization") or ""
        if authorization[:10].lower() == "signature ":
            header = authorization[10:]
    if not header:
        return None
    return {match[0]: match[1] or match[2] for match in _PARAMETER.findall(header)}


def scheme_of(request: IncomingRequest) -> str | None:
    """``rfc9421``, ``cavage``, or None for an unsigned request."""
    if request.header("Signature-Input"):
        return "rfc9421"
    if _cavage_parameters(request) is not None:
        return "cavage"
    return None


def key_id_of(request: IncomingRequest) -> str:
    """The identifier of the key the request says it is signed with."""
    scheme = scheme_of(request)
    if scheme == "rfc9421":
        _label, parameters = _rfc9421_input(request)
        key_id = parameters.get("keyid")
        if not isinstance(key_id, str) or not key_id:
            raise SignatureError("the signature names no key")
        return key_id
    if scheme == "cavage":
        parameters = _cavage_parameters(request) or {}
        if not parameters.get("keyId"):
            raise SignatureError("the signature names no key")
        return parameters["keyId"]
    raise SignatureError("the request is not signed")


def verify(request: IncomingRequest, public_pem: str, *, now: datetime | None = None) -> str:
    """Check the request's signature with the sender's public key; returns the scheme."""
    scheme = scheme_of(request)
    if scheme == "rfc9421":
        _verify_rfc9421(request, public_pem)
    elif scheme == "cavage":
        _verify_cavage(request, public_pem, now or datetime.now(UTC))
    else:
        raise SignatureError("the request is not signed")
    return scheme


def _timestamp(value: str) -> datetime | None:
    """A signature's ``created`` or ``expires`` (seconds since 1970), or None when it is not
    a time a clock can show (not decimal digits, or out of the calendar's range)."""
    if not value.isdecimal() or len(value) > 12:
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _check_time(moment: datetime, now: datetime) -> None:
    if moment > now + CLOCK_SKEW:
        raise SignatureError("the request is dated in the future")
    if moment < now - MAX_AGE - CLOCK_SKEW:
        raise SignatureError("the request is too old")


def _check_digest(request: IncomingRequest) -> None:
    header = request.header("Digest")
    if not header:
        raise SignatureError("the body has no digest")
    expected = {
        "sha-256": hashlib.sha256(request.body).digest(),
        "sha-512": hashlib.sha512(request.body).digest(),
    }
    checked = False
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        algorithm = name.strip().lower()
        if algorithm not in expected:
            continue
        try:
            given = base64.b64decode(value.strip(), validate=True)
        except ValueError as error:
            raise SignatureError("the digest is malformed") from error
        if given != expected[algorithm]:
            raise SignatureError("the digest does not match the body")
        checked = True
    if not checked:
        raise SignatureError("the digest uses no algorithm we know")


def _verify_cavage(request: IncomingRequest, public_pem: str, now: datetime) -> None:
    parameters = _cavage_parameters(request) or {}
    if "signature" not in parameters:
        raise SignatureError("the signature is malformed")
    names = (parameters.get("headers") or "date").lower().split()
    if "(request-target)" not in names or "host" not in names:
        raise SignatureError("the signature must cover the request target and host")
    if "date" in names:
        date_header = request.header("Date")
        if not date_header:
            raise SignatureError("the signed Date header is missing")
        try:
            moment = parsedate_to_datetime(date_header)
        except (TypeError, ValueError) as error:
            raise SignatureError("the Date header is malformed") from error
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        _check_time(moment, now)
    elif "(created)" in names and (created := _timestamp(parameters.get("created", ""))):
        _check_time(created, now)
    else:
        raise SignatureError("the signature must cover the time of the request")
    if "(expires)" in names:
        # Whole seconds: the draft allows decimals for expiry (subsecond precision).
        expires = _timestamp(parameters.get("expires", "").partition(".")[0])
        if expires is None:
            raise SignatureError("the signature's expiry is malformed")
        if expires < now - CLOCK_SKEW:
            raise SignatureError("the signature has expired")
    if request.body or request.method.upper() == "POST":
        if "digest" not in names:
            raise SignatureError("the signature must cover the body's digest")
        _check_digest(request)
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {request.request_target}")
        elif name in ("(created)", "(expires)"):
            lines.append(f"{name}: {parameters.get(name[1:-1], '')}")
        else:
            value = request.header(name)
            if value is None:
                raise SignatureError(f"the signed header {name} is missing")
            lines.append(f"{name}: {value.strip()}")
    message = "\n".join(lines).encode()
    try:
        signature = base64.b64decode(parameters["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("the signature is malformed") from error
    key = _public_key(public_pem)
    algorithm = (parameters.get("algorithm") or "hs2019").lower()
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm in ("rsa-sha256", "hs2019"):
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, rsa.RSAPublicKey) and algorithm == "rsa-sha512":
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA512())
        elif isinstance(key, ed25519.Ed25519PublicKey) and algorithm in ("ed25519", "hs2019"):
            key.verify(signature, message)
        else:
            raise SignatureError("the signature's algorithm does not fit the key")
    except CryptoInvalidSignature as error:
        raise SignatureError("the signature does not match") from error


def _rfc9421_input(request: IncomingRequest) -> tuple[str, dict[str, Any]]:
    try:
        inputs = http_sf.parse(
            (request.header("Signature-Input") or "").encode(), tltype="dictionary"
        )
    except Exception as error:  # the parser raises its own errors for malformed fields
        raise SignatureError("the Signature-Input header is malformed") from error
    if not isinstance(inputs, dict) or len(inputs) != 1:
        raise SignatureError("exactly one signature is expected")
    entry: Any = next(iter(inputs.items()))  # (label, (components, parameters))
    label, (_components, parameters) = entry
    return str(label), dict(parameters)


_RFC9421_ALGORITHMS: dict[str, Any] = {
    "rsa-v1_5-sha256": algorithms.RSA_V1_5_SHA256,
    "rsa-pss-sha512": algorithms.RSA_PSS_SHA512,
    "ed25519": algorithms.ED25519,
}


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key_id: str, key: Any) -> None:
        self.key_id, self.key = key_id, key

    def resolve_public_key(self, key_id: str) -> Any:
        return self.key if key_id == self.key_id else None


def _verify_rfc9421(request: IncomingRequest, public_pem: str) -> None:
    _label, parameters = _rfc9421_input(request)
    key = _public_key(public_pem)
    algorithm_id = parameters.get("alg")
    if not algorithm_id:
        algorithm_id = "ed25519" if isinstance(key, ed25519.Ed25519PublicKey) else "rsa-v1_5-sha256"
    algorithm = _RFC9421_ALGORITHMS.get(str(algorithm_id))
    if algorithm is None:
        raise SignatureError("the signature's algorithm is not supported")
    verifier = HTTPMessageVerifier(
        signature_algorithm=algorithm,
        key_resolver=_OneKey(str(parameters.get("keyid", "")), key),
    )
    verifier.max_clock_skew = CLOCK_SKEW
    message = SimpleNamespace(
        method=request.method.upper(), url=request.url, headers=dict(request.headers)
    )
    try:
        results = verifier.verify(
            message,
            max_age=MAX_AGE,
            body=request.body if request.body or request.method.upper() == "POST" else None,
        )
    except (HTTPMessageSignaturesException, ValueError) as error:
        raise SignatureError(f"the signature does not verify ({error})") from error
    covered = {name.split(";")[0].strip('"') for name in results[0].covered_components}
    if "@method" not in covered:
        raise SignatureError("the signature must cover the method")
    if "@target-uri" not in covered and not {"@authority", "@path"} <= covered:
        raise SignatureError("the signature must cover the target")
