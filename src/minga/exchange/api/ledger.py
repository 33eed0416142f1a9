"""API of the ledger's journal: batches of transfers (``POST /exchange/transfers``).

Up to 8,190 transfers at once. A transfer the ledger refuses is a result with a code, not
an HTTP error; a malformed request is a 422 naming the field, and a transfer taking money
from an account the caller may not debit refuses the whole request (403) before anything
is written. Resending a request is always safe: a client id already in the journal
answers "exists" with the original entry.

Amounts are integers in the unit's minor units (cents for a scale of 2); every amount also
comes formatted as a decimal string in its unit.
"""

import gc
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from json.encoder import encode_basestring_ascii
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router
from ninja.responses import NinjaJSONEncoder
from pydantic import AfterValidator, BaseModel, WithJsonSchema

from minga.common.api import ErrorOut, FieldError, signed_in
from minga.common.money import format_amount, unit_scale
from minga.core.ledger import MAX_AMOUNT, TransferKind

from .. import services
from ..models import Transfer
from .fields import NO_NUL

router = Router(tags=["exchange"])

# A reservation waits at most ten years (a longer timeout is a mistake, not a plan).
MAX_TIMEOUT_SECONDS = 10 * 366 * 24 * 3600
SECOND_PHASE = {TransferKind.POST_PENDING.value, TransferKind.VOID_PENDING.value}


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is applied.

    A batch of a thousand transfers keeps tens of thousands of objects alive until it
    ends; the collector then runs full passes over the whole process again and again, and
    those passes cost more than the ledger's own work (a third of the time per batch in
    ``benchmarks/bench_ledger.py``). Reference counting still frees everything at once;
    only cycles wait, at most until the batch ends. A counter under a lock keeps it right
    when several threads run batches: the last one out switches the collector back on,
    and only if it was on before the first one came in.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


# The batch's own shapes are plain pydantic models: a batch carries up to 8,190 transfers
# each way, and ninja's Schema wraps every object for attribute access, which costs more
# than the ledger's work for them. They are built from dictionaries, never from rows.


class TransferOut(BaseModel):
    uuid: UUID
    sequence: int
    client_id: str
    kind: str
    debit: UUID
    credit: UUID
    unit: str
    amount: int
    amount_formatted: str
    pending: UUID | None
    reverses: UUID | None
    batch: UUID
    memo: str
    created_at: datetime
    expires_at: datetime | None
    hash: str
    submitted_by: UUID | None
    submitted_by_name: str | None
    access_token: int | None
    access_token_name: str | None


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid_text(value: str) -> str:
    # Canonical text as it comes from almost every client; any other spelling of a UUID is
    # read as ``uuid.UUID`` reads it (a ValueError names the field in a 422).
    if _CANONICAL_UUID.fullmatch(value):
        return value
    return str(UUID(value))


# A UUID kept as its canonical text: a batch names thousands of accounts, and making a
# ``uuid.UUID`` of each (and text of it again) costs more than validating the text.
UUIDText = Annotated[
    str, AfterValidator(_uuid_text), WithJsonSchema({"type": "string", "format": "uuid"})
]


class TransferIn(BaseModel):
    client_id: str = Field(..., min_length=1, max_length=64, pattern=NO_NUL)
    kind: Literal["posted", "pending", "post_pending", "void_pending"] = "posted"
    debit: UUIDText | None = None
    credit: UUIDText | None = None
    unit: str = Field("", max_length=16, pattern=NO_NUL)
    amount: int = Field(0, ge=-MAX_AMOUNT, le=MAX_AMOUNT, strict=True)
    pending: str | None = Field(None, min_length=1, max_length=64, pattern=NO_NUL)
    reverses: str | None = Field(None, min_length=1, max_length=64, pattern=NO_NUL)
    timeout_seconds: int | None = Field(None, le=MAX_TIMEOUT_SECONDS, strict=True)
    memo: str = Field("", max_length=500, pattern=NO_NUL)


class BatchIn(BaseModel):
    linked: bool = False
    transfers: list[TransferIn] = Field(..., min_length=1, max_length=services.MAX_BATCH)


class ResultOut(BaseModel):
    client_id: str
    status: Literal["created", "exists", "refused"]
    code: str
    message: str
    transfer: TransferOut | None


class BatchOut(BaseModel):
    block: int | None
    results: list[ResultOut]


def _transfer_data(transfer: Transfer) -> dict[str, Any]:
    # Plain dictionaries: a batch answers up to 8,190 of these, and the related rows are
    # already in memory (the service's own, or loaded below in one query).
    unit = transfer.unit
    return {
        "uuid": transfer.uuid,
        "sequence": transfer.sequence,
        "client_id": transfer.client_id,
        "kind": transfer.kind,
        "debit": transfer.debit.uuid,
        "credit": transfer.credit.uuid,
        "unit": unit.code,
        "amount": transfer.amount,
        "amount_formatted": unit.format(transfer.amount),
        "pending": transfer.pending.uuid if transfer.pending is not None else None,
        "reverses": transfer.reverses.uuid if transfer.reverses is not None else None,
        "batch": transfer.batch,
        "memo": transfer.memo,
        "created_at": transfer.created_at,
        "expires_at": transfer.expires_at,
        "hash": transfer.hash,
        **_submitter_data(transfer),
    }


def _submitter_data(transfer: Transfer) -> dict[str, Any]:
    person, token = transfer.submitted_by, transfer.access_token
    return {
        "submitted_by": person.uuid if person is not None else None,
        "submitted_by_name": str(person) if person is not None else None,
        "access_token": token.pk if token is not None else None,
        "access_token_name": token.name if token is not None else None,
    }


class TransferPages:
    """A journal as the paginator slices it: only the page asked for is read and shaped."""

    def __init__(self, transfers: QuerySet[Transfer]) -> None:
        self.transfers = transfers

    def __len__(self) -> int:
        return self.transfers.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_transfer_data(transfer) for transfer in self.transfers[page]]


_KINDS = {kind.value: kind for kind in TransferKind}


def _to_input(item: TransferIn) -> services.TransferInput:
    return services.TransferInput(
        client_id=item.client_id,
        kind=_KINDS[item.kind],
        debit=item.debit or "",
        credit=item.credit or "",
        unit=item.unit.strip().upper(),
        amount=item.amount,
        pending=item.pending,
        reverses=item.reverses,
        timeout_seconds=item.timeout_seconds,
        memo=item.memo,
    )


def _check_shape(transfers: list[TransferIn]) -> None:
    """Each transfer names what its kind needs; anything else is a malformed request."""
    for index, item in enumerate(transfers):
        if item.kind in SECOND_PHASE:
            if item.pending is None:
                raise FieldError(
                    422,
                    _("Transfer %(n)d: a second phase names its reservation.") % {"n": index + 1},
                    f"transfers.{index}.pending",
                    code="pending_required",
                )
            continue
        for name in ("debit", "credit", "unit"):
            if not getattr(item, name):
                raise FieldError(
                    422,
                    _("Transfer %(n)d: %(kind)s transfers need debit, credit and unit.")
                    % {"n": index + 1, "kind": item.kind},
                    f"transfers.{index}.{name}",
                    code="accounts_required",
                )


@router.post("/transfers", response={200: BatchOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def submit_transfers(request: HttpRequest, payload: BatchIn) -> Any:
    """Submit a batch of transfers; with ``linked`` all are applied or none is.

    Each result says ``created``, ``exists`` (the same client id and content was sent
    before: the original entry, nothing moved again) or ``refused`` with a ``code``.
    """
    user = signed_in(request)
    token = getattr(request, "access_token", None)
    _check_shape(payload.transfers)
    with cyclic_gc_paused():
        # The ledger refuses the platform's client ids and any paying account the caller
        # may not debit (403, nothing written), on the accounts it locks anyway.
        outcome = services.transfers_submit(
            actor=user,
            access_token=token,
            inputs=[_to_input(item) for item in payload.transfers],
            linked=payload.linked,
        )
        # The answer is written here, not validated against BatchOut by ninja: the same
        # JSON (a test compares them byte for byte), without a pydantic object per row.
        block = outcome.block.number if outcome.block else None
        results = ", ".join(_results(outcome, user, token))
        return HttpResponse(
            f'{{"block": {json.dumps(block)}, "results": [{results}]}}',
            content_type="application/json; charset=utf-8",
        )


def _results(outcome: services.BatchOutcome, user: Any, token: Any) -> list[str]:
    """Each result as JSON text, as ``json.dumps`` with ninja's encoder writes it."""
    # Entries that existed already are read again, all in one query, with their relations.
    existing_pks = [o.pk for o in outcome.outcomes if o.status == "exists" and o.pk is not None]
    existing = {}
    if existing_pks:  # a first sending has none: no query to build
        existing = {
            t.pk: t
            for t in Transfer.objects.filter(pk__in=existing_pks).select_related(
                "debit", "credit", "unit", "pending", "reverses", "submitted_by", "access_token"
            )
        }
    written = _WrittenJSON(user, token)
    results = []
    for result in outcome.outcomes:
        if result.written is not None and result.status == "created":
            results.append(written(result.client_id, result.written))
            continue
        transfer = None
        if result.status == "exists" and result.pk is not None:
            transfer = _transfer_data(existing[result.pk])
        results.append(
            json.dumps(
                {
                    "client_id": result.client_id,
                    "status": result.status,
                    "code": str(result.code),
                    "message": result.message,
                    "transfer": transfer,
                },
                cls=NinjaJSONEncoder,
            )
        )
    return results


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring_ascii(value)


class _WrittenJSON:
    """The result of a transfer the batch wrote, from the service's own record (no row is
    read back), as JSON text: what ``json.dumps`` writes for ``ResultOut`` and
    ``TransferOut`` (default separators, ASCII), field by field. UUIDs, kinds, hashes and
    times need no escaping; text from clients is escaped by ``json``'s own function."""

    def __init__(self, user: Any, token: Any) -> None:
        self.submitter = (
            f'"submitted_by": "{user.uuid}", "submitted_by_name": {_text(str(user))}, '
            f'"access_token": {json.dumps(token.pk if token is not None else None)}, '
            f'"access_token_name": {_text(token.name if token is not None else None)}'
        )
        self.moments: dict[datetime, str] = {}
        self.units: dict[str, tuple[str, int]] = {}
        self.encoder = DjangoJSONEncoder()

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return "null"
        if value not in self.moments:
            self.moments[value] = f'"{self.encoder.default(value)}"'
        return self.moments[value]

    def __call__(self, client_id: str, entry: services.WrittenEntry) -> str:
        pending = "null" if entry.pending is None else f'"{entry.pending}"'
        reverses = "null" if entry.reverses is None else f'"{entry.reverses}"'
        name = encode_basestring_ascii(client_id)
        unit = self.units.get(entry.unit)
        if unit is None:  # what a unit's code and scale write, once a batch
            code = entry.unit
            unit = self.units[code] = (encode_basestring_ascii(code), unit_scale(code) or 0)
        return (
            f'{{"client_id": {name}, "status": "created", '
            f'"code": "", "message": "", "transfer": {{"uuid": "{entry.uuid}", '
            f'"sequence": {entry.sequence}, "client_id": {name}, '
            f'"kind": "{entry.kind}", "debit": "{entry.debit}", "credit": "{entry.credit}", '
            f'"unit": {unit[0]}, "amount": {entry.amount}, "amount_formatted": '
            f"{encode_basestring_ascii(format_amount(entry.amount, unit[1], entry.unit))}, "
            f'"pending": {pending}, "reverses": {reverses}, "batch": "{entry.batch}", '
            f'"memo": {encode_basestring_ascii(entry.memo)}, '
            f'"created_at": {self.moment(entry.created_at)}, '
            f'"expires_at": {self.moment(entry.expires_at)}, "hash": "{entry.hash}", '
            f"{self.submitter}}}}}"
        )
