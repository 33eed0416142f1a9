"""API of the exchange under ``/api/v1/exchange/``: one router per aggregate.

- :mod:`.ledger`: batches of transfers.
- :mod:`.accounts`: units, accounts, their journals, limits and freezing.
- :mod:`.agreements`: trade agreements.
- :mod:`.clearing`: clearing rounds.
"""

from ninja import Router

from . import accounts, agreements, clearing, ledger

router = Router(tags=["exchange"])
for module in (ledger, accounts, agreements, clearing):
    router.add_router("", module.router)
