"""The canonical encoding of journal entries and the hash chain over them."""

from __future__ import annotations

import hashlib
import json

from .model import JournalEntry

GENESIS_HASH = "0" * 64


def canonical_encoding(entry: JournalEntry) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same entry always gives the same bytes.

    ``submitted_by`` and ``access_token`` are encoded only for an entry with a submitter:
    entries without one (the platform's, and every entry written before submitters were
    recorded) encode exactly as they always did, so their hashes never change.
    """
    fields: dict[str, object] = {
        "sequence": entry.sequence,
        "id": entry.id,
        "kind": str(entry.kind),
        "debit": entry.debit,
        "credit": entry.credit,
        "unit": entry.unit,
        "amount": entry.amount,
        "pending_id": entry.pending_id,
        "reverses_id": entry.reverses_id,
        "batch_id": entry.batch_id,
        "memo": entry.memo,
        "created_at": entry.created_at,
        "expires_at": entry.expires_at,
    }
    if entry.submitted_by is not None:
        fields["submitted_by"] = entry.submitted_by
        fields["access_token"] = entry.access_token
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous_hash: str, entry: JournalEntry) -> str:
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_encoding(entry))
    return digest.hexdigest()


def block_message(number: int, first_sequence: int, last_sequence: int, last_hash: str) -> bytes:
    """What the server signs for a block: its place in the chain and the hash it ends on."""
    return f"minga-ledger-block:{number}:{first_sequence}:{last_sequence}:{last_hash}".encode()
