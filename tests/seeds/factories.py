"""Factories of the seed bank's tests: real rows, made through the services as the server."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.seeds import services
from minga.seeds.models import Accession, Lot, SeedBank

_numbers = itertools.count(1)


def bank(organization: Any, **fields: Any) -> SeedBank:
    data = services.BankData(name=fields.pop("name", f"Banco {next(_numbers)}"), instcode="VEN001")
    for name, value in fields.items():
        setattr(data, name, value)
    return services.bank_create(actor=SYSTEM, organization=organization, data=data)


def accession(
    seed_bank: SeedBank,
    *,
    genus: str = "Triticum",
    species: str = "aestivum",
    visibility: str = Visibility.PUBLIC,
    **mcpd: str,
) -> Accession:
    number = next(_numbers)
    return services.accession_create(
        actor=SYSTEM,
        bank=seed_bank,
        data=services.AccessionData(
            mcpd={"ACCENUMB": f"A-{number}", "GENUS": genus, "SPECIES": species, **mcpd},
            custodian="Familia Pérez",
            sharing_conditions="Devolver semilla.",
            visibility=visibility,
        ),
    )


def lot(
    of: Accession,
    *,
    seeds: int = 1000,
    received_on: date | None = None,
    moisture: str = "12.0",
    temperature: str = "20.0",
    **fields: Any,
) -> Lot:
    return services.lot_create(
        actor=SYSTEM,
        accession=of,
        data=services.LotData(
            code=fields.pop("code", f"L{next(_numbers)}"),
            received_on=received_on or timezone.localdate() - timedelta(days=30),
            storage_temperature=Decimal(temperature),
            moisture_percent=Decimal(moisture),
            seeds=seeds,
            **fields,
        ),
    )


def germination(of: Lot, *, germinated: int = 95, sown: int = 100, days_ago: int = 0) -> Any:
    return services.test_record(
        actor=SYSTEM,
        lot=of,
        data=services.TestData(
            tested_on=timezone.localdate() - timedelta(days=days_ago),
            sown=sown,
            germinated=germinated,
        ),
    )
