"""The server's Ed25519 signing key, for any module that signs what it publishes.

The ledger signs its blocks with it; certificates and other signed documents use the same
key, so that one public key (and its rotations) proves that this server published them.

The key is kept outside the database and the repository, in
``$MINGA_DATA_DIR/ledger/ed25519.pem`` (created on first use, readable only by the server's
user; the directory keeps its historical name, from when only the ledger signed) or at
``MINGA_SIGNING_KEY_FILE`` (``MINGA_LEDGER_KEY_FILE``, the earlier name, is still read).
:func:`rotate` retires the key: its public half is kept in ``retired/`` beside it and the
private half destroyed, so everything signed before keeps verifying. Losing the key loses no
data: what was signed stays verifiable with the public keys in every export.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

_lock = threading.Lock()


def key_path() -> Path:
    configured = os.environ.get("MINGA_SIGNING_KEY_FILE") or os.environ.get("MINGA_LEDGER_KEY_FILE")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "ledger" / "ed25519.pem"


@lru_cache(maxsize=4)
def _load(path: Path) -> Ed25519PrivateKey:
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            # Created with owner-only permissions, atomically, so no reader ever sees half.
            temporary = path.with_suffix(".tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
            os.replace(temporary, path)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise TypeError(f"{path} does not hold an Ed25519 private key")
    return key


def signing_key() -> Ed25519PrivateKey:
    return _load(key_path())


def public_key_bytes(key: Ed25519PublicKey | None = None) -> bytes:
    public = key or signing_key().public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(raw_public_key: bytes | None = None) -> str:
    return hashlib.sha256(raw_public_key or public_key_bytes()).hexdigest()


def sign(message: bytes) -> bytes:
    return signing_key().sign(message)


class SignatureVerifier:
    """Checks each block's signature with the key it names, among trusted public keys."""

    def __init__(self, raw_public_keys: list[bytes]) -> None:
        self.keys = {
            key_id(raw): Ed25519PublicKey.from_public_bytes(raw) for raw in raw_public_keys
        }

    def __call__(self, message: bytes, signature: bytes, block_key_id: str) -> bool:
        # Blocks from before key ids were recorded may name none: any trusted key may do.
        candidates = [self.keys[block_key_id]] if block_key_id in self.keys else []
        if not block_key_id:
            candidates = list(self.keys.values())
        for public_key in candidates:
            try:
                public_key.verify(signature, message)
            except InvalidSignature:
                continue
            return True
        return False


def retired_dir() -> Path:
    return key_path().parent / "retired"


def known_public_keys() -> list[bytes]:
    """This server's current public key and every key it used before a rotation."""
    retired = sorted(retired_dir().glob("*.pub")) if retired_dir().exists() else []
    return [public_key_bytes(), *(base64.b64decode(path.read_text()) for path in retired)]


def rotate() -> tuple[str, str]:
    """Start signing with a new key; the old public key is kept so old blocks still verify.

    The old private key is destroyed: nothing can be signed with it any more.
    """
    old_raw = public_key_bytes()
    old_id = key_id(old_raw)
    retired_dir().mkdir(parents=True, exist_ok=True)
    (retired_dir() / f"{old_id}.pub").write_text(base64.b64encode(old_raw).decode())
    path = key_path()
    path.unlink()
    _load.cache_clear()
    return old_id, key_id()
