"""Writes of the ledger's journal: batches of transfers, and the expiry of reservations.

Every write to the journal goes through :func:`transfers_submit`, in named steps:
validate the inputs; lock the chain head (so writers queue, on SQLite and PostgreSQL
alike) and the accounts; apply each request with the pure rules of ``minga.core.ledger``;
chain the entries (each hash covers the one before); sign the block; store the rows, the
accounts' new figures, the block and the new head. The database's constraints back the
rules up: an account outside its limits cannot be stored.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import signing
from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM, guarded, unguarded
from minga.core.ledger import (
    MAX_AMOUNT,
    AccountState,
    LedgerRefusal,
    LedgerState,
    RefusalCode,
    TransferKind,
    TransferRequest,
    apply_request,
    block_message,
    check_accounts_within_limits,
    encode_entry,
    hash_encoded,
)
from minga.core.ledger.model import SECOND_PHASE
from minga.core.ledger.rules import Effect

from .. import journal_store as store
from ..client_ids import expiry_client_id, reserved_field_of
from ..journal_store import iso_utc
from ..models import ChainBlock, ChainHead, Transfer
from ..rules import debitable_organizations

MAX_BATCH = 8190
MAX_TIMEOUT_SECONDS = 10 * 366 * 24 * 3600  # ten years
MAX_MEMO = 500


@dataclass(frozen=True)
class _DebitRights:
    """The organizations whose accounts a submitter may take money from: ``None`` for any
    (what the rule ``exchange.account.debit`` allows, ``rules.debitable_organizations``);
    checked on the accounts the batch locks anyway, so it costs nothing more."""

    organizations: frozenset[int] | None


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


@dataclass(slots=True)
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
        """SHA-256 of the request's content (JSON, sorted keys, no spaces): a retry with the
        same client id must have the same digest. Written out like the journal's encoding;
        equal to ``json.dumps`` of the fields (``tests/exchange/test_services_ledger.py``)."""
        timeout = self.timeout_seconds
        text = (
            f'{{"amount":{int(self.amount)},"credit":{encode_basestring(self.credit)},'
            f'"debit":{encode_basestring(self.debit)},"kind":{encode_basestring(str(self.kind))},'
            f'"memo":{encode_basestring(self.memo)},"pending":{_text_or_null(self.pending)},'
            f'"reverses":{_text_or_null(self.reverses)},'
            f'"timeout_seconds":{"null" if timeout is None else int(timeout)},'
            f'"unit":{encode_basestring(self.unit)}}}'
        )
        return hashlib.sha256(text.encode()).hexdigest()


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


class WrittenEntry(NamedTuple):
    """An entry a batch wrote, as the journal holds it."""

    sequence: int
    uuid: str
    client_id: str
    kind: str
    debit: str  # account UUIDs
    credit: str
    unit: str  # code
    amount: int
    pending: str | None  # the reservation's UUID
    reverses: str | None
    batch: str
    memo: str
    created_at: datetime
    expires_at: datetime | None
    hash: str


@dataclass(slots=True)
class TransferOutcome:
    client_id: str
    status: str  # "created", "exists" or "refused"
    code: str = ""
    message: str = ""
    written: WrittenEntry | None = None  # what a "created" transfer wrote
    pk: int | None = None  # the journal row of a "created" or "exists" transfer
    _transfer: Transfer | None = field(default=None, repr=False)

    @property
    def transfer(self) -> Transfer | None:
        """The journal row, read when asked for (a batch itself builds no model objects)."""
        if self._transfer is None and self.status != "refused":
            if self.pk is not None:
                self._transfer = Transfer.objects.get(pk=self.pk)
            elif self.written is not None:
                self._transfer = Transfer.objects.get(uuid=self.written.uuid)
        return self._transfer


@dataclass(frozen=True)
class BatchOutcome:
    outcomes: list[TransferOutcome]
    block: ChainBlock | None

    @property
    def all_applied(self) -> bool:
        return all(outcome.status != "refused" for outcome in self.outcomes)


# --- Step 1: validate ------------------------------------------------------------------------


def _validate_inputs(inputs: Sequence[TransferInput]) -> None:
    if not inputs:
        raise DomainError(
            _("A batch needs at least one transfer."), "transfers", code="empty_batch"
        )
    if len(inputs) > MAX_BATCH:
        raise DomainError(
            _("A batch holds at most %(max)d transfers.") % {"max": MAX_BATCH},
            "transfers",
            code="batch_too_large",
        )
    seen: set[str] = set()
    for position, item in enumerate(inputs):
        if not item.client_id or len(item.client_id) > 64:
            raise DomainError(
                _("Transfer %(n)d: the client id must have 1 to 64 characters.")
                % {"n": position + 1},
                "client_id",
                code="invalid_client_id",
            )
        if item.client_id in seen:
            raise DomainError(
                _("Transfer %(n)d: the client id %(id)s appears twice in the batch.")
                % {"n": position + 1, "id": item.client_id},
                "client_id",
                code="duplicate_client_id",
            )
        seen.add(item.client_id)
        if not -MAX_AMOUNT <= item.amount <= MAX_AMOUNT:
            raise DomainError(
                _("Transfer %(n)d: the amount is too large.") % {"n": position + 1},
                "amount",
                code="amount_too_large",
            )
        if len(item.memo) > MAX_MEMO:
            raise DomainError(
                _("Transfer %(n)d: the memo has more than %(max)d characters.")
                % {"n": position + 1, "max": MAX_MEMO},
                "memo",
                code="memo_too_long",
            )


def _refuse_reserved_ids(inputs: Sequence[TransferInput]) -> None:
    for position, item in enumerate(inputs):
        reserved = reserved_field_of(item.client_id, item.pending, item.reverses)
        if reserved is not None:
            raise DomainError(
                _("Transfer %(n)d: this identifier is reserved for the platform.")
                % {"n": position + 1},
                f"transfers.{position}.{reserved}",
                code="reserved_client_id",
                status=403,
            )


@dataclass(frozen=True)
class Submitter:
    """Who submits a batch: a person (or None for the platform's own work), and the
    personal access token the API was called with, if any."""

    person: Any = None
    token: Any = None

    @property
    def person_uuid(self) -> str | None:
        return str(self.person.uuid) if self.person is not None else None

    @property
    def token_id(self) -> int | None:
        return self.token.pk if self.token is not None else None


@guarded("exchange.transfers.submit")
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

    Every paying account (a second phase's is its reservation's) must be one ``actor`` may
    debit (the rule ``exchange.account.debit``), or the whole batch is refused
    (``debit_not_allowed``, 403); an unknown account or reservation is refused the same
    way, so that probing learns nothing. The platform's own batches (with ``platform``) and
    the server's operator (:data:`~minga.common.permissions.SYSTEM`) are not checked.

    Client ids in one of the platform's namespaces (``client_ids``), in any field, are
    refused (``reserved_client_id``, 403, nothing written) unless ``platform`` is the
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
    debit_rights = None
    if platform is not PLATFORM:
        _refuse_reserved_ids(inputs)
        if actor is not SYSTEM:
            debit_rights = _DebitRights(debitable_organizations(actor))
    person = actor if getattr(actor, "is_authenticated", False) else None
    if access_token is not None and (person is None or access_token.user_id != person.pk):
        raise ValueError("the access token recorded must be the submitting person's")
    submitter = Submitter(person, access_token)
    with transaction.atomic():
        # Step 2: lock. The row is created by a migration; locking it queues every writer.
        head = ChainHead.objects.select_for_update().get(id=1)
        return _submit_locked(
            head,
            inputs,
            linked=linked,
            submitter=submitter,
            limits_at_end=limits_at_end,
            at=at,
            debit_rights=debit_rights,
        )


def _submit_locked(
    head: ChainHead,
    inputs: Sequence[TransferInput],
    *,
    linked: bool,
    submitter: Submitter,
    limits_at_end: bool,
    at: datetime | None,
    debit_rights: _DebitRights | None,
) -> BatchOutcome:
    loaded = _load(inputs)
    if debit_rights is not None:
        _check_debit_rights(inputs, loaded, debit_rights)
    now = _batch_moment(head, at)
    batch = str(uuid.uuid4())  # before the entries' ids, as the journal always drew them
    plan = _apply_rules(loaded, inputs, iso_utc(now), linked, linked and limits_at_end)
    if plan.failure is not None:
        return _refused_batch(inputs, plan)
    if not plan.entries:
        return BatchOutcome([o for o in plan.outcomes if o is not None], None)
    written = _chain(plan, head.last_sequence, head.last_hash, batch, now, submitter)
    block = _sign_and_store(head, written, plan, loaded, submitter)
    for (position, _item, _effect), entry in zip(plan.entries, written, strict=True):
        plan.outcomes[position] = TransferOutcome(entry.client_id, "created", written=entry)
    expiring = [(entry.uuid, entry.expires_at) for entry in written if entry.expires_at]
    if expiring:
        transaction.on_commit(lambda: _schedule_expiry(expiring))
    return BatchOutcome([o for o in plan.outcomes if o is not None], block)


# --- Step 2: lock and load -------------------------------------------------------------------


@dataclass
class Loaded:
    """What a batch reads under the lock: entries that exist already, the reservations and
    originals it names, and its accounts (as the rules' state and as rows)."""

    existing: dict[str, tuple[int, str]]
    pendings: dict[str, store.PendingRow]
    originals: dict[str, store.OriginalRow]
    accounts: dict[str, store.AccountRow]
    state: LedgerState


def _load(inputs: Sequence[TransferInput]) -> Loaded:
    existing = store.existing_entries(item.client_id for item in inputs)
    pendings = store.reservations({i.pending for i in inputs if i.pending})
    originals = store.originals({i.reverses for i in inputs if i.reverses})
    named = {i.debit for i in inputs if i.debit} | {i.credit for i in inputs if i.credit}
    for row in pendings.values():
        named |= {row.state.debit, row.state.credit}
    for original in originals.values():
        if original.reversible is not None:
            named |= set(original.reversible[:2])
    states, accounts = store.lock_accounts(named)
    state = LedgerState(accounts=states)
    for row in pendings.values():
        state.pendings[row.state.id] = row.state
    for original in originals.values():
        if original.reversible is not None:
            state.reversible[original.uuid] = original.reversible
        if original.reversed:
            state.reversed_ids.add(original.uuid)
    return Loaded(existing, pendings, originals, accounts, state)


def _check_debit_rights(
    inputs: Sequence[TransferInput], loaded: Loaded, rights: _DebitRights
) -> None:
    allowed = rights.organizations
    made_here: dict[str, str] = {}  # reservations of this batch: client id -> paying account
    for position, item in enumerate(inputs):
        if item.kind in SECOND_PHASE:
            reservation = loaded.pendings.get(item.pending or "")
            payer = reservation.state.debit if reservation is not None else None
            payer = payer or made_here.get(item.pending or "")
            field_name = "pending"
        else:
            payer, field_name = item.debit, "debit"
            if item.kind == TransferKind.PENDING:
                made_here[item.client_id] = item.debit
        account = loaded.accounts.get(payer or "")
        if (
            account is None
            or account.designated
            or (allowed is not None and account.organization_id not in allowed)
        ):
            raise DomainError(
                _(
                    "Transfer %(n)d: you may not take money from this account "
                    "(or it does not exist)."
                )
                % {"n": position + 1},
                f"transfers.{position}.{field_name}",
                code="debit_not_allowed",
                status=403,
            )


def _batch_moment(head: ChainHead, at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    last = (
        Transfer.objects.filter(sequence=head.last_sequence)
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and at < last:
        raise DomainError(
            _("Entries cannot be dated before the journal's last one."),
            "at",
            code="dated_before_journal",
        )
    return at


# --- Step 3: apply the rules -----------------------------------------------------------------


@dataclass
class Plan:
    """The outcome of each input (None for those to be written) and the entries to write,
    in order: (position in the batch, input, the rules' effect with the entry's id)."""

    outcomes: list[TransferOutcome | None]
    entries: list[tuple[int, TransferInput, tuple[str, Effect, str]]]
    failure: LedgerRefusal | None = None


def _apply_rules(
    loaded: Loaded,
    inputs: Sequence[TransferInput],
    now_iso: str,
    linked: bool,
    limits_at_end: bool,
) -> Plan:
    plan = Plan(outcomes=[None] * len(inputs), entries=[])
    made_here: dict[str, str] = {}  # client id -> entry id of reservations made in this batch
    for position, item in enumerate(inputs):
        digest = item.digest()
        found = loaded.existing.get(item.client_id)
        try:
            if found is not None:
                if found[1] == digest:
                    plan.outcomes[position] = TransferOutcome(item.client_id, "exists", pk=found[0])
                    continue
                raise LedgerRefusal(
                    RefusalCode.IDEMPOTENCY_CONFLICT,
                    "this client id was used before for a different transfer",
                )
            request = _to_request(item, loaded, made_here)
            effect = apply_request(loaded.state, request, now_iso, check_limits=not limits_at_end)
        except LedgerRefusal as error:
            refusal = LedgerRefusal(error.code, error.message, position)
            plan.outcomes[position] = TransferOutcome(
                item.client_id, "refused", code=refusal.code, message=refusal.message
            )
            if linked:
                plan.failure = refusal
                return plan
            continue
        plan.entries.append((position, item, (request.id, effect, digest)))
        if effect.kind == TransferKind.PENDING:
            made_here[item.client_id] = request.id
    if limits_at_end:
        try:
            check_accounts_within_limits(loaded.state, set(loaded.state.accounts))
        except LedgerRefusal as error:
            plan.failure = LedgerRefusal(error.code, error.message, len(inputs) - 1)
            plan.outcomes[-1] = TransferOutcome(
                inputs[-1].client_id, "refused", code=error.code, message=error.message
            )
    return plan


def _to_request(item: TransferInput, loaded: Loaded, made_here: dict[str, str]) -> TransferRequest:
    pending_id = None
    if item.pending is not None:
        pending = loaded.pendings.get(item.pending)
        # A reservation made earlier in the same batch is resolved too.
        pending_id = pending.state.id if pending is not None else made_here.get(item.pending)
        if pending_id is None:
            raise LedgerRefusal(RefusalCode.PENDING_NOT_FOUND, f"no reservation {item.pending}")
    reverses_id = None
    if item.reverses is not None:
        original = loaded.originals.get(item.reverses)
        if original is None:
            raise LedgerRefusal(RefusalCode.NOT_REVERSIBLE, f"no transfer {item.reverses}")
        reverses_id = original.uuid
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


def _refused_batch(inputs: Sequence[TransferInput], plan: Plan) -> BatchOutcome:
    """A linked batch is all or nothing: report the culprit, refuse the rest."""
    failure = plan.failure
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
            for index, outcome in enumerate(plan.outcomes)
        ],
        block=None,
    )


# --- Step 4: chain ---------------------------------------------------------------------------


def _chain(
    plan: Plan,
    last_sequence: int,
    last_hash: str,
    batch: str,
    now: datetime,
    submitter: Submitter,
) -> list[WrittenEntry]:
    """Number the entries and hash each over the one before (``minga.core.ledger``'s
    canonical encoding, the same bytes as ``JournalEntry``'s)."""
    now_iso = iso_utc(now)
    person, token = submitter.person_uuid, submitter.token_id
    written = []
    sequence, previous = last_sequence, last_hash
    for _position, item, (entry_id, effect, _digest) in plan.entries:
        sequence += 1
        encoded = encode_entry(
            sequence,
            entry_id,
            effect.kind,
            effect.debit,
            effect.credit,
            effect.unit,
            effect.amount,
            effect.pending_id,
            effect.reverses_id,
            batch,
            item.memo,
            now_iso,
            effect.expires_at,
            person,
            token if person is not None else None,
        )
        previous = hash_encoded(previous, encoded)
        expires_at = None
        if effect.expires_at is not None:
            expires_at = datetime.fromisoformat(effect.expires_at)
        written.append(
            WrittenEntry(
                sequence,
                entry_id,
                item.client_id,
                str(effect.kind),
                effect.debit,
                effect.credit,
                effect.unit,
                effect.amount,
                effect.pending_id,
                effect.reverses_id,
                batch,
                item.memo,
                now,
                expires_at,
                previous,
            )
        )
    return written


# --- Steps 5 and 6: sign and store -----------------------------------------------------------


def _sign_and_store(
    head: ChainHead,
    written: list[WrittenEntry],
    plan: Plan,
    loaded: Loaded,
    submitter: Submitter,
) -> ChainBlock:
    """Store the entries and the accounts' new figures, then the signed block and the head."""
    _store_entries(written, plan, loaded, submitter)
    store.store_balances(_changed_balances(loaded))
    first, last = written[0], written[-1]
    number = head.last_block + 1
    block = ChainBlock.objects.create(
        number=number,
        first_sequence=first.sequence,
        last_sequence=last.sequence,
        last_hash=last.hash,
        signature=signing.sign(block_message(number, first.sequence, last.sequence, last.hash)),
        key_id=signing.key_id(),
        created_at=first.created_at,
        submitted_by=submitter.person,
        access_token=submitter.token,
    )
    head.last_block, head.last_sequence, head.last_hash = number, last.sequence, last.hash
    head.save(update_fields=["last_sequence", "last_hash", "last_block"])
    return block


def _store_entries(
    written: list[WrittenEntry], plan: Plan, loaded: Loaded, submitter: Submitter
) -> None:
    """Insert the journal rows. A second phase whose reservation was made in this same
    batch is written once that reservation's row exists (it names its key)."""
    as_uuid = store.own_uuid_parameter()  # entries' and batches' ids are the ledger's own
    created_at = store.datetime_parameter(written[0].created_at)
    keys = {row.state.id: row.pk for row in loaded.pendings.values()}
    keys |= {original.uuid: original.pk for original in loaded.originals.values()}
    made_here = {entry.uuid for entry in written if entry.kind == TransferKind.PENDING}
    person = submitter.person.pk if submitter.person is not None else None
    token = submitter.token_id

    def row(entry: WrittenEntry, digest: str) -> tuple[Any, ...]:
        debit = loaded.accounts[entry.debit]
        return (
            entry.sequence,
            as_uuid(entry.uuid),
            entry.client_id,
            digest,
            entry.kind,
            debit.pk,
            loaded.accounts[entry.credit].pk,
            debit.unit_id,
            entry.amount,
            keys[entry.pending] if entry.pending else None,
            keys[entry.reverses] if entry.reverses else None,
            as_uuid(entry.batch),
            entry.memo,
            created_at,
            store.datetime_parameter(entry.expires_at),
            entry.hash,
            person,
            token,
        )

    digests = [digest for _position, _item, (_id, _effect, digest) in plan.entries]
    later = [i for i, entry in enumerate(written) if entry.pending in made_here]
    if not later:
        store.insert_transfers([row(e, d) for e, d in zip(written, digests, strict=True)])
        return
    waiting = set(later)
    store.insert_transfers(
        [row(written[i], digests[i]) for i in range(len(written)) if i not in waiting]
    )
    keys |= store.keys_of([written[i].pending or "" for i in later])
    store.insert_transfers([row(written[i], digests[i]) for i in later])


def _changed_balances(loaded: Loaded) -> list[tuple[int, int, int, int]]:
    changed = []
    for key, before in loaded.accounts.items():
        after: AccountState = loaded.state.accounts[key]
        values = (after.balance, after.pending_debits, after.pending_credits)
        if values != (before.balance, before.pending_debits, before.pending_credits):
            changed.append((*values, before.pk))
    return changed


# --- Expiry ----------------------------------------------------------------------------------


def _schedule_expiry(expiring: list[tuple[str, datetime]]) -> None:
    from ..tasks import expire_reservation

    # A backend that cannot defer (the inline one in tests) leaves expiry to the sweeper,
    # `minga ledger expire`, which the worker's schedule also runs.
    if not expire_reservation.get_backend().supports_defer:
        return
    for transfer_uuid, moment in expiring:
        expire_reservation.using(run_after=moment).enqueue(str(transfer_uuid))


@unguarded("the worker releases reservations past their timeout; no person asks for it")
def reservation_expire(*, transfer_uuid: str) -> TransferOutcome | None:
    """Release a reservation whose timeout has passed. Safe to run any number of times."""
    pending = Transfer.objects.filter(uuid=transfer_uuid, kind=TransferKind.PENDING).first()
    if pending is None or hasattr(pending, "resolution"):
        return None
    if pending.expires_at is None or pending.expires_at > timezone.now():
        return None
    return transfers_submit(
        actor=SYSTEM,
        inputs=[
            TransferInput(
                client_id=expiry_client_id(pending.uuid),
                kind=TransferKind.EXPIRE_PENDING,
                pending=pending.client_id,
            )
        ],
        platform=PLATFORM,
    ).outcomes[0]


@unguarded("the worker's and the command line's sweep of reservations past their timeout")
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
