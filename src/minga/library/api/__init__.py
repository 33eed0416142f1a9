"""API of the library under ``/api/v1/library/``: one router per aggregate."""

from ninja import Router

from . import collections, items, protocols

router = Router(tags=["library"])
for module in (items, protocols, collections):
    router.add_router("", module.router)
