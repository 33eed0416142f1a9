"""Writes of the funds, one module per aggregate.

- :mod:`.funds`: create a fund (and its two designated ledger accounts), set its budget.
- :mod:`.pledges`: pledge, cancel a pledge, record a contribution received.
- :mod:`.spending`: request a grant or an expense, approve or refuse it, attach a body's
  vote, reverse a movement.

Every public function is keyword-only, atomic, audited and guarded (``rules.py``). Money
moves only through the exchange's ``transfers_submit``, with client ids in the platform's
``fund:`` namespace, so no one can pre-empt or reverse a fund's entries from the exchange.
"""

from .funds import FundData, budget_set, fund_create
from .pledges import contribution_receive, pledge_cancel, pledge_create
from .spending import (
    movement_reverse,
    spending_approve,
    spending_refuse,
    spending_request,
    spending_vote_attach,
)

__all__ = [
    "FundData",
    "budget_set",
    "contribution_receive",
    "fund_create",
    "movement_reverse",
    "pledge_cancel",
    "pledge_create",
    "spending_approve",
    "spending_refuse",
    "spending_request",
    "spending_vote_attach",
]
