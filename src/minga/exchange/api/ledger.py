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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router
from pydantic import BaseModel

from minga.common.api import ErrorOut, FieldError, refused, signed_in
from minga.common.permissions import has_perm
from minga.core.ledger import MAX_AMOUNT, TransferKind

from .. import services
from ..models import Account, Transfer
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


class TransferIn(BaseModel):
    client_id: str = Field(..., min_length=1, max_length=64, pattern=NO_NUL)
    kind: Literal["posted", "pending", "post_pending", "void_pending"] = "posted"
    debit: UUID | None = None
    credit: UUID | None = None
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


def _to_input(item: TransferIn) -> services.TransferInput:
    return services.TransferInput(
        client_id=item.client_id,
        kind=TransferKind(item.kind),
        debit=str(item.debit) if item.debit is not None else "",
        credit=str(item.credit) if item.credit is not None else "",
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


def _require_debit_rights(user: Any, transfers: list[TransferIn]) -> None:
    """The caller may take money from every paying account, or nothing is submitted.

    The paying account of a second phase is its reservation's. An unknown account or
    reservation is refused like a foreign one, so that probing learns nothing.
    """
    debit_ids = {item.debit for item in transfers if item.debit is not None}
    accounts = {
        account.uuid: account
        for account in Account.objects.filter(uuid__in=debit_ids).only(
            "id", "uuid", "organization_id", "unit_id"
        )
    }
    pending_ids = {item.pending for item in transfers if item.kind in SECOND_PHASE}
    reservations = {
        reservation.client_id: reservation.debit
        for reservation in Transfer.objects.filter(
            client_id__in=pending_ids, kind=TransferKind.PENDING
        )
        .select_related("debit")
        .only("client_id", "debit__id", "debit__uuid", "debit__organization_id")
    }
    earlier: dict[str, Account | None] = {}
    for index, item in enumerate(transfers):
        # Reservations made by agreements, clearing rounds and expiry are settled only by
        # those services; their client ids cannot be claimed or resolved through here.
        # (The ledger refuses them itself too; checking here keeps errors in batch order.)
        reserved = services.reserved_field(_to_input(item))
        if reserved is not None:
            raise FieldError(
                403,
                _("Transfer %(n)d: this identifier is reserved for the platform.")
                % {"n": index + 1},
                f"transfers.{index}.{reserved}",
                code="reserved_client_id",
            )
        if item.kind in SECOND_PHASE:
            pending = item.pending or ""  # present: checked by _check_shape
            payer = reservations.get(pending) or earlier.get(pending)
            field = f"transfers.{index}.pending"
        else:
            payer = accounts.get(item.debit) if item.debit is not None else None
            field = f"transfers.{index}.debit"
            if item.kind == "pending":
                earlier[item.client_id] = payer
        if not has_perm(user, "exchange.account.debit", payer):
            raise FieldError(
                403,
                _(
                    "Transfer %(n)d: you may not take money from this account "
                    "(or it does not exist)."
                )
                % {"n": index + 1},
                field,
                code="debit_not_allowed",
            )


@router.post("/transfers", response={200: BatchOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def submit_transfers(request: HttpRequest, payload: BatchIn) -> Any:
    """Submit a batch of transfers; with ``linked`` all are applied or none is.

    Each result says ``created``, ``exists`` (the same client id and content was sent
    before: the original entry, nothing moved again) or ``refused`` with a ``code``.
    """
    user = signed_in(request)
    _check_shape(payload.transfers)
    with cyclic_gc_paused():
        _require_debit_rights(user, payload.transfers)
        try:
            outcome = services.transfers_submit(
                actor=user,
                access_token=getattr(request, "access_token", None),
                inputs=[_to_input(item) for item in payload.transfers],
                linked=payload.linked,
            )
        except services.ReservedClientIdError as error:
            field = f"transfers.{error.index}.{error.field}"
            raise FieldError(403, error.message, field, code="reserved_client_id") from error
        except services.ExchangeError as error:
            raise refused(error) from error
        return {
            "block": outcome.block.number if outcome.block else None,
            "results": _results(outcome),
        }


def _results(outcome: services.BatchOutcome) -> list[dict[str, Any]]:
    # Entries that existed already are read again, all in one query, with their relations.
    existing_pks = [o.transfer.pk for o in outcome.outcomes if o.status == "exists" and o.transfer]
    existing = {
        t.pk: t
        for t in Transfer.objects.filter(pk__in=existing_pks).select_related(
            "debit", "credit", "unit", "pending", "reverses", "submitted_by", "access_token"
        )
    }
    results = []
    for result in outcome.outcomes:
        transfer = result.transfer
        if transfer is not None and result.status == "exists":
            transfer = existing[transfer.pk]
        results.append(
            {
                "client_id": result.client_id,
                "status": result.status,
                "code": str(result.code),
                "message": result.message,
                "transfer": _transfer_data(transfer) if transfer is not None else None,
            }
        )
    return results
