from .cases import (
    CaseDate,
    CaseDeletion,
    CaseDocument,
    CaseExpense,
    CaseIdentity,
    CaseMember,
    CaseNote,
    CaseRead,
    LegalCase,
)
from .funds import BudgetLine, Fund
from .movements import Approval, MonthlyTotal, Movement
from .pledges import Pledge

__all__ = [
    "Approval",
    "BudgetLine",
    "CaseDate",
    "CaseDeletion",
    "CaseDocument",
    "CaseExpense",
    "CaseIdentity",
    "CaseMember",
    "CaseNote",
    "CaseRead",
    "Fund",
    "LegalCase",
    "MonthlyTotal",
    "Movement",
    "Pledge",
]
