"""The compact signed form: round trip, any change refused, rotated keys, the offline CLI."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.education import certificates as form
from minga.core.education.command import main

KEY = Ed25519PrivateKey.generate()
RAW = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

claims = st.builds(
    form.Claims,
    code=st.text("0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=10, max_size=10),
    holder=st.text(min_size=1, max_size=60),
    course=st.text(min_size=1, max_size=80),
    school=st.text(max_size=40),
    language=st.sampled_from(["es", "pt", "fr", "ht"]),
    starts_on=st.dates().map(str),
    ends_on=st.dates().map(str),
    hours=st.integers(min_value=0, max_value=10_000),
    issued_on=st.dates().map(str),
    url=st.just("https://minga.example/education/certificates/X/"),
)


@given(claims)
def test_what_is_signed_verifies_with_its_claims(original: form.Claims) -> None:
    token = form.sign(original, signer=KEY.sign, raw_public_key=RAW)
    verified = form.verify(token, [RAW])
    assert verified.claims == form.Claims(**{**original.__dict__, "kid": form.key_id(RAW)})


@settings(max_examples=60)
@given(claims, st.data())
def test_changing_any_character_is_refused(original: form.Claims, data: st.DataObject) -> None:
    token = form.sign(original, signer=KEY.sign, raw_public_key=RAW)
    position = data.draw(st.integers(min_value=0, max_value=len(token) - 1))
    replacement = data.draw(st.sampled_from("Aa0_-.x"))
    altered = token[:position] + replacement + token[position + 1 :]
    if altered != token:
        try:
            verified = form.verify(altered, [RAW])
        except form.InvalidCertificateError:
            return
        # base64url's last character may carry unused bits: the same bytes, the same claims.
        assert verified.claims == form.verify(token, [RAW]).claims


def test_a_rotated_key_still_verifies_old_certificates_and_unknown_keys_are_refused() -> None:
    old = Ed25519PrivateKey.generate()
    old_raw = old.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    token = form.sign(
        form.Claims("C", "H", "K", "S", "es", "2026-01-01", "2026-02-01", 3, "2026-02-02", "u"),
        signer=old.sign,
        raw_public_key=old_raw,
    )
    assert form.verify(token, [RAW, old_raw]).key_id == form.key_id(old_raw)
    with pytest.raises(form.InvalidCertificateError, match="not among the trusted keys"):
        form.verify(token, [RAW])


def test_the_command_checks_a_file_with_a_pem_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = form.sign(
        form.Claims(
            "C0DE",
            "Ana",
            "Semillas",
            "Escola",
            "pt",
            "2026-01-01",
            "2026-02-01",
            3,
            "2026-02-02",
            "u",
        ),
        signer=KEY.sign,
        raw_public_key=RAW,
    )
    (tmp_path / "c.txt").write_text(token)
    (tmp_path / "k.pem").write_bytes(
        KEY.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (tmp_path / "k.b64").write_text(base64.b64encode(RAW).decode())
    assert main(["verify", str(tmp_path / "c.txt"), "--public-key", str(tmp_path / "k.pem")]) == 0
    assert "Ana" in capsys.readouterr().out
    assert main(["verify", token, "--public-key", str(tmp_path / "k.b64")]) == 0
    assert main(["verify", token[:-4] + "AAAA", "--public-key", str(tmp_path / "k.b64")]) == 1
    assert "REFUSED" in capsys.readouterr().out
    (tmp_path / "bad.pub").write_text("not a key")
    assert main(["verify", token, "--public-key", str(tmp_path / "bad.pub")]) == 2
