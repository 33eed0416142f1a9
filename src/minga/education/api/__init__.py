"""API of education under ``/api/v1/education/``: one router per aggregate."""

from ninja import Router

from . import catalogue, certificates, cohorts, lessons

router = Router(tags=["education"])
for module in (catalogue, cohorts, certificates, lessons):
    router.add_router("", module.router)
