"""The viability equation over many lots at once, with NumPy arrays.

The same equation as :mod:`.equation`, computed column-wise: a million lots take a few
NumPy passes instead of a million Python calls. The normal distribution's CDF and its
inverse come from SciPy (``ndtr``, ``ndtri``). Inputs outside what the equation takes give
NaN in their row rather than an exception, so one bad lot never hides the others.

This module may import only NumPy, SciPy and the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr, ndtri

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class LotColumns:
    """One entry per lot; the species constants may be given per lot."""

    ke: Floats
    cw: Floats
    ch: Floats
    cq: Floats
    initial_percent: Floats
    moisture_percent: Floats
    temperature_celsius: Floats
    days: Floats


def predict_many(lots: LotColumns) -> Floats:
    """Predicted viability (percent) of every lot; NaN where an input is out of range."""
    t = lots.temperature_celsius
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_sigma = (
            lots.ke - lots.cw * np.log10(lots.moisture_percent) - lots.ch * t - lots.cq * t * t
        )
        sigma = np.power(10.0, log_sigma)
        probit = ndtri(lots.initial_percent / 100.0) - lots.days / sigma
        result: Floats = ndtr(probit) * 100.0
    bad = (
        ~np.isfinite(lots.initial_percent)
        | (lots.initial_percent <= 0)
        | (lots.initial_percent >= 100)
        | ~(lots.moisture_percent > 0)
        | ~(lots.moisture_percent < 100)
        | ~(lots.days >= 0)
        | ~np.isfinite(t)
    )
    result[bad] = np.nan
    return result
