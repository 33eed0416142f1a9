"""The improved seed viability equation of Ellis & Roberts (1980).

    v = Ki - p / sigma
    log10 sigma = KE - CW log10 m - CH t - CQ t^2

``v`` and ``Ki`` are probits (normal equivalent deviates) of the viability after ``p`` days
and at the start of storage, ``m`` the seed moisture content (% fresh weight), ``t`` the
storage temperature (°C) and ``sigma`` the days to lose one probit. ``KE`` and ``CW`` are
species constants; ``CH`` and ``CQ`` are species temperature terms, or the universal ones of
Dickie et al. (1990, Annals of Botany 65: 197-204) when a species has only ``KE`` and ``CW``.

The equation was fitted for orthodox seeds between about 5 and 25 % moisture and -20 and
90 °C; outside that range the prediction is an extrapolation and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

# Dickie, Ellis, Kraak, Ryder & Tompsett (1990): one temperature relation for all species.
UNIVERSAL_CH = 0.0329
UNIVERSAL_CQ = 0.000478

MOISTURE_RANGE = (5.0, 25.0)
TEMPERATURE_RANGE = (-20.0, 90.0)

_NORMAL = NormalDist()


class ViabilityError(ValueError):
    """An input the equation cannot take; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SpeciesConstants:
    ke: float
    cw: float
    ch: float = UNIVERSAL_CH
    cq: float = UNIVERSAL_CQ


@dataclass(frozen=True)
class Storage:
    moisture_percent: float
    temperature_celsius: float


@dataclass(frozen=True)
class Prediction:
    viability_percent: float
    sigma_days: float
    initial_percent: float
    days: float
    extrapolated: bool  # storage outside the range the equation was fitted on


def _finite(field: str, value: float) -> float:
    if not math.isfinite(value):
        raise ViabilityError(field, "must be a finite number")
    return value


def _check_storage(storage: Storage) -> None:
    _finite("moisture", storage.moisture_percent)
    _finite("temperature", storage.temperature_celsius)
    if not 0 < storage.moisture_percent < 100:
        raise ViabilityError("moisture", "must be between 0 and 100 percent (exclusive)")


def _check_percent(field: str, value: float) -> None:
    _finite(field, value)
    if not 0 < value < 100:
        raise ViabilityError(field, "must be between 0 and 100 percent (exclusive)")


def sigma_days(constants: SpeciesConstants, storage: Storage) -> float:
    """The days to lose one probit of viability in this storage."""
    for field in ("ke", "cw", "ch", "cq"):
        _finite(field, getattr(constants, field))
    _check_storage(storage)
    t = storage.temperature_celsius
    log_sigma = (
        constants.ke
        - constants.cw * math.log10(storage.moisture_percent)
        - constants.ch * t
        - constants.cq * t * t
    )
    if log_sigma > 300:
        raise ViabilityError("temperature", "gives a seed life too long to compute")
    return float(10.0**log_sigma)


def percent_to_probit(percent: float) -> float:
    return _NORMAL.inv_cdf(percent / 100.0)


def probit_to_percent(probit: float) -> float:
    return _NORMAL.cdf(probit) * 100.0


def is_extrapolated(storage: Storage) -> bool:
    low_m, high_m = MOISTURE_RANGE
    low_t, high_t = TEMPERATURE_RANGE
    return not (
        low_m <= storage.moisture_percent <= high_m
        and low_t <= storage.temperature_celsius <= high_t
    )


def predict(
    constants: SpeciesConstants, *, initial_percent: float, storage: Storage, days: float
) -> Prediction:
    """The viability expected after ``days`` of storage, from ``initial_percent`` at day 0."""
    _check_percent("initial", initial_percent)
    _finite("days", days)
    if days < 0:
        raise ViabilityError("days", "must not be negative")
    sigma = sigma_days(constants, storage)
    probit = percent_to_probit(initial_percent) - days / sigma
    return Prediction(
        viability_percent=probit_to_percent(probit),
        sigma_days=sigma,
        initial_percent=initial_percent,
        days=days,
        extrapolated=is_extrapolated(storage),
    )


def days_until(
    constants: SpeciesConstants,
    *,
    initial_percent: float,
    threshold_percent: float,
    storage: Storage,
) -> float:
    """Days of storage until viability falls to ``threshold_percent`` (0 if it already has)."""
    _check_percent("initial", initial_percent)
    _check_percent("threshold", threshold_percent)
    sigma = sigma_days(constants, storage)
    drop = percent_to_probit(initial_percent) - percent_to_probit(threshold_percent)
    return max(0.0, drop * sigma)


def curve(
    constants: SpeciesConstants,
    *,
    initial_percent: float,
    storage: Storage,
    until_days: float,
    points: int = 50,
) -> list[tuple[float, float]]:
    """``points`` evenly spaced (day, viability percent) pairs from day 0 to ``until_days``."""
    if points < 2:
        raise ViabilityError("points", "must be at least 2")
    _finite("days", until_days)
    if until_days <= 0:
        raise ViabilityError("days", "must be positive")
    _check_percent("initial", initial_percent)
    sigma = sigma_days(constants, storage)
    ki = percent_to_probit(initial_percent)
    step = until_days / (points - 1)
    return [(i * step, probit_to_percent(ki - i * step / sigma)) for i in range(points)]


def initial_from_test(sown: int, germinated: int) -> float:
    """Ki as a percentage from a germination test.

    A test where every seed (or none) germinated has no finite probit; it is taken as half a
    seed short of all (or half a seed above none), the usual correction for probit analysis.
    """
    if sown <= 0:
        raise ViabilityError("sown", "must be positive")
    if not 0 <= germinated <= sown:
        raise ViabilityError("germinated", "must be between 0 and the seeds sown")
    count = min(max(germinated, 0.5), sown - 0.5)
    return 100.0 * count / sown
