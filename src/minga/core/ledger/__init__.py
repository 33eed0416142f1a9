"""The mutual-credit ledger's rules, as pure functions on plain data.

Double entry: every transfer moves an integer ``amount`` (minor units) from a *debit*
account (the payer, whose balance goes down) to a *credit* account (the payee). An
account's ``balance`` is its posted credits minus its posted debits, so the balances of a
unit always sum to zero. Pending (two-phase) transfers reserve their amount in
``pending_debits``/``pending_credits`` until they are posted, voided or expire; limits are
checked with the reservations included.

The journal is a hash chain: each entry's hash covers the previous hash and the entry's
canonical encoding, so changing any past entry changes every later hash. Blocks of entries
are signed by the server (the signature itself is made and checked by the caller, so this
package needs only the standard library).

Imports: the standard library only.
"""

from .chain import (
    GENESIS_HASH,
    block_message,
    canonical_encoding,
    chain_hash,
    encode_entry,
    hash_encoded,
)
from .model import (
    MAX_AMOUNT,
    AccountState,
    JournalEntry,
    LedgerRefusal,
    PendingState,
    RefusalCode,
    TransferKind,
    TransferRequest,
)
from .rules import LedgerState, apply_request, check_accounts_within_limits
from .verify import VerificationReport, verify_journal

__all__ = [
    "GENESIS_HASH",
    "MAX_AMOUNT",
    "AccountState",
    "JournalEntry",
    "LedgerRefusal",
    "LedgerState",
    "PendingState",
    "RefusalCode",
    "TransferKind",
    "TransferRequest",
    "VerificationReport",
    "apply_request",
    "block_message",
    "canonical_encoding",
    "chain_hash",
    "check_accounts_within_limits",
    "encode_entry",
    "hash_encoded",
    "verify_journal",
]
