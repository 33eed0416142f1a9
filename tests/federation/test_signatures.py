"""HTTP Signatures: ours verify as Mastodon expects; Mastodon's and RFC 9421 ones verify
here; anything tampered, stale or unsigned is refused. Pure functions, no database."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.federation import signatures
from minga.federation.signatures import IncomingRequest, SignatureError
from tests.federation.fediverse import Account

INBOX = "https://minga.test/ap/inbox"
KEYS = signatures.new_key_pair()


@pytest.fixture(scope="module")
def alice() -> Account:
    return Account("mastodon.example", "alice", rsa.generate_private_key(65537, 2048))


def _incoming(
    headers: dict[str, str], body: bytes, url: str = INBOX, method: str = "POST"
) -> IncomingRequest:
    return IncomingRequest(method=method, url=url, headers=headers, body=body)


def test_a_mastodon_signed_post_verifies(alice: Account) -> None:
    """A POST signed as Mastodon signs (rsa-sha256 over target, host, date, digest,
    content-type) verifies with the sender's key."""
    body = b'{"type":"Follow"}'
    headers = alice.sign("POST", INBOX, body)
    assert signatures.key_id_of(_incoming(headers, body)) == alice.key_id
    assert signatures.verify(_incoming(headers, body), alice.public_pem()) == "cavage"


def test_our_signature_is_checkable_as_mastodon_checks_it() -> None:
    """Our signing string is rebuilt independently here, as a receiving server would,
    and the signature verifies with our public key."""
    private, public = signatures.new_key_pair()
    body = b'{"type":"Create"}'
    url = "https://mastodon.example/inbox"
    headers = signatures.sign(
        method="POST",
        url=url,
        key_id="https://minga.test/ap/actors/x#main-key",
        private_pem=private,
        body=body,
    )
    fields = dict(part.split("=", 1) for part in headers["Signature"].split(","))
    assert fields["algorithm"] == '"rsa-sha256"'
    names = fields["headers"].strip('"').split()
    assert names[:4] == ["(request-target)", "host", "date", "digest"]
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append("(request-target): post /inbox")
        else:
            lines.append(f"{name}: {next(v for k, v in headers.items() if k.lower() == name)}")
    key = serialization.load_pem_public_key(public.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(
        base64.b64decode(fields["signature"].strip('"')),
        "\n".join(lines).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert (
        headers["Digest"] == "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    )
    assert headers["Host"] == "mastodon.example"


def test_a_tampered_body_is_refused(alice: Account) -> None:
    body = b'{"type":"Follow"}'
    headers = alice.sign("POST", INBOX, body)
    with pytest.raises(SignatureError, match="digest"):
        signatures.verify(_incoming(headers, b'{"type":"Delete"}'), alice.public_pem())


def test_a_changed_target_or_host_is_refused(alice: Account) -> None:
    """A signature made for another inbox does not verify on ours."""
    body = b"{}"
    headers = alice.sign("POST", "https://minga.test/ap/actors/1/inbox", body)
    with pytest.raises(SignatureError, match="does not match"):
        signatures.verify(_incoming(headers, body), alice.public_pem())


def test_someone_elses_key_is_refused(alice: Account) -> None:
    mallory = Account("evil.example", "mallory", rsa.generate_private_key(65537, 2048))
    body = b"{}"
    headers = mallory.sign("POST", INBOX, body)
    with pytest.raises(SignatureError):
        signatures.verify(_incoming(headers, body), alice.public_pem())


def test_a_stale_or_future_date_is_refused(alice: Account) -> None:
    body = b"{}"
    for moment in (datetime.now(UTC) - timedelta(hours=14), datetime.now(UTC) + timedelta(hours=2)):
        headers = alice.sign("POST", INBOX, body, Date=format_datetime(moment, usegmt=True))
        with pytest.raises(SignatureError):
            signatures.verify(_incoming(headers, body), alice.public_pem())


def test_an_unsigned_request_or_one_without_digest_is_refused(alice: Account) -> None:
    with pytest.raises(SignatureError, match="not signed"):
        signatures.verify(_incoming({"Host": "minga.test"}, b"{}"), alice.public_pem())
    body = b"{}"
    headers = alice.sign("GET", INBOX)  # covers no digest, but a body is sent
    with pytest.raises(SignatureError, match="digest"):
        signatures.verify(_incoming(headers, body), alice.public_pem())


def test_a_signed_get_verifies(alice: Account) -> None:
    """Authorized fetch: a GET signed without body verifies."""
    url = "https://minga.test/ap/actors/1"
    headers = alice.sign("GET", url, Accept="application/activity+json")
    assert (
        signatures.verify(_incoming(headers, b"", url=url, method="GET"), alice.public_pem())
        == "cavage"
    )


class _Keys(HTTPSignatureKeyResolver):
    def __init__(self, key_id: str, key: object) -> None:
        self.key_id, self.key = key_id, key

    def resolve_private_key(self, key_id: str) -> object:
        return self.key


def _rfc9421(private_key: object, algorithm: type, body: bytes, key_id: str) -> dict[str, str]:
    message = SimpleNamespace(
        method="POST",
        url=INBOX,
        headers={
            "Host": "minga.test",
            "Content-Type": "application/activity+json",
            "Date": format_datetime(datetime.now(UTC), usegmt=True),
        },
    )
    signer = HTTPMessageSigner(
        signature_algorithm=algorithm, key_resolver=_Keys(key_id, private_key)
    )
    signer.sign(
        message,
        key_id=key_id,
        label="sig1",
        covered_component_ids=("@method", "@target-uri", "content-digest"),
        body=body,
    )
    return dict(message.headers)


def test_rfc9421_signatures_verify_with_rsa_and_ed25519() -> None:
    """HTTP Message Signatures as Fedify sends them (RSA), and with Ed25519 keys."""
    body = b'{"type":"Follow"}'
    rsa_key = rsa.generate_private_key(65537, 2048)
    pem = (
        rsa_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    headers = _rfc9421(
        rsa_key, algorithms.RSA_V1_5_SHA256, body, "https://fedify.example/users/bob#main-key"
    )
    incoming = _incoming(headers, body)
    assert signatures.key_id_of(incoming) == "https://fedify.example/users/bob#main-key"
    assert signatures.verify(incoming, pem) == "rfc9421"
    with pytest.raises(SignatureError):
        signatures.verify(_incoming(headers, b'{"type":"Delete"}'), pem)
    edkey = ed25519.Ed25519PrivateKey.generate()
    edpem = (
        edkey.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    headers = _rfc9421(edkey, algorithms.ED25519, body, "https://fedify.example/users/bob#ed")
    assert signatures.verify(_incoming(headers, body), edpem) == "rfc9421"


@settings(max_examples=25, deadline=None)
@given(body=st.binary(max_size=300), flip=st.integers(min_value=0, max_value=299))
def test_any_change_to_a_signed_body_is_caught(body: bytes, flip: int) -> None:
    """Invariant: a signature verifies for its body and for no other."""
    private, public = KEYS
    headers = signatures.sign(method="POST", url=INBOX, key_id="k", private_pem=private, body=body)
    assert signatures.verify(_incoming(headers, body), public) == "cavage"
    if body:
        changed = bytearray(body)
        changed[flip % len(body)] ^= 0x01
        with pytest.raises(SignatureError):
            signatures.verify(_incoming(headers, bytes(changed)), public)


@pytest.mark.parametrize(
    ("created", "expires"),
    [
        ("²", None),
        ("9" * 5000, None),
        ("999999999999", None),
        ("NOW", None),
        (None, "²"),
        (None, "9" * 40),
        (None, "1.5e9"),
    ],
)
def test_an_odd_created_or_expires_is_refused_not_crashed(
    created: str | None, expires: str | None
) -> None:
    """A signature's time written as a digit int() refuses ("²"), thousands of digits, a
    year past the calendar or words is a refusal, never an unhandled error."""
    now = int(datetime.now(UTC).timestamp())
    names = ["(request-target)", "host", "(created)"] + (["(expires)"] if expires else [])
    parts = {
        "keyId": '"https://mastodon.example/users/alice#main-key"',
        "algorithm": '"hs2019"',
        "headers": f'"{" ".join(names)}"',
        "created": created if created is not None else str(now),
        "signature": '"AAAA"',
    }
    if expires is not None:
        parts["expires"] = expires
    header = ",".join(f"{key}={value}" for key, value in parts.items())
    request = _incoming({"Host": "minga.test", "Signature": header}, b"", method="GET")
    with pytest.raises(SignatureError):
        signatures.verify(request, KEYS[1])
