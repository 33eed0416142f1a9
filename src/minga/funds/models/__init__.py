from .funds import BudgetLine, Fund
from .movements import Approval, Movement
from .pledges import Pledge

__all__ = ["Approval", "BudgetLine", "Fund", "Movement", "Pledge"]
