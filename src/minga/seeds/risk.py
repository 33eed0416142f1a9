"""When a lot needs regenerating, from its germination tests and its storage.

Stored on the lot (``Lot.regenerate_on``) whenever a test is recorded or the bank changes its
threshold, so the reports of accessions at risk are one indexed query however large the bank.
Pure: plain values in, a date out (the migration that fills the column uses it too).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from minga.core.viability.constants import constants_for
from minga.core.viability.equation import Storage, ViabilityError, days_until, initial_from_test

# Past this the equation says "not in any planning horizon": no date.
HORIZON_DAYS = 365 * 500


def regeneration_due(
    *,
    genus: str,
    species: str,
    fraction_percent: int,
    tests: Sequence[tuple[datetime.date, int, int]],
    moisture_percent: float,
    temperature_celsius: float,
) -> datetime.date | None:
    """The day viability falls below ``fraction_percent`` % of the first test's germination.

    ``tests`` are (date, sown, germinated) in the order they were made. The earlier of: the
    first later test that found germination below the threshold, and the day the Ellis &
    Roberts equation predicts it from the last test (when the species has published
    constants). None without a test, or when neither happens within the horizon.
    """
    if not tests:
        return None
    _, first_sown, first_germinated = tests[0]
    threshold = fraction_percent * (100 * first_germinated / first_sown) / 100
    dates = []
    for day, sown, germinated in tests[1:]:
        if 100 * germinated / sown < threshold:
            dates.append(day)
            break
    row = constants_for(genus, species)
    if row is not None and threshold > 0:
        last_day, last_sown, last_germinated = tests[-1]
        try:
            wait = days_until(
                row.constants,
                initial_percent=initial_from_test(last_sown, last_germinated),
                threshold_percent=min(max(threshold, 0.01), 99.99),
                storage=Storage(
                    moisture_percent=moisture_percent, temperature_celsius=temperature_celsius
                ),
            )
        except ViabilityError:
            wait = None
        if wait is not None and wait < HORIZON_DAYS:
            dates.append(last_day + datetime.timedelta(days=round(wait)))
    return min(dates) if dates else None
