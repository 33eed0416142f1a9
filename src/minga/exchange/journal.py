"""Exporting the journal to a file anyone can check, and checking a journal.

The export is JSON Lines: a header (format, the server's public key), then every entry
with its hash, every signed block, and the accounts' balances as stored. ``verify`` runs
the same checks on this server's database or on such a file from any server.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from minga.common import signing
from minga.core.ledger import (
    AccountState,
    JournalEntry,
    TransferKind,
    VerificationReport,
    verify_journal,
)
from minga.core.ledger.verify import Block

from .journal_store import iso_utc
from .models import Account, ChainBlock, Transfer

FORMAT = "minga-ledger-journal/1"


def _entry(transfer: Transfer, uuids: dict[int, str]) -> JournalEntry:
    return JournalEntry(
        sequence=transfer.sequence,
        id=str(transfer.uuid),
        kind=TransferKind(transfer.kind),
        debit=uuids[transfer.debit_id],
        credit=uuids[transfer.credit_id],
        unit=transfer.unit.code,
        amount=transfer.amount,
        pending_id=str(transfer.pending.uuid) if transfer.pending is not None else None,
        reverses_id=str(transfer.reverses.uuid) if transfer.reverses is not None else None,
        batch_id=str(transfer.batch),
        memo=transfer.memo,
        created_at=iso_utc(transfer.created_at),
        expires_at=iso_utc(transfer.expires_at) if transfer.expires_at else None,
        submitted_by=str(transfer.submitted_by.uuid) if transfer.submitted_by else None,
        access_token=transfer.access_token_id,
    )


def database_entries() -> Iterator[tuple[JournalEntry, str]]:
    uuids = {pk: str(value) for pk, value in Account.objects.values_list("pk", "uuid")}
    transfers = Transfer.objects.select_related(
        "unit", "pending", "reverses", "submitted_by"
    ).order_by("sequence")
    for transfer in transfers.iterator(chunk_size=5000):
        yield _entry(transfer, uuids), transfer.hash


def database_blocks() -> Iterator[Block]:
    for block in ChainBlock.objects.order_by("number").iterator(chunk_size=5000):
        yield Block(
            block.number,
            block.first_sequence,
            block.last_sequence,
            block.last_hash,
            bytes(block.signature),
            block.key_id,
        )


def database_accounts() -> Iterator[AccountState]:
    for account in Account.objects.select_related("unit").iterator(chunk_size=5000):
        yield AccountState(
            id=str(account.uuid),
            unit=account.unit.code,
            lowest_balance=account.lowest_balance,
            highest_balance=account.highest_balance,
            frozen=account.frozen,
            balance=account.balance,
            pending_debits=account.pending_debits,
            pending_credits=account.pending_credits,
        )


def verify_database() -> VerificationReport:
    """Check this server's journal, blocks and balances; each block with the key it names
    (the current key, or one rotated out with ``minga ledger rotate-key``)."""
    return verify_journal(
        database_entries(),
        database_blocks(),
        database_accounts(),
        signing.SignatureVerifier(signing.known_public_keys()),
    )


def export(stream: IO[str]) -> int:
    raw = signing.public_key_bytes()
    header = {
        "format": FORMAT,
        "server": settings.SITE_URL,
        "public_key": base64.b64encode(raw).decode(),
        "key_id": signing.key_id(raw),
        # Every key the blocks may be signed with: the current one and those rotated out.
        "public_keys": [base64.b64encode(key).decode() for key in signing.known_public_keys()],
        "signature_algorithm": "Ed25519",
        "hash": "SHA-256 over previous-hash, newline, canonical JSON entry",
    }
    stream.write(json.dumps({"header": header}, sort_keys=True) + "\n")
    count = 0
    for entry, entry_hash in database_entries():
        stream.write(
            json.dumps(
                {"entry": _jsonable(asdict(entry)), "hash": entry_hash},
                sort_keys=True,
                ensure_ascii=False,
            )
            + "\n"
        )
        count += 1
    for block in database_blocks():
        record = {
            "number": block.number,
            "first_sequence": block.first_sequence,
            "last_sequence": block.last_sequence,
            "last_hash": block.last_hash,
            "signature": base64.b64encode(block.signature).decode(),
            "key_id": block.key_id,
        }
        stream.write(json.dumps({"block": record}, sort_keys=True) + "\n")
    for account in database_accounts():
        stream.write(json.dumps({"account": asdict(account)}, sort_keys=True) + "\n")
    return count


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: str(value) if isinstance(value, TransferKind) else value
        for key, value in values.items()
    }


class JournalFileError(Exception):
    pass


def verify_file(path: Path, trusted_public_keys: list[bytes] | None = None) -> VerificationReport:
    """Check an exported journal. With ``trusted_public_keys`` every block must be signed by
    one of those keys; otherwise by the keys the file names (integrity, not origin)."""
    entries: list[tuple[JournalEntry, str]] = []
    blocks: list[Block] = []
    accounts: list[AccountState] = []
    header: dict[str, Any] | None = None
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line)
                if "header" in record:
                    header = record["header"]
                elif "entry" in record:
                    values = record["entry"]
                    values["kind"] = TransferKind(values["kind"])
                    entries.append((JournalEntry(**values), record["hash"]))
                elif "block" in record:
                    values = record["block"]
                    blocks.append(
                        Block(
                            values["number"],
                            values["first_sequence"],
                            values["last_sequence"],
                            values["last_hash"],
                            base64.b64decode(values["signature"]),
                            values.get("key_id", ""),
                        )
                    )
                elif "account" in record:
                    accounts.append(AccountState(**record["account"]))
                else:
                    raise ValueError("unknown record")
            except (ValueError, TypeError, KeyError) as error:
                raise JournalFileError(
                    f"{path}: line {number}: not a journal record ({error})"
                ) from None
    if header is None or header.get("format") != FORMAT:
        raise JournalFileError(f"{path}: line 1: missing header of format {FORMAT}")
    named = header.get("public_keys") or [header["public_key"]]
    public_keys = trusted_public_keys or [base64.b64decode(key) for key in named]
    return verify_journal(entries, blocks, accounts, signing.SignatureVerifier(public_keys))
