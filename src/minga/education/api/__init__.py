"""API of education under ``/api/v1/education/``: one router per aggregate."""

from ninja import Router

from . import assignments, catalogue, certificates, cohorts, lessons, reports

router = Router(tags=["education"])
for module in (catalogue, cohorts, certificates, lessons, assignments, reports):
    router.add_router("", module.router)
