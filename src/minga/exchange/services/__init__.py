"""Writes of the exchange, one module per aggregate.

- :mod:`.ledger`: the journal — batches of transfers (:func:`transfers_submit`), expiry of
  reservations; the platform's capability (:data:`PLATFORM`).
- :mod:`.accounts`: units of account and accounts (open, limits, freezing).
- :mod:`.agreements`: trade agreements and the obligations they leave.
- :mod:`.clearing`: rounds of multilateral clearing of obligations.
- :mod:`.barter`: rounds of the barter optimizer.

Every public function is keyword-only, atomic, audited and guarded: it checks the actor's
permission through a named rule (``rules.py``, ``minga.common.permissions.guarded``), then
the exchange's own rules, and refuses with ``minga.common.errors.DomainError`` and a stable
code. The private ``_open_account`` and ``_propose_agreement`` are the same writes without
the permission check, for services that compose them after checking their own. Pages, the
API, commands and tasks call them through this package:
``from minga.exchange import services; services.transfers_submit(...)``. The journal's
storage steps live in ``minga.exchange.journal_store``; the platform's reserved client ids
in ``minga.exchange.client_ids``.
"""

from ..client_ids import new_platform_client_id
from .accounts import (
    account_open,
    account_set_frozen,
    account_set_limits,
    designated_account_open,
    unit_create,
)
from .agreements import (
    LineInput,
    agreement_accept,
    agreement_cancel,
    agreement_confirm_delivery,
    agreement_propose,
    obligations_import,
)
from .barter import barter_round_run
from .clearing import clearing_round_apply, clearing_round_consent, clearing_round_open
from .ledger import (
    MAX_BATCH,
    MAX_MEMO,
    MAX_TIMEOUT_SECONDS,
    PLATFORM,
    BatchOutcome,
    PlatformCapability,
    TransferInput,
    TransferOutcome,
    WrittenEntry,
    reservation_expire,
    reservations_expire_due,
    transfers_submit,
)

__all__ = [
    "MAX_BATCH",
    "MAX_MEMO",
    "MAX_TIMEOUT_SECONDS",
    "PLATFORM",
    "BatchOutcome",
    "LineInput",
    "PlatformCapability",
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
    "designated_account_open",
    "new_platform_client_id",
    "obligations_import",
    "reservation_expire",
    "reservations_expire_due",
    "transfers_submit",
    "unit_create",
]
