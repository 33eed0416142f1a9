"""Lots, germination tests and grow-outs. Seeds leave a lot only through a conditional
update (``seeds >= n``), so no sequence of writes, however concurrent, makes a lot negative.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded

from .. import tally
from ..audit_events import SeedsEvent
from ..models import Accession, GerminationTest, Lot, Regeneration, RegenerationStatus
from ..risk import regeneration_due

MAX_SEEDS = 10**12


@dataclass
class LotData:
    code: str
    received_on: datetime.date
    storage_temperature: Decimal
    moisture_percent: Decimal
    seeds: int | None = None
    grams: Decimal | None = None  # converted to seeds through the hundred-seed weight
    hundred_seed_weight_mg: int | None = None
    harvested_on: datetime.date | None = None
    stored_since: datetime.date | None = None
    room: str = ""
    shelf: str = ""
    container: str = ""
    distributable: bool = True
    parent: Lot | None = None


@dataclass
class TestData:
    tested_on: datetime.date
    sown: int
    germinated: int
    abnormal: int = 0
    dead: int = 0
    replicates: int = 1
    method: str = ""


def _refresh_risk(lots: Any) -> None:
    """Store each lot's last germination and regeneration date (see ``minga.seeds.risk``),
    and on its accession the earliest regeneration date of its lots."""
    accessions: set[int] = set()
    for lot in lots:
        tests = [
            (test.tested_on, test.sown, test.germinated)
            for test in GerminationTest.objects.filter(lot=lot).order_by("tested_on", "id")
        ]
        lot.germination_percent = 100 * tests[-1][2] / tests[-1][1] if tests else None
        lot.regenerate_on = regeneration_due(
            genus=lot.accession.genus,
            species=lot.accession.species,
            fraction_percent=lot.accession.bank.regeneration_fraction,
            tests=tests,
            moisture_percent=float(lot.moisture_percent),
            temperature_celsius=float(lot.storage_temperature),
        )
        Lot.objects.filter(pk=lot.pk).update(
            germination_percent=lot.germination_percent, regenerate_on=lot.regenerate_on
        )
        accessions.add(lot.accession_id)
    earliest = (
        Lot.objects.filter(accession=OuterRef("pk"))
        .values("accession")
        .annotate(earliest=Min("regenerate_on"))
        .values("earliest")
    )
    with tally.kept(accessions):
        Accession.objects.filter(pk__in=accessions).update(regenerate_on=Subquery(earliest))


def _withdraw(lot: Lot, seeds: int, field: str) -> None:
    """Take ``seeds`` from the lot in one conditional update, or refuse naming ``field``."""
    taken = Lot.objects.filter(pk=lot.pk, seeds__gte=seeds).update(seeds=F("seeds") - seeds)
    if taken:
        _count_on_accession(lot, -seeds)
    if not taken:
        lot.refresh_from_db(fields=["seeds"])
        raise DomainError(
            _("The lot has only %(seeds)d seeds.") % {"seeds": lot.seeds},
            field,
            code="not_enough_seeds",
            status=409,
        )
    lot.refresh_from_db(fields=["seeds"])


def _count_on_accession(lot: Lot, seeds: int) -> None:
    """Move the accession's total (``Accession.stock``) with its lot, in the same atomic
    update form, so concurrent moves on other lots of the accession add up."""
    with tally.kept([lot.accession_id]):
        Accession.objects.filter(pk=lot.accession_id).update(stock=F("stock") + seeds)


def _give_back(lot: Lot, seeds: int) -> None:
    Lot.objects.filter(pk=lot.pk).update(seeds=F("seeds") + seeds)
    _count_on_accession(lot, seeds)
    lot.refresh_from_db(fields=["seeds"])


def _seed_count(data: LotData) -> int:
    if data.seeds is not None:
        seeds = data.seeds
    elif data.grams is not None:
        if not data.hundred_seed_weight_mg:
            raise DomainError(
                _("Give the weight of 100 seeds to count seeds from grams."),
                "hundred_seed_weight_mg",
                code="hundred_seed_weight_required",
            )
        seeds = int(data.grams * 1000 * 100 / data.hundred_seed_weight_mg)
    else:
        raise DomainError(
            _("Give the quantity in seeds or in grams."), "seeds", code="quantity_required"
        )
    if not 0 <= seeds <= MAX_SEEDS:
        raise DomainError(_("The quantity is out of range."), "seeds", code="invalid_quantity")
    return seeds


def _new_lot(accession: Accession, data: LotData) -> Lot:
    if not data.code.strip():
        raise DomainError(_("Give the lot a code."), "code", code="code_required")
    if accession.lots.filter(code=data.code.strip()).exists():
        raise DomainError(
            _("This accession already has a lot %(code)s.") % {"code": data.code},
            "code",
            code="duplicate_lot",
            status=409,
        )
    if data.parent is not None and data.parent.accession_id != accession.pk:
        raise DomainError(
            _("A parent lot must belong to the same accession."), "parent", code="foreign_parent"
        )
    if not Decimal(0) < data.moisture_percent < Decimal(100):
        raise DomainError(
            _("Seed moisture is a percentage between 0 and 100."),
            "moisture_percent",
            code="invalid_moisture",
        )
    if not Decimal(-80) <= data.storage_temperature <= Decimal(60):
        raise DomainError(
            _("The storage temperature is out of range."),
            "storage_temperature",
            code="invalid_temperature",
        )
    if data.hundred_seed_weight_mg is not None and data.hundred_seed_weight_mg <= 0:
        raise DomainError(
            _("The weight of 100 seeds must be positive."),
            "hundred_seed_weight_mg",
            code="invalid_weight",
        )
    lot = Lot.objects.create(
        accession=accession,
        code=data.code.strip(),
        parent=data.parent,
        seeds=_seed_count(data),
        hundred_seed_weight_mg=data.hundred_seed_weight_mg,
        harvested_on=data.harvested_on,
        received_on=data.received_on,
        stored_since=data.stored_since or data.received_on,
        room=data.room.strip(),
        shelf=data.shelf.strip(),
        container=data.container.strip(),
        storage_temperature=data.storage_temperature,
        moisture_percent=data.moisture_percent,
        distributable=data.distributable,
    )
    _count_on_accession(lot, lot.seeds)
    return lot


@guarded("seeds.bank.manage", on="accession", via=lambda accession: accession.bank)
@transaction.atomic
def lot_create(*, actor: Any, accession: Accession, data: LotData) -> Lot:
    lot = _new_lot(accession, data)
    audit.record(
        actor=actor, action=SeedsEvent.LOT_CREATE, target=lot, changes={"seeds": [None, lot.seeds]}
    )
    return lot


@guarded("seeds.bank.manage", on="lot", via=lambda lot: lot.accession.bank)
@transaction.atomic
def test_record(*, actor: Any, lot: Lot, data: TestData) -> GerminationTest:
    """A germination test; its seeds are withdrawn from the lot."""
    if data.sown <= 0:
        raise DomainError(_("Sow at least one seed."), "sown", code="nothing_sown")
    if min(data.germinated, data.abnormal, data.dead) < 0:
        raise DomainError(_("Counts cannot be negative."), "germinated", code="negative_count")
    if data.germinated + data.abnormal + data.dead > data.sown:
        raise DomainError(
            _("Normal, abnormal and dead seeds add up to more than were sown."),
            "germinated",
            code="counts_exceed_sown",
        )
    if data.replicates < 1:
        raise DomainError(_("At least one replicate."), "replicates", code="invalid_replicates")
    if data.tested_on > timezone.localdate():
        raise DomainError(_("The test date is in the future."), "tested_on", code="future_date")
    _withdraw(lot, data.sown, "sown")
    test = GerminationTest.objects.create(
        lot=lot,
        tested_on=data.tested_on,
        sown=data.sown,
        germinated=data.germinated,
        abnormal=data.abnormal,
        dead=data.dead,
        replicates=data.replicates,
        method=data.method.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _refresh_risk([lot])
    audit.record(
        actor=actor,
        action=SeedsEvent.TEST_RECORD,
        target=lot,
        changes={"germinated": [None, data.germinated], "sown": [None, data.sown]},
    )
    return test


@guarded("seeds.bank.manage", on="lot", via=lambda lot: lot.accession.bank)
@transaction.atomic
def regeneration_plan(
    *,
    actor: Any,
    lot: Lot,
    grower: Any,
    place: str,
    sow_on: datetime.date,
    plants: int,
    seeds_used: int,
) -> Regeneration:
    """Plan a grow-out; the seeds to sow leave the lot now."""
    if not place.strip():
        raise DomainError(_("Say where it will be grown."), "place", code="place_required")
    if plants <= 0:
        raise DomainError(_("Give the number of plants."), "plants", code="invalid_plants")
    if seeds_used <= 0:
        raise DomainError(_("Give the seeds to sow."), "seeds_used", code="invalid_seeds")
    _withdraw(lot, seeds_used, "seeds_used")
    regeneration = Regeneration.objects.create(
        lot=lot,
        grower=grower,
        place=place.strip(),
        sow_on=sow_on,
        plants=plants,
        seeds_used=seeds_used,
    )
    audit.record(actor=actor, action=SeedsEvent.REGENERATION_PLAN, target=lot)
    return regeneration


@guarded("seeds.bank.manage", on="regeneration", via=lambda r: r.lot.accession.bank)
@transaction.atomic
def regeneration_harvest(*, actor: Any, regeneration: Regeneration, data: LotData) -> Lot:
    """Record the harvest as a new lot of the same accession, child of the sown lot."""
    claimed = Regeneration.objects.filter(
        pk=regeneration.pk, status=RegenerationStatus.PLANNED
    ).update(status=RegenerationStatus.HARVESTED)
    if not claimed:
        raise DomainError(
            _("This grow-out is already harvested or cancelled."),
            None,
            code="regeneration_closed",
            status=409,
        )
    data.parent = regeneration.lot
    lot = _new_lot(regeneration.lot.accession, data)
    regeneration.status = RegenerationStatus.HARVESTED
    regeneration.harvest = lot
    regeneration.save(update_fields=["status", "harvest", "updated_at"])
    audit.record(
        actor=actor,
        action=SeedsEvent.REGENERATION_HARVEST,
        target=lot,
        changes={"seeds": [None, lot.seeds], "parent": [None, str(regeneration.lot.uuid)]},
    )
    return lot
