"""The server's signing key: where it lives (as it always has), and rotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from minga.common import signing


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Path:
    monkeypatch.delenv("MINGA_SIGNING_KEY_FILE", raising=False)
    monkeypatch.delenv("MINGA_LEDGER_KEY_FILE", raising=False)
    settings.DATA_DIR = tmp_path
    signing._load.cache_clear()
    yield tmp_path
    signing._load.cache_clear()


def test_the_key_stays_where_the_ledger_kept_it(fresh: Path) -> None:
    """Created on first use in $MINGA_DATA_DIR/ledger/ed25519.pem, readable by its owner only."""
    signature = signing.sign(b"hola")
    path = fresh / "ledger" / "ed25519.pem"
    assert signing.key_path() == path and path.exists()
    assert path.stat().st_mode & 0o777 == 0o600
    Ed25519PublicKey.from_public_bytes(signing.public_key_bytes()).verify(signature, b"hola")


def test_the_key_file_can_be_named_by_either_variable(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINGA_LEDGER_KEY_FILE", str(fresh / "old-name.pem"))
    assert signing.key_path() == fresh / "old-name.pem"
    monkeypatch.setenv("MINGA_SIGNING_KEY_FILE", str(fresh / "new-name.pem"))
    assert signing.key_path() == fresh / "new-name.pem"


def test_rotation_keeps_old_signatures_verifiable(fresh: Path) -> None:
    old_key = signing.public_key_bytes()
    signature = signing.sign(b"bloque")
    old_id, new_id = signing.rotate()
    assert old_id != new_id and (fresh / "ledger" / "retired" / f"{old_id}.pub").exists()
    verifier = signing.SignatureVerifier(signing.known_public_keys())
    assert verifier(b"bloque", signature, old_id)
    assert signing.public_key_bytes() != old_key
