"""API of the communication network: bulletins, translations, campaigns, events."""

from ninja import Router

router = Router(tags=["comms"])
