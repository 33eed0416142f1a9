"""Demo offers and needs for the demonstration federation (invented, deterministic)."""

from __future__ import annotations

import random

from django.db import transaction

from minga.registry.models import Organization

from .models import Category, Listing, ListingKind
from .search import rebuild_listing_index

OFFERS = {
    "seeds": [
        "Semillas de maíz criollo",
        "Semillas de frijol negro",
        "Semillas de auyama",
        "Semilla de quinua real",
    ],
    "food": [
        "Café de altura",
        "Queso llanero",
        "Miel de abejas",
        "Harina de yuca",
        "Cacao en grano",
    ],
    "tools": ["Préstamo de motocultor", "Herramientas de labranza", "Trilladora comunal"],
    "textiles": ["Telas de algodón", "Uniformes escolares", "Hamacas tejidas"],
    "training": [
        "Taller de agroecología",
        "Curso de contabilidad comunal",
        "Formación en radio comunitaria",
    ],
    "transport": ["Transporte de carga a Barquisimeto", "Camión con cava fría"],
    "construction": ["Bloques de arcilla", "Techado de zinc"],
}


@transaction.atomic
def load_market_demo(seed: int) -> str:
    if Listing.objects.exists():
        return "Marketplace demo: already present."
    rng = random.Random(seed + 1)
    categories = {c.code: c for c in Category.objects.all()}
    organizations = list(
        Organization.objects.filter(visibility="public")
        .exclude(kind__in=["network", "communal_council"])
        .order_by("id")[:400]
    )
    listings = []
    for organization in organizations:
        for kind in (ListingKind.OFFER, ListingKind.NEED):
            if rng.random() < 0.45:
                code = rng.choice(sorted(OFFERS))
                barter = rng.random() < 0.5
                listings.append(
                    Listing(
                        organization=organization,
                        kind=kind,
                        category=categories[code],
                        title=rng.choice(OFFERS[code]),
                        description="*Datos de demostración.*",
                        language="es",
                        barter_only=barter,
                        price_amount=None if barter else rng.randint(5, 400) * 100,
                        price_unit="" if barter else "MINGA",
                        place=organization.area or str(organization.country.name),
                        country=str(organization.country),
                    )
                )
    Listing.objects.bulk_create(listings, batch_size=500)
    indexed = rebuild_listing_index()
    return f"Marketplace demo: {len(listings)} offers and needs ({indexed} indexed)."
