"""The journal's canonical encoding, written field by field, is exactly ``json.dumps``'s."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.ledger import JournalEntry, TransferKind, canonical_encoding

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
maybe_text = st.none() | text
big = st.integers(min_value=-(2**70), max_value=2**70)


def _reference(entry: JournalEntry) -> bytes:
    """The definition: sorted keys, no spaces, UTF-8 (submitter fields only when present)."""
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


entries = st.builds(
    JournalEntry,
    sequence=big,
    id=text,
    kind=st.sampled_from(list(TransferKind)),
    debit=text,
    credit=text,
    unit=text,
    amount=big,
    pending_id=maybe_text,
    reverses_id=maybe_text,
    batch_id=text,
    memo=st.one_of(text, st.sampled_from(['"', "\\", "\n\t\r\x00\x1f\x7f", "maíz · 25 kg", "€💸"])),
    created_at=text,
    expires_at=maybe_text,
    submitted_by=maybe_text,
    access_token=st.none() | big,
)


@settings(max_examples=1000)
@given(entries)
def test_the_encoding_is_json_with_sorted_keys_and_no_spaces(entry: JournalEntry) -> None:
    assert canonical_encoding(entry) == _reference(entry)
