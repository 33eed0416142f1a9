"""API of the communication network, a router per aggregate."""

from ninja import Router

from .bulletins import router as bulletins
from .campaigns import router as campaigns
from .events import router as events

router = Router(tags=["comms"])
router.add_router("", bulletins)
router.add_router("", campaigns)
router.add_router("", events)
