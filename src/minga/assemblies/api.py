"""API of the assemblies."""

from ninja import Router

router = Router(tags=["assemblies"])
