"""Sealing and opening the records of a legal case (see ``sealing`` for the scheme).

Each sealed value is bound to its case, the kind of record and the record's own id, so a
value moved to another record does not open. The case's data key is unwrapped once per
case object and kept on it for the request.
"""

from __future__ import annotations

from typing import Any

from . import sealing
from .models import LegalCase


def _place(case: LegalCase, label: str, row: Any) -> str:
    return f"minga-case|{case.uuid}|{label}|{row.uuid}"


def _key_place(case: LegalCase) -> str:
    return f"minga-case|{case.uuid}"


def data_key(case: LegalCase, keyring: sealing.Keyring | None = None) -> bytes:
    cached = getattr(case, "_data_key", None)
    if cached is not None:
        return bytes(cached)
    keyring = keyring or sealing.configured_keyring()
    key = sealing.unwrap(keyring, case.key_id, bytes(case.wrapped_key), _key_place(case))
    case._data_key = key  # type: ignore[attr-defined]
    return key


def give_data_key(case: LegalCase, keyring: sealing.Keyring, key: bytes | None = None) -> None:
    """Give the case a (new) data key, wrapped by the keyring's current master key."""
    key = key or sealing.new_data_key()
    case.key_id, case.wrapped_key = sealing.wrap(keyring, key, _key_place(case))
    case._data_key = key  # type: ignore[attr-defined]


def seal(case: LegalCase, label: str, row: Any, value: Any) -> bytes:
    return sealing.seal_json(data_key(case), value, _place(case, label, row))


def unseal(case: LegalCase, label: str, row: Any, sealed: bytes | memoryview) -> Any:
    return sealing.unseal_json(data_key(case), bytes(sealed), _place(case, label, row))


def seal_bytes(case: LegalCase, label: str, row: Any, content: bytes) -> bytes:
    return sealing.seal(data_key(case), content, _place(case, label, row))


def unseal_bytes(case: LegalCase, label: str, row: Any, sealed: bytes | memoryview) -> bytes:
    return sealing.unseal(data_key(case), bytes(sealed), _place(case, label, row))


def case_fields(case: LegalCase) -> dict[str, str]:
    """The case's own sealed fields: pseudonym, place, summary, outcome."""
    fields = unseal(case, "case", case, case.sealed)
    return {k: str(fields.get(k, "")) for k in ("pseudonym", "place", "summary", "outcome")}
