"""Realistic sizes for page-weight tests: a network of 3,000 communes and a Congress of
1,000 seats, added to a :mod:`tests.site_world` in bulk (``bulk_create``: seconds, not
minutes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from minga.assemblies.models import BodyMembership
from minga.registry.models import Body, Organization, OrganizationRelation, Region

COMMUNES = 3_000
SEATS = 1_000


def add_big_network(network: Any, *, communes: int = COMMUNES, seats: int = SEATS) -> None:
    """``communes`` more member communes of ``network``; the first ``seats`` of them sit in
    its Congress (``congreso``)."""
    region = Region.objects.get(code="south-america")
    today = timezone.localdate()
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Comuna Popular Número {number:04d} de la Patria Grande",
            slug=f"comuna-popular-{number:04d}",
            kind="commune",
            country="VE",
            region=region,
            area="Lara",
        )
        for number in range(communes)
    )
    OrganizationRelation.objects.bulk_create(
        OrganizationRelation(
            member=organization,
            parent=network,
            kind="member_of",
            status="active",
            started_on=today - timedelta(days=400),
        )
        for organization in organizations
    )
    body = Body.objects.get(slug="congreso")
    BodyMembership.objects.bulk_create(
        BodyMembership(
            body=body, organization=organization, weight=1, started_on=today - timedelta(days=30)
        )
        for organization in organizations[:seats]
    )
