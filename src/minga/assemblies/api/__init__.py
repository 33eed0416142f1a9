"""API of the assemblies under ``/api/v1/assemblies/``: one router per aggregate."""

from ninja import Router

from . import bodies, debates, declarations, followup, meetings, proposals, votes

router = Router(tags=["assemblies"])
for module in (bodies, meetings, proposals, votes, declarations, followup, debates):
    router.add_router("", module.router)
