"""Applying transfer requests to the ledger's state, or refusing them.

The Django adapter loads the accounts and reservations a batch touches into a
:class:`LedgerState`, applies each request here, and stores what changed. Tests and the
verifier use the same functions, so there is one definition of every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import (
    MAX_AMOUNT,
    SECOND_PHASE,
    AccountState,
    LedgerRefusal,
    PendingState,
    RefusalCode,
    TransferKind,
    TransferRequest,
)


@dataclass
class LedgerState:
    accounts: dict[str, AccountState] = field(default_factory=dict)
    pendings: dict[str, PendingState] = field(default_factory=dict)
    # Posted transfers that can be reversed: id -> (debit, credit, unit, amount).
    reversible: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    reversed_ids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Effect:
    """The resolved transfer: who pays whom, how much, and what it resolves."""

    kind: TransferKind
    debit: str
    credit: str
    unit: str
    amount: int
    pending_id: str | None
    reverses_id: str | None
    expires_at: str | None


def _account(state: LedgerState, account_id: str) -> AccountState:
    account = state.accounts.get(account_id)
    if account is None:
        raise LedgerRefusal(RefusalCode.UNKNOWN_ACCOUNT, f"unknown account {account_id}")
    return account


def _check_limits(
    debit: AccountState, credit: AccountState, amount: int, *, pending: bool, limits: bool = True
) -> None:
    if debit.frozen or credit.frozen:
        frozen = debit if debit.frozen else credit
        raise LedgerRefusal(RefusalCode.ACCOUNT_FROZEN, f"account {frozen.id} is frozen")
    if not limits:
        return
    lowest_after = debit.balance - debit.pending_debits - amount
    if lowest_after < debit.lowest_balance:
        raise LedgerRefusal(
            RefusalCode.EXCEEDS_CREDIT_LIMIT,
            f"account {debit.id} would reach {lowest_after}, "
            f"below its limit {debit.lowest_balance}",
        )
    # An account without an upper limit still stops at MAX_AMOUNT, the bound that keeps
    # every sum of its columns within 64 bits.
    highest = MAX_AMOUNT if credit.highest_balance is None else credit.highest_balance
    highest_after = credit.balance + credit.pending_credits + amount
    if highest_after > highest:
        raise LedgerRefusal(
            RefusalCode.EXCEEDS_UPPER_LIMIT,
            f"account {credit.id} would reach {highest_after}, above its limit {highest}",
        )
    del pending  # the same limits hold for reservations and immediate transfers


def apply_request(
    state: LedgerState, request: TransferRequest, now: str, *, check_limits: bool = True
) -> Effect:
    """Apply one request to ``state`` (mutating it) and return its effect, or refuse it.

    A refused request leaves ``state`` unchanged. ``now`` is ISO 8601 UTC; it decides
    whether a reservation has expired. ``check_limits=False`` is for a linked batch whose
    limits are checked once at its end (:func:`check_accounts_within_limits`), such as a
    clearing round, whose transfers leave every balance where it was.
    """
    if request.kind in SECOND_PHASE:
        return _resolve_pending(state, request, now)
    if request.amount <= 0:
        raise LedgerRefusal(
            RefusalCode.AMOUNT_NOT_POSITIVE, "the amount must be a positive integer"
        )
    if request.amount > MAX_AMOUNT:
        raise LedgerRefusal(RefusalCode.EXCEEDS_UPPER_LIMIT, f"an amount is at most {MAX_AMOUNT}")
    if request.debit == request.credit:
        raise LedgerRefusal(RefusalCode.SAME_ACCOUNT, "an account cannot pay itself")
    debit, credit = _account(state, request.debit), _account(state, request.credit)
    if debit.unit != request.unit or credit.unit != request.unit:
        raise LedgerRefusal(
            RefusalCode.UNIT_MISMATCH,
            f"both accounts must hold {request.unit} (they hold {debit.unit} and {credit.unit})",
        )
    if request.reverses_id is not None:
        original = state.reversible.get(request.reverses_id)
        if original is None:
            raise LedgerRefusal(RefusalCode.NOT_REVERSIBLE, "only posted transfers can be reversed")
        if request.reverses_id in state.reversed_ids:
            raise LedgerRefusal(RefusalCode.ALREADY_REVERSED, "this transfer was reversed already")
        if original != (request.credit, request.debit, request.unit, request.amount):
            raise LedgerRefusal(
                RefusalCode.NOT_REVERSIBLE, "a reversal must swap the accounts of the original"
            )
    _check_limits(
        debit,
        credit,
        request.amount,
        pending=request.kind == TransferKind.PENDING,
        limits=check_limits,
    )
    expires_at = None
    if request.kind == TransferKind.PENDING:
        if request.timeout_seconds is not None:
            expires_at = _add_seconds(now, request.timeout_seconds)
        debit.pending_debits += request.amount
        credit.pending_credits += request.amount
        state.pendings[request.id] = PendingState(
            id=request.id,
            debit=debit.id,
            credit=credit.id,
            unit=request.unit,
            amount=request.amount,
            expires_at=expires_at,
        )
    else:
        debit.balance -= request.amount
        credit.balance += request.amount
        state.reversible[request.id] = (debit.id, credit.id, request.unit, request.amount)
        if request.reverses_id is not None:
            state.reversed_ids.add(request.reverses_id)
            state.reversible.pop(request.id, None)  # a reversal is final
    return Effect(
        kind=request.kind,
        debit=debit.id,
        credit=credit.id,
        unit=request.unit,
        amount=request.amount,
        pending_id=None,
        reverses_id=request.reverses_id,
        expires_at=expires_at,
    )


def check_accounts_within_limits(state: LedgerState, account_ids: set[str]) -> None:
    """Refuse if any of these accounts ends outside its limits (reservations included)."""
    for account_id in sorted(account_ids):
        account = state.accounts[account_id]
        if account.balance - account.pending_debits < account.lowest_balance:
            raise LedgerRefusal(
                RefusalCode.EXCEEDS_CREDIT_LIMIT, f"account {account_id} would end below its limit"
            )
        highest = MAX_AMOUNT if account.highest_balance is None else account.highest_balance
        if account.balance + account.pending_credits > highest:
            raise LedgerRefusal(
                RefusalCode.EXCEEDS_UPPER_LIMIT, f"account {account_id} would end above its limit"
            )


def _resolve_pending(state: LedgerState, request: TransferRequest, now: str) -> Effect:
    pending = state.pendings.get(request.pending_id or "")
    if pending is None:
        raise LedgerRefusal(RefusalCode.PENDING_NOT_FOUND, f"no reservation {request.pending_id}")
    if pending.resolved:
        raise LedgerRefusal(
            RefusalCode.PENDING_ALREADY_RESOLVED, "this reservation was posted, voided or expired"
        )
    expired = pending.expires_at is not None and pending.expires_at <= now
    if request.kind == TransferKind.POST_PENDING and expired:
        raise LedgerRefusal(RefusalCode.PENDING_EXPIRED, "this reservation has expired")
    if request.kind == TransferKind.EXPIRE_PENDING and not expired:
        raise LedgerRefusal(RefusalCode.PENDING_NOT_EXPIRED, "this reservation has not expired")
    amount = pending.amount
    if request.kind == TransferKind.POST_PENDING and request.amount:
        if request.amount < 0:
            raise LedgerRefusal(RefusalCode.AMOUNT_NOT_POSITIVE, "the amount must be positive")
        if request.amount > pending.amount:
            raise LedgerRefusal(
                RefusalCode.AMOUNT_EXCEEDS_PENDING, "cannot post more than was reserved"
            )
        amount = request.amount
    debit, credit = _account(state, pending.debit), _account(state, pending.credit)
    if request.kind == TransferKind.POST_PENDING and (debit.frozen or credit.frozen):
        frozen = debit if debit.frozen else credit
        raise LedgerRefusal(RefusalCode.ACCOUNT_FROZEN, f"account {frozen.id} is frozen")
    # The reservation is released whole; a partial post moves only part of it.
    debit.pending_debits -= pending.amount
    credit.pending_credits -= pending.amount
    pending.resolved = True
    if request.kind == TransferKind.POST_PENDING:
        debit.balance -= amount
        credit.balance += amount
        state.reversible[request.id] = (debit.id, credit.id, pending.unit, amount)
    return Effect(
        kind=request.kind,
        debit=debit.id,
        credit=credit.id,
        unit=pending.unit,
        amount=amount,
        pending_id=pending.id,
        reverses_id=None,
        expires_at=None,
    )


def _add_seconds(moment: str, seconds: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(moment) + timedelta(seconds=seconds)).isoformat(
        timespec="microseconds"
    )
