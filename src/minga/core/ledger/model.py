"""The ledger's data: accounts, requests, journal entries and refusals."""

from __future__ import annotations

import enum
from dataclasses import dataclass

# The largest amount, limit or balance the ledger takes. With every balance, limit and
# amount within ±MAX_AMOUNT, an account's reservations stay within 2 × MAX_AMOUNT, so every
# sum the database's checks compute (a balance with its reservations, a limit with them)
# fits in a signed 64-bit column (2⁶³ − 1) on SQLite and PostgreSQL alike.
MAX_AMOUNT = 2**62 - 1


class TransferKind(enum.StrEnum):
    POSTED = "posted"  # single phase: moves the amount at once
    PENDING = "pending"  # first phase: reserves the amount
    POST_PENDING = "post_pending"  # second phase: moves (part of) a reservation
    VOID_PENDING = "void_pending"  # second phase: releases a reservation
    EXPIRE_PENDING = "expire_pending"  # the server releases a reservation past its timeout


SECOND_PHASE = (TransferKind.POST_PENDING, TransferKind.VOID_PENDING, TransferKind.EXPIRE_PENDING)


class RefusalCode(enum.StrEnum):
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    SAME_ACCOUNT = "same_account"
    UNKNOWN_ACCOUNT = "unknown_account"
    UNIT_MISMATCH = "unit_mismatch"
    ACCOUNT_FROZEN = "account_frozen"
    EXCEEDS_CREDIT_LIMIT = "exceeds_credit_limit"
    EXCEEDS_UPPER_LIMIT = "exceeds_upper_limit"
    PENDING_NOT_FOUND = "pending_not_found"
    PENDING_ALREADY_RESOLVED = "pending_already_resolved"
    PENDING_EXPIRED = "pending_expired"
    PENDING_NOT_EXPIRED = "pending_not_expired"
    AMOUNT_EXCEEDS_PENDING = "amount_exceeds_pending"
    NOT_REVERSIBLE = "not_reversible"
    ALREADY_REVERSED = "already_reversed"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    LINKED_BATCH_FAILED = "linked_batch_failed"
    INVALID_TIMEOUT = "invalid_timeout"


@dataclass
class AccountState:
    """An account as the rules see it; ``lowest_balance`` is ≤ 0 (the credit limit)."""

    id: str
    unit: str
    lowest_balance: int
    highest_balance: int | None
    frozen: bool = False
    balance: int = 0
    pending_debits: int = 0
    pending_credits: int = 0


@dataclass
class PendingState:
    """An open reservation made by a pending transfer."""

    id: str
    debit: str
    credit: str
    unit: str
    amount: int
    expires_at: str | None  # ISO 8601 UTC, or None for no timeout
    resolved: bool = False


@dataclass(frozen=True)
class TransferRequest:
    """What a client asks for. For second-phase kinds, ``pending_id`` names the reservation
    and accounts and unit are taken from it; ``amount`` 0 posts the whole reservation."""

    id: str
    kind: TransferKind
    debit: str = ""
    credit: str = ""
    unit: str = ""
    amount: int = 0
    pending_id: str | None = None
    reverses_id: str | None = None
    timeout_seconds: int | None = None
    memo: str = ""


@dataclass(frozen=True)
class JournalEntry:
    """One entry of the journal, exactly as it is hashed and exported."""

    sequence: int
    id: str
    kind: TransferKind
    debit: str
    credit: str
    unit: str
    amount: int
    pending_id: str | None
    reverses_id: str | None
    batch_id: str
    memo: str
    created_at: str  # ISO 8601 UTC with microseconds
    expires_at: str | None
    # Who submitted it (a person's UUID) and with which access token (its number); both
    # None for the platform's own entries and for entries written before they were kept.
    submitted_by: str | None = None
    access_token: int | None = None


class LedgerRefusal(Exception):  # noqa: N818 - a refusal is an answer, not a failure
    """A transfer the rules refuse; nothing of it is applied."""

    def __init__(self, code: RefusalCode, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.index = index

    def __str__(self) -> str:
        where = f"transfer {self.index + 1}: " if self.index is not None else ""
        return f"{where}{self.message} ({self.code})"
