"""Demo data of the seed bank: community seed banks with native maize, beans, potatoes,
quinoa, wheat and barley, lots with germination histories, a few at risk, a grow-out, an
open seed request and one shipped and settled (through the exchange when the exchange demo
opened accounts, else by barter). Invented and deterministic; the institute codes are made
up."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_countries import countries

from minga.common.permissions import SYSTEM
from minga.exchange import selectors as exchange_selectors
from minga.registry.models import Organization

from . import services
from .models import Lot, SeedBank, Settlement

# accession name, genus, species, crop, local name (language, text), story
VARIETIES = [
    ("Kculli", "Zea", "mays", "maíz", ("qu", "kulli sara"), "Maíz morado para la chicha morada."),
    ("Chullpi", "Zea", "mays", "maíz", ("qu", "chullpi sara"), "Maíz dulce para tostar."),
    ("Frijol negro criollo", "Phaseolus", "vulgaris", "frijol", ("es", "caraota negra"), ""),
    ("Papa Huayro", "Solanum", "tuberosum", "papa", ("qu", "wayru"), "Papa de altura."),
    ("Quinua Real", "Chenopodium", "quinoa", "quinua", ("ay", "jupha"), "Grano de la puna."),
    ("Trigo barbado", "Triticum", "aestivum", "trigo", ("es", "trigo criollo"), ""),
    ("Cebada del altiplano", "Hordeum", "vulgare", "cebada", ("es", "cebada criolla"), ""),
]


def _alpha3(organization: Organization) -> str:
    return countries.alpha3(str(organization.country)) or "PER"


@transaction.atomic
def load_seeds_demo(seed: int) -> str:
    if SeedBank.objects.exists():
        return "Seed bank demo: already present."
    rng = random.Random(seed + 45)
    communes = list(
        Organization.objects.filter(visibility="public")
        .exclude(kind__in=["network", "communal_council"])
        .order_by("id")[:4]
    )
    if len(communes) < 2:
        return "Seed bank demo: no communes to keep seeds."
    today = timezone.localdate()
    banks, lots = [], []
    for number, commune in enumerate(communes[:3]):
        bank = services.bank_create(
            actor=SYSTEM,
            organization=commune,
            data=services.BankData(
                name=f"Banco de semillas de {commune.name}",
                instcode=f"{_alpha3(commune)}9{number:02d}",
                place=commune.area or "",
            ),
        )
        banks.append(bank)
        for index, (name, genus, species, crop, local, story) in enumerate(VARIETIES):
            if rng.random() < 0.25 and index > 1:
                continue
            accession = services.accession_create(
                actor=SYSTEM,
                bank=bank,
                data=services.AccessionData(
                    mcpd={
                        "ACCENUMB": f"CS-{number + 1}{index + 1:03d}",
                        "GENUS": genus,
                        "SPECIES": species,
                        "CROPNAME": crop,
                        "ACCENAME": name,
                        "SAMPSTAT": "300",
                        "ORIGCTY": _alpha3(commune),
                        "ACQDATE": f"{today.year - 6 + index % 4}----",
                        "COLLSRC": "26",
                        "STORAGE": "12",
                        "DUPLSITE": f"{_alpha3(commune)}9{(number + 1) % 3:02d}"
                        if index % 3
                        else "",
                        "DECLATITUDE": f"{-13.5 + rng.uniform(-1, 1):.4f}",
                        "DECLONGITUDE": f"{-71.9 + rng.uniform(-1, 1):.4f}",
                    },
                    local_names={local[0]: local[1]},
                    custodian=f"Familia {rng.choice(['Quispe', 'Mamani', 'Huamán', 'Condori'])}",
                    story=story,
                    sharing_conditions="Devolver el doble de semilla después de la cosecha.",
                ),
            )
            received = today - timedelta(days=365 * (2 + index % 4) + 30 * number)
            lot = services.lot_create(
                actor=SYSTEM,
                accession=accession,
                data=services.LotData(
                    code=f"L{received.year}",
                    received_on=received,
                    harvested_on=received - timedelta(days=40),
                    seeds=rng.choice([250, 900, 1500, 3000]),
                    hundred_seed_weight_mg=rng.choice([4000, 30000, 35000, 300]),
                    storage_temperature=Decimal(rng.choice([5, 10, 18])),
                    moisture_percent=Decimal(rng.choice(["7.0", "9.0", "12.0"])),
                    room="Depósito",
                    shelf=f"E{index + 1}",
                    container=f"Frasco {index + 1}",
                ),
            )
            lots.append(lot)
            # A germination history: a first test after receipt and, for older lots, later ones.
            for year in range(1 + index % 3):
                tested_on = received + timedelta(days=60 + 365 * 2 * year)
                if tested_on > today:
                    break
                germinated = max(40, 96 - year * rng.randint(3, 9) - rng.randint(0, 6))
                services.test_record(
                    actor=SYSTEM,
                    lot=lot,
                    data=services.TestData(
                        tested_on=tested_on,
                        sown=100,
                        germinated=germinated,
                        abnormal=min(2, 100 - germinated),
                        replicates=2,
                        method="Entre papel, 20 °C",
                    ),
                )
    # A grow-out of the first lot, harvested as a new lot, and an open request.
    first = lots[0]
    regeneration = services.regeneration_plan(
        actor=SYSTEM,
        lot=first,
        grower=first.accession.bank.organization,
        place="Chacra comunal",
        sow_on=today - timedelta(days=200),
        plants=120,
        seeds_used=150,
    )
    services.regeneration_harvest(
        actor=SYSTEM,
        regeneration=regeneration,
        data=services.LotData(
            code=f"R{today.year}",
            received_on=today - timedelta(days=20),
            seeds=2400,
            storage_temperature=Decimal(5),
            moisture_percent=Decimal("8.0"),
        ),
    )
    wanted = next(lot for lot in lots if lot.accession.bank != banks[-1] and lot.seeds > 100)
    services.request_create(
        actor=SYSTEM,
        lot=wanted,
        requester=banks[-1].organization,
        data=services.RequestData(
            seeds=100, conditions_accepted=True, purpose="Sembrar en la escuela de la comuna."
        ),
    )
    settled = _settled_request(banks, [lot for lot in lots if lot != wanted])
    return (
        f"Seed bank demo: {len(banks)} banks, {len(lots)} lots, 1 grow-out, 1 open request, "
        f"1 request shipped and settled by {settled}."
    )


def _settled_request(banks: list[SeedBank], lots: list[Any]) -> str:
    """A request approved and shipped, paid through the exchange when the two communes hold
    accounts in a public unit (the exchange demo opens them), else settled by barter."""
    requester = banks[1].organization
    lot = next(
        lot
        for lot in lots
        if lot.accession.bank_id != banks[1].pk and Lot.objects.get(pk=lot.pk).seeds > 200
    )
    bank_organization = lot.accession.bank.organization
    unit = next(
        (
            unit
            for unit in exchange_selectors.visible_units(None).order_by("code")
            if exchange_selectors.own_account(requester, unit) is not None
            and exchange_selectors.own_account(bank_organization, unit) is not None
        ),
        None,
    )
    if unit is not None:
        data = services.RequestData(
            seeds=200,
            conditions_accepted=True,
            settlement=Settlement.EXCHANGE,
            unit=unit,
            amount=5 * 10**unit.scale,
            purpose="Semilla para la parcela demostrativa.",
        )
    else:
        data = services.RequestData(
            seeds=200,
            conditions_accepted=True,
            settlement=Settlement.BARTER,
            barter_offer="Dos kilos de habas de la última cosecha.",
            purpose="Semilla para la parcela demostrativa.",
        )
    seed_request = services.request_create(
        actor=SYSTEM, lot=Lot.objects.get(pk=lot.pk), requester=requester, data=data
    )
    services.request_approve(
        actor=SYSTEM, seed_request=seed_request, answer="Con gusto: devuelvan el doble."
    )
    services.request_ship(
        actor=SYSTEM,
        seed_request=seed_request,
        shipped_on=timezone.localdate() - timedelta(days=3),
    )
    return "the exchange" if unit is not None else "barter"
