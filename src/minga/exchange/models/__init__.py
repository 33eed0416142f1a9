"""The exchange's models: the ledger, trade agreements, obligations and clearing rounds."""

from .agreements import (
    Agreement,
    AgreementLine,
    AgreementParty,
    AgreementStatus,
    Obligation,
    ObligationStatus,
    PaymentMethod,
)
from .clearing import (
    BarterRound,
    ClearingConsent,
    ClearingRound,
    ClearingRoundStatus,
    ClearingSetoff,
)
from .ledger import Account, ChainBlock, ChainHead, Transfer, Unit, UnitKind

__all__ = [
    "Account",
    "Agreement",
    "AgreementLine",
    "AgreementParty",
    "AgreementStatus",
    "BarterRound",
    "ChainBlock",
    "ChainHead",
    "ClearingConsent",
    "ClearingRound",
    "ClearingRoundStatus",
    "ClearingSetoff",
    "Obligation",
    "ObligationStatus",
    "PaymentMethod",
    "Transfer",
    "Unit",
    "UnitKind",
]
