"""Encryption at rest of the legal cases: authenticated encryption (AES-256-GCM, from
``cryptography``) under keys that are never in the database.

Envelope encryption:

- The **master keys** (the keyring) come from the environment (``MINGA_CASES_KEYS``) or
  from a key file outside the data directory (``MINGA_CASES_KEY_FILE``): one key a line,
  ``id:key`` with the key 32 random bytes in URL-safe base64; the first line is the
  current key, the others only still decrypt (during a rotation).
- Each case has its own **data key**, random, stored only *wrapped* (encrypted) by a master
  key, with the id of that master key. Every sealed value of the case is encrypted under
  the data key. Deleting the wrapped key makes whatever copy of the case's ciphertext
  survives (a backup, free pages of the database file) unreadable for good.
- Every ciphertext is bound to its place by associated data (the case, the kind of record
  and the record's id), so a sealed value copied into another case or field does not open.

A value is stored as ``nonce (12 bytes) || ciphertext || tag``; nonces are random (96 bits,
far from the birthday bound for the number of values a case holds).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyNotConfiguredError(Exception):
    """No usable keyring: the message says what is wrong, for the operator."""


class SealBrokenError(Exception):
    """A sealed value does not open: wrong key, wrong place, or altered bytes."""


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]  # (id, key), the current key first

    @property
    def current(self) -> tuple[str, bytes]:
        return self.keys[0]

    def get(self, key_id: str) -> bytes:
        for known, key in self.keys:
            if known == key_id:
                return key
        raise SealBrokenError(f"The master key {key_id!r} is not in the keyring.")

    def lines(self) -> str:
        return "".join(f"{key_id}:{_b64(key)}\n" for key_id, key in self.keys)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def parse_keyring(text: str) -> Keyring:
    """A keyring from ``id:key`` lines (or comma-separated entries); errors name the line."""
    entries = [part.strip() for line in text.splitlines() for part in line.split(",")]
    keys: list[tuple[str, bytes]] = []
    for number, entry in enumerate((e for e in entries if e and not e.startswith("#")), 1):
        key_id, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyNotConfiguredError(
                f"key {number}: write it as ID:KEY (ID of letters, digits, - or _)."
            )
        try:
            key = base64.urlsafe_b64decode(encoded.strip().encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise KeyNotConfiguredError(f"key {number}: the key is not URL-safe base64.") from None
        if len(key) != KEY_BYTES:
            raise KeyNotConfiguredError(f"key {number}: the key must be {KEY_BYTES} bytes.")
        if any(known == key_id for known, _key in keys):
            raise KeyNotConfiguredError(f"key {number}: the id {key_id!r} is used twice.")
        keys.append((key_id, key))
    if not keys:
        raise KeyNotConfiguredError("the keyring holds no key.")
    return Keyring(tuple(keys))


def new_key_line() -> str:
    """A fresh master key as a keyring line (what ``make run`` and rotation write)."""
    return f"k{secrets.token_hex(4)}:{_b64(AESGCM.generate_key(bit_length=256))}"


def key_file() -> Path | None:
    name = str(getattr(settings, "CASES_KEY_FILE", "") or "")
    return Path(name).expanduser().resolve() if name else None


_cache: dict[tuple[str, str, float], Keyring] = {}


def configured_keyring() -> Keyring:
    """The keyring from the environment's keys, else from the key file.

    Raises :class:`KeyNotConfiguredError` with a message for the operator when there is none, or
    when the key file sits inside the data directory (where backups would carry it along
    with the ciphertext it protects).
    """
    text = str(getattr(settings, "CASES_KEYS", "") or "")
    path = key_file()
    stamp = 0.0
    if not text:
        if path is None:
            raise KeyNotConfiguredError(
                "no key for the legal cases: set MINGA_CASES_KEY_FILE to a key file outside "
                "the data directory (or MINGA_CASES_KEYS). `make run` makes one; else write "
                "one with: minga cases new-key > FILE"
            )
        for inside in (Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)):
            if path.is_relative_to(inside.resolve()):
                raise KeyNotConfiguredError(
                    f"the key file {path} is inside the data directory {inside}: move it "
                    "out, so that backups of the data never carry the key."
                )
        try:
            stamp = path.stat().st_mtime
        except OSError as error:
            raise KeyNotConfiguredError(f"the key file {path} cannot be read ({error}).") from None
    cache_key = (text, str(path), stamp)
    if cache_key not in _cache:
        if not text and path is not None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise KeyNotConfiguredError(
                    f"the key file {path} cannot be read ({error})."
                ) from None
        _cache.clear()
        _cache[cache_key] = parse_keyring(text)
    return _cache[cache_key]


def write_key_file(path: Path, keyring: Keyring) -> None:
    """Replace the key file at once (a temporary file renamed over it), readable by its
    owner only: a crash leaves the old file or the new one, never half of one."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(keyring.lines())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    _cache.clear()


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, place: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, place.encode("utf-8"))


def unseal(key: bytes, sealed: bytes, place: str) -> bytes:
    sealed = bytes(sealed)
    if len(sealed) < NONCE_BYTES + 16:
        raise SealBrokenError("The sealed value is too short.")
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], place.encode())
    except InvalidTag:
        raise SealBrokenError("The sealed value does not open here.") from None


def wrap(keyring: Keyring, data_key: bytes, place: str) -> tuple[str, bytes]:
    """The data key sealed by the current master key, with that key's id."""
    key_id, master = keyring.current
    return key_id, seal(master, data_key, f"data-key|{place}")


def unwrap(keyring: Keyring, key_id: str, wrapped: bytes, place: str) -> bytes:
    return unseal(keyring.get(key_id), wrapped, f"data-key|{place}")


def seal_json(key: bytes, value: Any, place: str) -> bytes:
    return seal(key, json.dumps(value, ensure_ascii=False).encode("utf-8"), place)


def unseal_json(key: bytes, sealed: bytes, place: str) -> Any:
    return json.loads(unseal(key, sealed, place).decode("utf-8"))
