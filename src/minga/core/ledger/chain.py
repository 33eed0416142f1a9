"""The canonical encoding of journal entries and the hash chain over them.

The encoding is JSON with sorted keys, no spaces, UTF-8 (``json.dumps(fields,
sort_keys=True, separators=(",", ":"), ensure_ascii=False)``). It is written out field by
field here, because the ledger hashes every entry it writes and every entry it verifies
and the general encoder costs several times more; ``tests/core/test_ledger_chain.py``
checks against ``json.dumps`` that the bytes are the same for any entry.
"""

from __future__ import annotations

import hashlib
from json.encoder import encode_basestring  # the C escaping json.dumps uses for str
from typing import Any

from .model import JournalEntry

GENESIS_HASH = "0" * 64


def encode_entry(
    sequence: int,
    id: str,
    kind: str,
    debit: str,
    credit: str,
    unit: str,
    amount: int,
    pending_id: str | None,
    reverses_id: str | None,
    batch_id: str,
    memo: str,
    created_at: str,
    expires_at: str | None,
    submitted_by: str | None = None,
    access_token: int | None = None,
) -> bytes:
    """The canonical bytes of an entry given field by field (see :func:`canonical_encoding`).

    ``submitted_by`` and ``access_token`` are encoded only for an entry with a submitter:
    entries without one (the platform's, and every entry written before submitters were
    recorded) encode exactly as they always did, so their hashes never change.
    """
    # Written inline (no helper calls): this runs once per entry verified, a million times
    # for a million entries. int() and str() stay as they were, so any value encodes as it
    # always did.
    quote = encode_basestring
    if submitted_by is None:
        first, submitter = "{", ""
    else:
        first = (
            '{"access_token":null,'
            if access_token is None
            else f'{{"access_token":{int(access_token)},'
        )
        submitter = f'"submitted_by":{quote(submitted_by)},'
    return (
        f'{first}"amount":{int(amount)},"batch_id":{quote(batch_id)},'
        f'"created_at":{quote(created_at)},"credit":{quote(credit)},"debit":{quote(debit)},'
        f'"expires_at":{"null" if expires_at is None else quote(expires_at)},'
        f'"id":{quote(id)},"kind":{quote(kind if type(kind) is str else str(kind))},'
        f'"memo":{quote(memo)},"pending_id":{"null" if pending_id is None else quote(pending_id)},'
        f'"reverses_id":{"null" if reverses_id is None else quote(reverses_id)},'
        f'"sequence":{int(sequence)},{submitter}"unit":{quote(unit)}}}'
    ).encode()


def entry_fields(entry: JournalEntry) -> tuple[Any, ...]:
    """An entry's hashed fields in the order :func:`encode_entry` takes them (a verified
    row is these fields and the stored hash)."""
    return (
        entry.sequence,
        entry.id,
        entry.kind,
        entry.debit,
        entry.credit,
        entry.unit,
        entry.amount,
        entry.pending_id,
        entry.reverses_id,
        entry.batch_id,
        entry.memo,
        entry.created_at,
        entry.expires_at,
        entry.submitted_by,
        entry.access_token,
    )


def canonical_encoding(entry: JournalEntry) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same entry always gives the same bytes."""
    return encode_entry(*entry_fields(entry))


def chain_hash(previous_hash: str, entry: JournalEntry) -> str:
    return hash_encoded(previous_hash, canonical_encoding(entry))


def hash_encoded(previous_hash: str, encoded: bytes) -> str:
    """The hash that follows ``previous_hash`` for an entry's canonical bytes."""
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + encoded).hexdigest()


def block_message(number: int, first_sequence: int, last_sequence: int, last_hash: str) -> bytes:
    """What the server signs for a block: its place in the chain and the hash it ends on."""
    return f"minga-ledger-block:{number}:{first_sequence}:{last_sequence}:{last_hash}".encode()
