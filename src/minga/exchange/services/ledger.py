"""Writes of the ledger's journal: batches of transfers, and the expiry of reservations.

Every write to the journal goes through :func:`transfers_submit`: one transaction that
locks the chain head (so writers queue, on SQLite and PostgreSQL alike), applies each
request with the pure rules of ``minga.core.ledger``, appends the entries with their
hashes, signs the block, and updates the accounts. The database's constraints back the
rules up: an account outside its limits cannot be stored.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from minga.common import signing
from minga.core.ledger import (
    MAX_AMOUNT,
    AccountState,
    JournalEntry,
    LedgerRefusal,
    LedgerState,
    PendingState,
    RefusalCode,
    TransferKind,
    TransferRequest,
    apply_request,
    block_message,
    chain_hash,
    check_accounts_within_limits,
)

from ..models import Account, ChainBlock, ChainHead, Transfer
from .base import ExchangeError

MAX_BATCH = 8190
# Client ids the platform's own services use (agreements, clearing rounds, expiry). The
# ledger refuses them, in any field, to every caller without the platform's capability,
# so no one can pre-empt, resolve or reverse those entries.
SYSTEM_CLIENT_ID_PREFIXES = ("agr:", "clr:", "expire:")
MAX_TIMEOUT_SECONDS = 10 * 366 * 24 * 3600  # ten years
MAX_MEMO = 500


class ReservedClientIdError(ExchangeError):
    """A transfer names one of the platform's own client ids (``field`` says where)."""

    def __init__(self, message: str, field: str, index: int) -> None:
        super().__init__(message, field)
        self.index = index


class PlatformCapability:
    """Held by the services that own platform entries (agreements, clearing rounds, expiry).

    Passing :data:`PLATFORM` to :func:`transfers_submit` is what lets a batch use the
    reserved client ids; pages, the API and commands never pass it (a test checks that no
    user-facing module names it).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "PLATFORM"


PLATFORM = PlatformCapability()


@dataclass(frozen=True)
class TransferInput:
    """A transfer as a client states it: accounts by UUID, the unit by code, and, for a
    second phase, the reservation by the client id it was created with."""

    client_id: str
    kind: TransferKind = TransferKind.POSTED
    debit: str = ""
    credit: str = ""
    unit: str = ""
    amount: int = 0
    pending: str | None = None
    reverses: str | None = None
    timeout_seconds: int | None = None
    memo: str = ""

    def digest(self) -> str:
        fields = {
            "kind": str(self.kind),
            "debit": self.debit,
            "credit": self.credit,
            "unit": self.unit,
            "amount": self.amount,
            "pending": self.pending,
            "reverses": self.reverses,
            "timeout_seconds": self.timeout_seconds,
            "memo": self.memo,
        }
        encoded = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True)
class TransferOutcome:
    client_id: str
    status: str  # "created", "exists" or "refused"
    transfer: Transfer | None = None
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class BatchOutcome:
    outcomes: list[TransferOutcome]
    block: ChainBlock | None

    @property
    def all_applied(self) -> bool:
        return all(outcome.status != "refused" for outcome in self.outcomes)


def iso_utc(moment: datetime) -> str:
    """A moment as the journal writes it: ISO 8601 in UTC with microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _account_state(account: Account) -> AccountState:
    return AccountState(
        id=str(account.uuid),
        unit=account.unit.code,
        lowest_balance=account.lowest_balance,
        highest_balance=account.highest_balance,
        frozen=account.frozen,
        balance=account.balance,
        pending_debits=account.pending_debits,
        pending_credits=account.pending_credits,
    )


def new_platform_client_id(prefix: str) -> str:
    """A fresh client id in one of the platform's namespaces, with 128 random bits."""
    if prefix not in SYSTEM_CLIENT_ID_PREFIXES:
        raise ValueError(f"{prefix!r} is not a platform namespace")
    return prefix + secrets.token_hex(16)


def reserved_field(item: TransferInput) -> str | None:
    """The field of ``item`` that names a platform client id, if any."""
    for name in ("client_id", "pending", "reverses"):
        value = getattr(item, name)
        if value and value.startswith(SYSTEM_CLIENT_ID_PREFIXES):
            return name
    return None


def _refuse_reserved_ids(inputs: Sequence[TransferInput]) -> None:
    for position, item in enumerate(inputs):
        field = reserved_field(item)
        if field is not None:
            raise ReservedClientIdError(
                _("Transfer %(n)d: this identifier is reserved for the platform.")
                % {"n": position + 1},
                field,
                position,
            )


def _validate_inputs(inputs: Sequence[TransferInput]) -> None:
    if not inputs:
        raise ExchangeError(_("A batch needs at least one transfer."), "transfers")
    if len(inputs) > MAX_BATCH:
        raise ExchangeError(
            _("A batch holds at most %(max)d transfers.") % {"max": MAX_BATCH}, "transfers"
        )
    seen: set[str] = set()
    for position, item in enumerate(inputs):
        if not item.client_id or len(item.client_id) > 64:
            raise ExchangeError(
                _("Transfer %(n)d: the client id must have 1 to 64 characters.")
                % {"n": position + 1},
                "client_id",
            )
        if item.client_id in seen:
            raise ExchangeError(
                _("Transfer %(n)d: the client id %(id)s appears twice in the batch.")
                % {"n": position + 1, "id": item.client_id},
                "client_id",
            )
        seen.add(item.client_id)
        if not -MAX_AMOUNT <= item.amount <= MAX_AMOUNT:
            raise ExchangeError(
                _("Transfer %(n)d: the amount is too large.") % {"n": position + 1}, "amount"
            )
        if len(item.memo) > MAX_MEMO:
            raise ExchangeError(
                _("Transfer %(n)d: the memo has more than %(max)d characters.")
                % {"n": position + 1, "max": MAX_MEMO},
                "memo",
            )


def transfers_submit(
    *,
    actor: Any,
    inputs: Sequence[TransferInput],
    linked: bool = False,
    limits_at_end: bool = False,
    at: datetime | None = None,
    platform: PlatformCapability | None = None,
    access_token: Any = None,
) -> BatchOutcome:
    """Apply a batch of transfers. With ``linked`` all are applied or none is.

    Client ids starting with one of :data:`SYSTEM_CLIENT_ID_PREFIXES`, in any field, are
    refused (:class:`ReservedClientIdError`, nothing written) unless ``platform`` is the
    platform's capability, :data:`PLATFORM`.

    ``limits_at_end`` (linked batches only) checks the accounts' limits once, after the
    whole batch, instead of after each transfer: a clearing round's set-off moves money
    around cycles and leaves every balance where it was, but not in an order that keeps
    each step within limits.

    ``at`` dates the entries (the server's clock otherwise); only loaders of historical
    journals use it, and never earlier than the chain's last entry, so time stays ordered.

    Every entry and the block record ``actor`` (a person; none for the platform's own
    work) as their submitter, and ``access_token``, the personal access token the API was
    called with, if any (it must be the actor's).

    Safe to retry: a client id already in the journal with the same content returns the
    original entry (status "exists"); with different content it is refused.
    """
    _validate_inputs(inputs)
    if platform is not PLATFORM:
        _refuse_reserved_ids(inputs)
    submitter = actor if getattr(actor, "is_authenticated", False) else None
    if access_token is not None and (submitter is None or access_token.user_id != submitter.pk):
        raise ValueError("the access token recorded must be the submitting person's")
    with transaction.atomic():
        # The row is created by a migration; locking it queues every writer of the journal.
        head = ChainHead.objects.select_for_update().get(id=1)
        return _submit_locked(
            head,
            inputs,
            linked=linked,
            submitter=(submitter, access_token),
            limits_at_end=linked and limits_at_end,
            at=at,
        )


def _submit_locked(
    head: ChainHead,
    inputs: Sequence[TransferInput],
    *,
    linked: bool,
    submitter: tuple[Any, Any],
    limits_at_end: bool = False,
    at: datetime | None = None,
) -> BatchOutcome:
    person, token = submitter
    person_uuid = str(person.uuid) if person is not None else None
    token_id = token.pk if token is not None else None
    existing = {
        t.client_id: t for t in Transfer.objects.filter(client_id__in=[i.client_id for i in inputs])
    }
    account_ids = {i.debit for i in inputs if i.debit} | {i.credit for i in inputs if i.credit}
    pending_client_ids = {i.pending for i in inputs if i.pending}
    reverse_client_ids = {i.reverses for i in inputs if i.reverses}
    pendings = {
        t.client_id: t
        for t in Transfer.objects.filter(
            client_id__in=pending_client_ids, kind=TransferKind.PENDING
        ).select_related("debit", "credit", "unit")
    }
    originals = {
        t.client_id: t
        for t in Transfer.objects.filter(client_id__in=reverse_client_ids).select_related(
            "debit", "credit", "unit"
        )
    }
    account_ids |= {str(t.debit.uuid) for t in [*pendings.values(), *originals.values()]}
    account_ids |= {str(t.credit.uuid) for t in [*pendings.values(), *originals.values()]}
    valid_ids = [value for value in account_ids if _is_uuid(value)]
    accounts = {
        str(a.uuid): a
        for a in Account.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(uuid__in=valid_ids)
        .order_by("id")
    }
    state = LedgerState(accounts={key: _account_state(a) for key, a in accounts.items()})
    resolved = set(
        Transfer.objects.filter(pending__in=[p.pk for p in pendings.values()]).values_list(
            "pending__client_id", flat=True
        )
    )
    for client_id, pending in pendings.items():
        state.pendings[str(pending.uuid)] = PendingState(
            id=str(pending.uuid),
            debit=str(pending.debit.uuid),
            credit=str(pending.credit.uuid),
            unit=pending.unit.code,
            amount=pending.amount,
            expires_at=iso_utc(pending.expires_at) if pending.expires_at else None,
            resolved=client_id in resolved,
        )
    for original in originals.values():
        # A reversal is final: it cannot itself be reversed.
        reversible_kind = original.kind in (TransferKind.POSTED, TransferKind.POST_PENDING)
        if reversible_kind and original.reverses_id is None:
            state.reversible[str(original.uuid)] = (
                str(original.debit.uuid),
                str(original.credit.uuid),
                original.unit.code,
                original.amount,
            )
    reversed_ids = Transfer.objects.filter(reverses__in=[o.pk for o in originals.values()])
    state.reversed_ids = {
        str(uuid_) for uuid_ in reversed_ids.values_list("reverses__uuid", flat=True)
    }

    now = at or timezone.now()
    if at is not None:
        last = (
            Transfer.objects.filter(sequence=head.last_sequence)
            .values_list("created_at", flat=True)
            .first()
        )
        if last is not None and at < last:
            raise ExchangeError(_("Entries cannot be dated before the journal's last one."), "at")
    now_iso = iso_utc(now)
    batch_id = str(uuid.uuid4())
    working = copy.deepcopy(state) if linked else state
    outcomes: list[TransferOutcome | None] = [None] * len(inputs)
    planned: list[tuple[int, TransferInput, JournalEntry]] = []
    sequence, previous_hash = head.last_sequence, head.last_hash
    failure: LedgerRefusal | None = None
    batch_pendings: dict[str, str] = {}  # client id -> entry id of reservations made here
    for position, item in enumerate(inputs):
        found = existing.get(item.client_id)
        if found is not None:
            if found.request_digest == item.digest():
                outcomes[position] = TransferOutcome(item.client_id, "exists", transfer=found)
                continue
            refusal = LedgerRefusal(
                RefusalCode.IDEMPOTENCY_CONFLICT,
                "this client id was used before for a different transfer",
                position,
            )
        else:
            refusal = None
            try:
                request = _to_request(item, pendings, originals, batch_pendings)
                effect = apply_request(working, request, now_iso, check_limits=not limits_at_end)
            except LedgerRefusal as error:
                refusal = LedgerRefusal(error.code, error.message, position)
        if refusal is not None:
            outcomes[position] = TransferOutcome(
                item.client_id, "refused", code=refusal.code, message=refusal.message
            )
            if linked:
                failure = refusal
                break
            continue
        sequence += 1
        entry = JournalEntry(
            sequence=sequence,
            id=request.id,
            kind=effect.kind,
            debit=effect.debit,
            credit=effect.credit,
            unit=effect.unit,
            amount=effect.amount,
            pending_id=effect.pending_id,
            reverses_id=effect.reverses_id,
            batch_id=batch_id,
            memo=item.memo,
            created_at=now_iso,
            expires_at=effect.expires_at,
            submitted_by=person_uuid,
            access_token=token_id if person_uuid is not None else None,
        )
        planned.append((position, item, entry))
        if effect.kind == TransferKind.PENDING:
            batch_pendings[item.client_id] = request.id

    if limits_at_end and failure is None:
        try:
            check_accounts_within_limits(working, set(working.accounts))
        except LedgerRefusal as error:
            failure = LedgerRefusal(error.code, error.message, len(inputs) - 1)
            outcomes[-1] = TransferOutcome(
                inputs[-1].client_id, "refused", code=error.code, message=error.message
            )
    if failure is not None:
        # A linked batch is all or nothing: report the culprit, refuse the rest.
        return BatchOutcome(
            outcomes=[
                # Entries already in the journal (a retry) stay reported as they are.
                outcome
                if outcome is not None and outcome.status in ("refused", "exists")
                else TransferOutcome(
                    inputs[index].client_id,
                    "refused",
                    code=RefusalCode.LINKED_BATCH_FAILED,
                    message=f"not applied: {failure}",
                )
                for index, outcome in enumerate(outcomes)
            ],
            block=None,
        )
    if not planned:
        return BatchOutcome(outcomes=[o for o in outcomes if o is not None], block=None)

    by_uuid = {str(t.uuid): t for t in [*pendings.values(), *originals.values()]}
    in_batch = set(batch_pendings.values())
    rows: list[Transfer] = []
    resolving_in_batch: list[tuple[Transfer, str]] = []
    for position, item, entry in planned:
        previous_hash = chain_hash(previous_hash, entry)
        row = Transfer(
            sequence=entry.sequence,
            uuid=uuid.UUID(entry.id),
            client_id=item.client_id,
            request_digest=item.digest(),
            kind=entry.kind,
            debit=accounts[entry.debit],
            credit=accounts[entry.credit],
            unit=accounts[entry.debit].unit,
            amount=entry.amount,
            pending=(
                by_uuid.get(entry.pending_id)
                if entry.pending_id and entry.pending_id not in in_batch
                else None
            ),
            reverses=by_uuid.get(entry.reverses_id) if entry.reverses_id else None,
            batch=uuid.UUID(batch_id),
            memo=entry.memo,
            created_at=now,
            expires_at=datetime.fromisoformat(entry.expires_at) if entry.expires_at else None,
            hash=previous_hash,
            submitted_by=person,
            access_token=token,
        )
        if entry.pending_id in in_batch:
            resolving_in_batch.append((row, entry.pending_id))
        rows.append(row)
        outcomes[position] = TransferOutcome(item.client_id, "created", transfer=row)
    # A second phase whose reservation is in this batch is written once that row has a key.
    later = {id(row) for row, _pending in resolving_in_batch}
    Transfer.objects.bulk_create([row for row in rows if id(row) not in later])
    if resolving_in_batch:
        saved = {str(row.uuid): row for row in rows if id(row) not in later}
        for row, pending_id in resolving_in_batch:
            row.pending = saved[pending_id]
        Transfer.objects.bulk_create([row for row, _pending in resolving_in_batch])

    changed = []
    for key, account in accounts.items():
        after = working.accounts[key]
        values = (after.balance, after.pending_debits, after.pending_credits)
        if values != (account.balance, account.pending_debits, account.pending_credits):
            account.balance, account.pending_debits, account.pending_credits = values
            changed.append(account)
    _store_balances(changed)

    head.last_block += 1
    block = ChainBlock.objects.create(
        number=head.last_block,
        first_sequence=rows[0].sequence,
        last_sequence=rows[-1].sequence,
        last_hash=previous_hash,
        signature=signing.sign(
            block_message(head.last_block, rows[0].sequence, rows[-1].sequence, previous_hash)
        ),
        key_id=signing.key_id(),
        created_at=now,
        submitted_by=person,
        access_token=token,
    )
    head.last_sequence, head.last_hash = rows[-1].sequence, previous_hash
    head.save(update_fields=["last_sequence", "last_hash", "last_block"])
    expiring = [(row.uuid, row.expires_at) for row in rows if row.expires_at is not None]
    if expiring:
        transaction.on_commit(lambda: _schedule_expiry(expiring))
    return BatchOutcome(outcomes=[o for o in outcomes if o is not None], block=block)


def _store_balances(accounts: list[Account]) -> None:
    """Write the accounts' new balances and reservations: one prepared UPDATE, run per row.

    ``bulk_update`` builds a CASE expression over every row, which costs more than the rest
    of a large batch together; this is the same write, and the database's check constraints
    still refuse any row outside its limits.
    """
    if not accounts:
        return
    quote = connection.ops.quote_name
    columns = {field.name: str(field.column) for field in Account._meta.concrete_fields}
    assignments = ", ".join(
        f"{quote(columns[name])} = %s" for name in ("balance", "pending_debits", "pending_credits")
    )
    # Only names from the model's own metadata go into the text; values are parameters.
    table, key = quote(Account._meta.db_table), quote(columns["id"])
    statement = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            statement,
            [(a.balance, a.pending_debits, a.pending_credits, a.pk) for a in accounts],
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _to_request(
    item: TransferInput,
    pendings: dict[str, Transfer],
    originals: dict[str, Transfer],
    batch_pendings: dict[str, str],
) -> TransferRequest:
    pending_id = None
    if item.pending is not None:
        pending = pendings.get(item.pending)
        # A reservation made earlier in the same batch is resolved too.
        pending_id = str(pending.uuid) if pending is not None else batch_pendings.get(item.pending)
        if pending_id is None:
            raise LedgerRefusal(RefusalCode.PENDING_NOT_FOUND, f"no reservation {item.pending}")
    reverses_id = None
    if item.reverses is not None:
        original = originals.get(item.reverses)
        if original is None:
            raise LedgerRefusal(RefusalCode.NOT_REVERSIBLE, f"no transfer {item.reverses}")
        reverses_id = str(original.uuid)
    if item.timeout_seconds is not None and not 0 < item.timeout_seconds <= MAX_TIMEOUT_SECONDS:
        raise LedgerRefusal(
            RefusalCode.INVALID_TIMEOUT,
            f"the timeout must be between 1 second and {MAX_TIMEOUT_SECONDS} seconds",
        )
    return TransferRequest(
        id=str(uuid.uuid4()),
        kind=item.kind,
        debit=item.debit,
        credit=item.credit,
        unit=item.unit,
        amount=item.amount,
        pending_id=pending_id,
        reverses_id=reverses_id,
        timeout_seconds=item.timeout_seconds,
        memo=item.memo,
    )


def _schedule_expiry(expiring: list[tuple[uuid.UUID, datetime]]) -> None:
    from ..tasks import expire_reservation

    # A backend that cannot defer (the inline one in tests) leaves expiry to the sweeper,
    # `minga ledger expire`, which the worker's schedule also runs.
    if not expire_reservation.get_backend().supports_defer:
        return
    for transfer_uuid, moment in expiring:
        expire_reservation.using(run_after=moment).enqueue(str(transfer_uuid))


def reservation_expire(*, transfer_uuid: str) -> TransferOutcome | None:
    """Release a reservation whose timeout has passed. Safe to run any number of times."""
    pending = Transfer.objects.filter(uuid=transfer_uuid, kind=TransferKind.PENDING).first()
    if pending is None or hasattr(pending, "resolution"):
        return None
    if pending.expires_at is None or pending.expires_at > timezone.now():
        return None
    return transfers_submit(
        actor=None,
        inputs=[
            TransferInput(
                client_id=expiry_client_id(pending.uuid),
                kind=TransferKind.EXPIRE_PENDING,
                pending=pending.client_id,
            )
        ],
        platform=PLATFORM,
    ).outcomes[0]


def expiry_client_id(reservation_uuid: uuid.UUID) -> str:
    """The client id of a reservation's expiry: the same on every retry, and unguessable.

    Journal entries are never updated, so it cannot be stored on the reservation like the
    agreements' and clearing rounds' ids; it is a keyed digest of the reservation instead.
    """
    digest = salted_hmac("minga.exchange.expiry", str(reservation_uuid), algorithm="sha256")
    return "expire:" + digest.hexdigest()[:40]


def reservations_expire_due() -> int:
    """Expire every reservation past its timeout (the worker also does it one by one)."""
    due = Transfer.objects.filter(
        kind=TransferKind.PENDING, expires_at__lte=timezone.now(), resolution__isnull=True
    ).values_list("uuid", flat=True)
    count = 0
    for transfer_uuid in list(due):
        outcome = reservation_expire(transfer_uuid=str(transfer_uuid))
        count += outcome is not None and outcome.status == "created"
    return count
