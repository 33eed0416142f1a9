"""API of the funds under ``/api/v1/funds/``: one router per aggregate, the same
visibility as the pages (``selectors``) and the same rules (``services``)."""

from ninja import Router

from . import cases, funds, movements, pledges

router = Router(tags=["funds"])
for module in (funds, movements, pledges, cases):
    router.add_router("", module.router)
