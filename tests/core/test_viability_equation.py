"""The Ellis & Roberts seed viability equation against values computed independently."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.core.viability.constants import constants_for, find_species, species_table
from minga.core.viability.equation import (
    UNIVERSAL_CH,
    UNIVERSAL_CQ,
    SpeciesConstants,
    Storage,
    ViabilityError,
    curve,
    days_until,
    initial_from_test,
    predict,
    sigma_days,
)
from minga.core.viability.vectorized import LotColumns, predict_many

WHEAT = SpeciesConstants(ke=9.043, cw=5.183, ch=0.0351, cq=0.000475)  # Ellis et al. 2007
STORE = Storage(moisture_percent=12, temperature_celsius=20)


def test_wheat_after_a_year_matches_the_published_example() -> None:
    """Wheat (KE 9.043, CW 5.183, CH 0.0351, CQ 0.000475), 95 % initial, 12 % moisture,
    20 °C, 365 days: about 73.7 % (sigma about 361 days), as the issue computed by hand."""
    prediction = predict(WHEAT, initial_percent=95, storage=STORE, days=365)
    assert prediction.viability_percent == pytest.approx(73.7, abs=0.05)
    assert prediction.sigma_days == pytest.approx(361.08, abs=0.01)
    assert prediction.extrapolated is False


def test_universal_temperature_terms_when_a_species_has_only_ke_and_cw() -> None:
    """With only KE and CW the universal CH 0.0329 and CQ 0.000478 apply: the same wheat
    lot gives about 76.70 % (sigma 398.48 days, computed with erf and bisection)."""
    constants = SpeciesConstants(ke=9.043, cw=5.183)
    assert (constants.ch, constants.cq) == (UNIVERSAL_CH, UNIVERSAL_CQ) == (0.0329, 0.000478)
    prediction = predict(constants, initial_percent=95, storage=STORE, days=365)
    assert prediction.viability_percent == pytest.approx(76.696, abs=0.001)
    assert prediction.sigma_days == pytest.approx(398.477, abs=0.001)


@pytest.mark.parametrize(
    ("initial", "moisture", "temperature", "days", "expected"),
    [
        (98, 10, 5, 3650, 94.1614),  # cold store, ten years
        (90, 14, 25, 180, 24.1482),  # damp and warm, half a year
    ],
)
def test_barley_against_an_independent_computation(
    initial: float, moisture: float, temperature: float, days: float, expected: float
) -> None:
    """Barley (Ellis & Roberts 1980: KE 9.983, CW 5.896, CH 0.040, CQ 0.000428) from the
    shipped table, against values computed separately with math.erf."""
    row = constants_for("Hordeum", "vulgare")
    assert row is not None and "Ellis" in row.citation and "1980" in row.citation
    storage = Storage(moisture_percent=moisture, temperature_celsius=temperature)
    prediction = predict(row.constants, initial_percent=initial, storage=storage, days=days)
    assert prediction.viability_percent == pytest.approx(expected, abs=0.0001)


def _erf_percent(
    constants: SpeciesConstants, initial: float, storage: Storage, days: float
) -> float:
    """A second implementation: the normal CDF through math.erf and its inverse by bisection."""

    def cdf(x: float) -> float:
        return 0.5 * (1 + math.erf(x / math.sqrt(2)))

    low, high = -12.0, 12.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if cdf(middle) < initial / 100 else (low, middle)
    m, t = storage.moisture_percent, storage.temperature_celsius
    sigma = 10 ** (
        constants.ke - constants.cw * math.log10(m) - constants.ch * t - constants.cq * t * t
    )
    return 100 * cdf(low - days / sigma)


@settings(deadline=None)
@given(
    initial=st.floats(1, 99.9),
    moisture=st.floats(4, 25),
    temperature=st.floats(-20, 50),
    days=st.floats(0, 36500),
)
def test_equation_agrees_with_a_second_implementation(
    initial: float, moisture: float, temperature: float, days: float
) -> None:
    """For any storage in the fitted range the prediction matches the erf implementation."""
    storage = Storage(moisture_percent=moisture, temperature_celsius=temperature)
    got = predict(WHEAT, initial_percent=initial, storage=storage, days=days).viability_percent
    assert got == pytest.approx(_erf_percent(WHEAT, initial, storage, days), abs=1e-6)


@settings(deadline=None)
@given(
    initial=st.floats(1, 99.9),
    moisture=st.floats(4, 25),
    temperature=st.floats(-20, 50),
    first=st.floats(0, 20000),
    extra=st.floats(0, 20000),
)
def test_viability_never_rises_with_storage(
    initial: float, moisture: float, temperature: float, first: float, extra: float
) -> None:
    """Longer storage never predicts more viability, and day 0 gives the initial viability."""
    storage = Storage(moisture_percent=moisture, temperature_celsius=temperature)
    at = predict(WHEAT, initial_percent=initial, storage=storage, days=first).viability_percent
    later = predict(WHEAT, initial_percent=initial, storage=storage, days=first + extra)
    assert later.viability_percent <= at + 1e-9
    start = predict(WHEAT, initial_percent=initial, storage=storage, days=0)
    assert start.viability_percent == pytest.approx(initial, abs=1e-9)


@settings(deadline=None)
@given(initial=st.floats(50, 99.5), threshold=st.floats(1, 49), moisture=st.floats(5, 20))
def test_days_until_threshold_lands_on_the_threshold(
    initial: float, threshold: float, moisture: float
) -> None:
    """Predicting at the computed regeneration day gives the threshold back."""
    storage = Storage(moisture_percent=moisture, temperature_celsius=15)
    days = days_until(WHEAT, initial_percent=initial, threshold_percent=threshold, storage=storage)
    got = predict(WHEAT, initial_percent=initial, storage=storage, days=days).viability_percent
    assert got == pytest.approx(threshold, abs=1e-6)


def test_days_until_is_zero_when_already_below() -> None:
    """A lot already below the threshold is due now, never at a negative date."""
    assert days_until(WHEAT, initial_percent=80, threshold_percent=85, storage=STORE) == 0


def test_curve_starts_at_the_initial_viability_and_falls() -> None:
    """The curve has the asked number of points, starts at Ki and falls monotonically."""
    points = curve(WHEAT, initial_percent=95, storage=STORE, until_days=1000, points=11)
    assert len(points) == 11 and points[0] == (0.0, pytest.approx(95))
    assert points[-1][0] == pytest.approx(1000)
    assert all(b[1] < a[1] for a, b in itertools.pairwise(points))


def test_drier_and_colder_storage_keeps_seeds_longer() -> None:
    """Sigma grows as moisture or temperature falls (wheat constants)."""
    assert sigma_days(WHEAT, Storage(6, 20)) > sigma_days(WHEAT, STORE)
    assert sigma_days(WHEAT, Storage(12, -18)) > sigma_days(WHEAT, STORE)


def test_storage_outside_the_fitted_range_is_flagged() -> None:
    """30 % moisture is outside 5-25 %: the prediction is marked as extrapolated."""
    assert predict(WHEAT, initial_percent=95, storage=Storage(30, 20), days=10).extrapolated


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"initial_percent": 100, "storage": STORE, "days": 1}, "initial"),
        ({"initial_percent": 0, "storage": STORE, "days": 1}, "initial"),
        ({"initial_percent": 90, "storage": Storage(0, 20), "days": 1}, "moisture"),
        ({"initial_percent": 90, "storage": Storage(12, math.nan), "days": 1}, "temperature"),
        ({"initial_percent": 90, "storage": STORE, "days": -1}, "days"),
    ],
)
def test_bad_inputs_name_their_field(kwargs: dict[str, object], field: str) -> None:
    """Inputs the equation cannot take raise ViabilityError naming the input."""
    with pytest.raises(ViabilityError) as error:
        predict(WHEAT, **kwargs)  # type: ignore[arg-type]
    assert error.value.field == field


def test_initial_from_a_test_corrects_all_or_none() -> None:
    """48 of 50 gives 96 %; 50 of 50 gives 99 % (half a seed short), 0 of 50 gives 1 %."""
    assert initial_from_test(50, 48) == 96
    assert initial_from_test(50, 50) == 99
    assert initial_from_test(50, 0) == 1
    with pytest.raises(ViabilityError):
        initial_from_test(50, 51)


def test_every_table_row_has_a_citation_with_a_year() -> None:
    """Each shipped row cites its source with a year, and common names find rows too."""
    assert len(species_table()) >= 2
    for row in species_table():
        assert any(str(year) in row.citation for year in range(1960, 2030))
        assert row.constants.ke > 0 and row.constants.cw > 0
    assert find_species("WHEAT") == find_species("Triticum  aestivum")
    assert find_species("maize") == find_species("Zea mays")
    # The native crops of the demo have their rows; a crop without published constants has
    # none (and gets no prediction, never a guess).
    for crop in ("Phaseolus vulgaris", "Solanum tuberosum", "Chenopodium quinoa"):
        assert find_species(crop) is not None, crop
    assert find_species("Amaranthus caudatus") is None
    names = [row.name for row in species_table()]
    assert len(names) == len(set(names))


@settings(deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.floats(1, 99.9),
            st.floats(4, 25),
            st.floats(-20, 50),
            st.floats(0, 36500),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_vectorized_prediction_matches_the_scalar_one(
    rows: list[tuple[float, float, float, float]],
) -> None:
    """predict_many gives, row by row, what predict gives for the same lot."""

    def column(values: list[float]) -> Any:
        return np.array(values, dtype=np.float64)

    count = len(rows)
    columns = LotColumns(
        ke=column([WHEAT.ke] * count),
        cw=column([WHEAT.cw] * count),
        ch=column([WHEAT.ch] * count),
        cq=column([WHEAT.cq] * count),
        initial_percent=column([row[0] for row in rows]),
        moisture_percent=column([row[1] for row in rows]),
        temperature_celsius=column([row[2] for row in rows]),
        days=column([row[3] for row in rows]),
    )
    got = predict_many(columns)
    for index, (initial, moisture, temperature, days) in enumerate(rows):
        expected = predict(
            WHEAT, initial_percent=initial, storage=Storage(moisture, temperature), days=days
        ).viability_percent
        assert got[index] == pytest.approx(expected, abs=1e-7)


def test_vectorized_marks_bad_rows_and_keeps_the_others() -> None:
    """A lot at 100 % initial or 0 % moisture is NaN; its neighbours are still predicted."""

    def column(*values: float) -> Any:
        return np.array(values, dtype=np.float64)

    got = predict_many(
        LotColumns(
            ke=column(9.043, 9.043, 9.043),
            cw=column(5.183, 5.183, 5.183),
            ch=column(0.0351, 0.0351, 0.0351),
            cq=column(0.000475, 0.000475, 0.000475),
            initial_percent=column(95, 100, 95),
            moisture_percent=column(12, 12, 0),
            temperature_celsius=column(20, 20, 20),
            days=column(365, 365, 365),
        )
    )
    assert got[0] == pytest.approx(73.6959, abs=1e-4)
    assert np.isnan(got[1]) and np.isnan(got[2])
