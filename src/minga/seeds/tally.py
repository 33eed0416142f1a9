"""The kept counts of accessions at risk (``models.RiskTally``), per bank and reason.

Every write that changes an accession's bank, earliest regeneration date, seed total or
safety duplicate does it inside :func:`kept` (or adds new accessions with :func:`add_new`),
in its own transaction: the accessions' keys are read (their rows locked) before and after,
and the difference is added to the tallies with atomic ``F()`` updates, so concurrent writes
add up. A change of a bank's minimum of seeds recounts that bank (:func:`recount`). The
report then counts for any day from a few rows (:func:`risk_counts`).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, Q, Sum, When

# The regeneration date of an accession that has none (beyond any day a report asks).
NO_DATE = datetime.date(9999, 12, 31)

Key = tuple[int, datetime.date, bool, bool]  # bank, regeneration date, low stock, no duplicate


def _models() -> tuple[Any, Any, Any]:
    from .models import Accession, RiskTally, SeedBank

    return Accession, RiskTally, SeedBank


def _minimums(bank_ids: Iterable[int]) -> dict[int, int]:
    _accession, _tally, bank_model = _models()
    rows = bank_model.objects.filter(pk__in=set(bank_ids)).values_list(
        "pk", "seeds_per_sowing", "minimum_sowings"
    )
    return {pk: per * sowings for pk, per, sowings in rows}


def _keys(accession_ids: Iterable[int], *, lock: bool) -> Counter[Key]:
    accession_model, _tally, _bank = _models()
    rows = accession_model.objects.filter(pk__in=list(accession_ids)).order_by("pk")
    if lock:
        rows = rows.select_for_update(of=("self",))
    values = list(rows.values_list("bank_id", "regenerate_on", "stock", "duplsite"))
    minimums = _minimums(bank for bank, *_rest in values)
    return Counter(
        (bank, regenerate_on or NO_DATE, stock < minimums[bank], duplsite == "")
        for bank, regenerate_on, stock, duplsite in values
    )


def _add(changes: Counter[Key] | dict[Key, int]) -> None:
    """Add each key's change to its tally row (made at 0 first when missing)."""
    _accession, tally_model, _bank = _models()
    changes = {key: delta for key, delta in changes.items() if delta}
    if not changes:
        return
    tally_model.objects.bulk_create(
        [
            tally_model(
                bank_id=bank, regenerate_on=day, low_stock=low, no_duplicate=alone, accessions=0
            )
            for bank, day, low, alone in changes
        ],
        ignore_conflicts=True,
    )
    for (bank, day, low, alone), delta in changes.items():
        tally_model.objects.filter(
            bank_id=bank, regenerate_on=day, low_stock=low, no_duplicate=alone
        ).update(accessions=F("accessions") + delta)


@contextmanager
def kept(accession_ids: Iterable[int]) -> Iterator[None]:
    """Run a write of these accessions with their tallies kept (inside the caller's
    transaction, or one of its own)."""
    ids = sorted(set(accession_ids))
    with transaction.atomic():
        before = _keys(ids, lock=True)
        yield
        after = _keys(ids, lock=False)
        change: Counter[Key] = Counter(after)
        change.subtract(before)
        _add(change)


def add_new(accession_ids: Iterable[int]) -> None:
    """Count accessions just written (an import's chunk), in the writer's transaction."""
    _add(_keys(accession_ids, lock=False))


def recount(bank_id: int, *, accession_model: Any = None, tally_model: Any = None) -> None:
    """Count the bank's accessions again from its rows (after its minimum of seeds changed,
    in a migration, or after a bulk load); the models may be a migration's."""
    accession_model = accession_model or _models()[0]
    tally_model = tally_model or _models()[1]
    bank = accession_model._meta.get_field("bank").related_model
    per, sowings = bank.objects.filter(pk=bank_id).values_list(
        "seeds_per_sowing", "minimum_sowings"
    )[0]
    minimum = per * sowings
    rows = (
        accession_model.objects.filter(bank_id=bank_id)
        .annotate(
            low=Case(When(stock__lt=minimum, then=True), default=False),
            alone=Case(When(duplsite="", then=True), default=False),
        )
        .values_list("regenerate_on", "low", "alone")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: Counter[tuple[datetime.date, bool, bool]] = Counter()
    for day, low, alone, n in rows:
        counts[(day or NO_DATE, bool(low), bool(alone))] += n
    with transaction.atomic():
        tally_model.objects.filter(bank_id=bank_id).delete()
        tally_model.objects.bulk_create(
            [
                tally_model(
                    bank_id=bank_id,
                    regenerate_on=day,
                    low_stock=low,
                    no_duplicate=alone,
                    accessions=n,
                )
                for (day, low, alone), n in counts.items()
            ],
            batch_size=500,
        )


@dataclass(frozen=True)
class RiskCounts:
    """Accessions of a bank at risk on a day: in all (each once), and per reason."""

    total: int
    viability: int
    quantity: int
    duplicate: int

    def of(self, reason: str) -> int:
        return int(getattr(self, reason)) if reason else self.total


def risk_counts(bank: Any, today: datetime.date) -> RiskCounts:
    """The bank's counts on ``today``, from its tallies (one query over a few rows)."""
    _accession, tally_model, _bank = _models()
    due = Q(regenerate_on__lte=today)
    sums = tally_model.objects.filter(bank=bank).aggregate(
        total=Sum("accessions", filter=due | Q(low_stock=True) | Q(no_duplicate=True)),
        viability=Sum("accessions", filter=due),
        quantity=Sum("accessions", filter=Q(low_stock=True)),
        duplicate=Sum("accessions", filter=Q(no_duplicate=True)),
    )
    return RiskCounts(**{name: int(value or 0) for name, value in sums.items()})
