"""Writes of the exchange, one module per aggregate.

- :mod:`.ledger`: the journal — batches of transfers (:func:`transfers_submit`), expiry of
  reservations; the platform's reserved client ids and its capability (:data:`PLATFORM`).
- :mod:`.accounts`: units of account and accounts (open, limits, freezing).
- :mod:`.agreements`: trade agreements and the obligations they leave.
- :mod:`.clearing`: rounds of multilateral clearing of obligations.
- :mod:`.barter`: rounds of the barter optimizer.

Every function is keyword-only, atomic and audited, and raises :class:`ExchangeError` (or
a subclass) when the exchange's rules refuse. Pages, the API, commands and tasks call them
through this package: ``from minga.exchange import services; services.transfers_submit(...)``.
"""

from .accounts import account_open, account_set_frozen, account_set_limits, unit_create
from .agreements import (
    AgreementError,
    LineInput,
    agreement_accept,
    agreement_cancel,
    agreement_confirm_delivery,
    agreement_propose,
    obligations_import,
    open_obligations,
)
from .barter import barter_round_run
from .base import ExchangeError
from .clearing import (
    ClearingError,
    clearing_round_apply,
    clearing_round_consent,
    clearing_round_open,
    missing_consents,
    participants,
)
from .ledger import (
    MAX_BATCH,
    MAX_MEMO,
    MAX_TIMEOUT_SECONDS,
    PLATFORM,
    SYSTEM_CLIENT_ID_PREFIXES,
    BatchOutcome,
    DebitNotAllowedError,
    DebitRights,
    PlatformCapability,
    ReservedClientIdError,
    TransferInput,
    TransferOutcome,
    WrittenEntry,
    expiry_client_id,
    new_platform_client_id,
    reservation_expire,
    reservations_expire_due,
    reserved_field,
    reserved_field_of,
    transfers_submit,
)

__all__ = [
    "MAX_BATCH",
    "MAX_MEMO",
    "MAX_TIMEOUT_SECONDS",
    "PLATFORM",
    "SYSTEM_CLIENT_ID_PREFIXES",
    "AgreementError",
    "BatchOutcome",
    "ClearingError",
    "DebitNotAllowedError",
    "DebitRights",
    "ExchangeError",
    "LineInput",
    "PlatformCapability",
    "ReservedClientIdError",
    "TransferInput",
    "TransferOutcome",
    "WrittenEntry",
    "account_open",
    "account_set_frozen",
    "account_set_limits",
    "agreement_accept",
    "agreement_cancel",
    "agreement_confirm_delivery",
    "agreement_propose",
    "barter_round_run",
    "clearing_round_apply",
    "clearing_round_consent",
    "clearing_round_open",
    "expiry_client_id",
    "missing_consents",
    "new_platform_client_id",
    "obligations_import",
    "open_obligations",
    "participants",
    "reservation_expire",
    "reservations_expire_due",
    "reserved_field",
    "reserved_field_of",
    "transfers_submit",
    "unit_create",
]
