"""API of the exchange: the ledger, agreements and clearing."""

from ninja import Router

router = Router(tags=["exchange"])
