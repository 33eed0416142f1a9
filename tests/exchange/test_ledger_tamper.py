"""Tampering with an exported journal is detected, and the report names where."""

from __future__ import annotations

import base64
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minga.core.ledger import TransferKind
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts


@pytest.fixture
def exported(db: None, tmp_path: Path) -> Path:
    _unit, (a, b, c) = unit_with_accounts(3)
    submit(move(a, b, 100, client_id="uno"), move(b, c, 40, client_id="dos"))
    submit(move(c, a, 25, client_id="tres", kind=TransferKind.PENDING))
    submit(move(a, c, 7, client_id="cuatro"))
    path = tmp_path / "journal.jsonl"
    call_command("ledger", "export", str(path), stderr=StringIO())
    return path


def _rewrite(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")


def test_an_untouched_export_verifies(exported: Path) -> None:
    out = StringIO()
    call_command("ledger", "verify", str(exported), stdout=out)
    assert "Verified: 4 entries, 3 signed blocks" in out.getvalue()
    call_command("ledger", "verify", stdout=StringIO())


def test_changing_one_amount_names_that_transfer(exported: Path) -> None:
    """An amount changed in entry #2 breaks its hash: verify names transfer #2."""

    def change(lines: list[str]) -> list[str]:
        record = json.loads(lines[2])
        record["entry"]["amount"] = 4000
        lines[2] = json.dumps(record, sort_keys=True)
        return lines

    _rewrite(exported, change)
    with pytest.raises(CommandError, match=r"transfer #2 \(.*\): hash does not match"):
        call_command("ledger", "verify", str(exported))


@pytest.mark.parametrize("line_index", [1, 2, 3, 4])
def test_flipping_one_byte_of_an_entry_is_detected(exported: Path, line_index: int) -> None:
    """Any single changed character in an entry's line is caught at that entry."""
    lines = exported.read_text(encoding="utf-8").splitlines()
    original = lines[line_index]
    position = original.index('"memo"') - 10  # inside the entry's content, before the memo
    flipped = chr(ord(original[position]) ^ 1)
    lines[line_index] = original[:position] + flipped + original[position + 1 :]
    exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("ledger", "verify", str(exported))
    message = str(error.value)
    assert f"transfer #{line_index}" in message or f"line {line_index + 1}" in message


def test_a_forged_block_signature_is_named(exported: Path) -> None:
    def change(lines: list[str]) -> list[str]:
        for number, line in enumerate(lines):
            if line.startswith('{"block"'):
                record = json.loads(line)
                raw = bytearray(base64.b64decode(record["block"]["signature"]))
                raw[0] ^= 1
                record["block"]["signature"] = base64.b64encode(bytes(raw)).decode()
                lines[number] = json.dumps(record, sort_keys=True)
                break
        return lines

    _rewrite(exported, change)
    with pytest.raises(CommandError, match=r"block 1 .*signature is not valid"):
        call_command("ledger", "verify", str(exported))


def test_a_claimed_balance_that_differs_from_the_journal_is_named(exported: Path) -> None:
    def change(lines: list[str]) -> list[str]:
        for number, line in enumerate(lines):
            if line.startswith('{"account"'):
                record = json.loads(line)
                record["account"]["balance"] += 1
                lines[number] = json.dumps(record, sort_keys=True)
                account_id = record["account"]["id"]
                break
        change.account_id = account_id  # type: ignore[attr-defined]
        return lines

    _rewrite(exported, change)
    with pytest.raises(CommandError, match=rf"account {change.account_id}"):  # type: ignore[attr-defined]
        call_command("ledger", "verify", str(exported))


def test_removing_an_entry_breaks_the_chain(exported: Path) -> None:
    _rewrite(exported, lambda lines: lines[:2] + lines[3:])
    with pytest.raises(CommandError, match=r"transfer #3 .*expected sequence 2"):
        call_command("ledger", "verify", str(exported))


def test_a_trusted_key_must_match(exported: Path) -> None:
    """Given the server's known key, a file re-signed with another key is rejected."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with pytest.raises(CommandError, match="signature is not valid"):
        call_command(
            "ledger", "verify", str(exported), "--public-key", base64.b64encode(other).decode()
        )


def test_a_broken_line_is_named(exported: Path) -> None:
    _rewrite(exported, lambda lines: [*lines[:3], "{not json", *lines[3:]])
    with pytest.raises(CommandError, match="line 4"):
        call_command("ledger", "verify", str(exported))


def test_rotating_the_key_keeps_old_blocks_verifiable(exported: Path, tmp_path: Path) -> None:
    """After a rotation, new blocks use the new key; the database and a new export verify;
    pinning only the new key names the first block signed by the old one."""
    from minga.common import signing
    from minga.exchange.models import Account

    old_key = signing.public_key_bytes()
    call_command("ledger", "rotate-key", stdout=StringIO())
    assert signing.public_key_bytes() != old_key
    a, b = list(Account.objects.order_by("id"))[:2]
    submit(move(a, b, 5, client_id="tras-rotar"))
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    assert "Verified" in out.getvalue()
    path = tmp_path / "after.jsonl"
    call_command("ledger", "export", str(path), stderr=StringIO())
    call_command("ledger", "verify", str(path), stdout=StringIO())
    new_only = base64.b64encode(signing.public_key_bytes()).decode()
    with pytest.raises(CommandError, match=r"block 1 .*signature is not valid"):
        call_command("ledger", "verify", str(path), "--public-key", new_only)
    both = base64.b64encode(old_key).decode() + "," + new_only
    call_command("ledger", "verify", str(path), "--public-key", both, stdout=StringIO())
