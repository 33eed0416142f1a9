"""Units of measure of agrifood formulas, and scaling a formula to another yield.

A quantity is an exact :class:`~fractions.Fraction` of a unit. Units belong to a
*dimension* (mass, volume, count, area, length); a quantity converts to any unit of the same
dimension exactly, through the unit's size in the dimension's base unit (grams, millilitres,
pieces, square metres, metres). A formula's ingredients scale by the ratio of the wanted
yield to the formula's yield, after converting the wanted yield into the yield's unit;
ingredients without a quantity ("a handful", "to taste") are kept as written.

Stored quantities are whole numbers of thousandths (:func:`to_thousandths`), so the database
holds integers and nothing is lost in floating point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction


@dataclass(frozen=True)
class Unit:
    code: str
    dimension: str
    size: Fraction  # in the dimension's base unit
    system: str = "metric"  # metric, us, any


def _units() -> dict[str, Unit]:
    table = [
        # mass, in grams
        Unit("mg", "mass", Fraction(1, 1000)),
        Unit("g", "mass", Fraction(1)),
        Unit("kg", "mass", Fraction(1000)),
        Unit("t", "mass", Fraction(1_000_000)),
        Unit("oz", "mass", Fraction("28.349523125"), "us"),
        Unit("lb", "mass", Fraction("453.59237"), "us"),
        # volume, in millilitres
        Unit("ml", "volume", Fraction(1)),
        Unit("l", "volume", Fraction(1000)),
        Unit("m3", "volume", Fraction(1_000_000)),
        Unit("tsp", "volume", Fraction(5), "any"),
        Unit("tbsp", "volume", Fraction(15), "any"),
        Unit("cup", "volume", Fraction(250), "any"),
        Unit("floz", "volume", Fraction("29.5735295625"), "us"),
        Unit("gal", "volume", Fraction("3785.411784"), "us"),
        # count, in pieces
        Unit("unit", "count", Fraction(1), "any"),
        Unit("dozen", "count", Fraction(12), "any"),
        # area, in square metres
        Unit("m2", "area", Fraction(1)),
        Unit("ha", "area", Fraction(10_000)),
        Unit("acre", "area", Fraction("4046.8564224"), "us"),
        # length, in metres
        Unit("cm", "length", Fraction(1, 100)),
        Unit("m", "length", Fraction(1)),
    ]
    return {unit.code: unit for unit in table}


UNITS = _units()
THOUSANDTHS = 1000
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+))?\s*$")


class QuantityError(ValueError):
    """A quantity or unit that cannot be read or converted; ``field`` names the input."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def unit(code: str) -> Unit:
    found = UNITS.get(code)
    if found is None:
        raise QuantityError(f"unknown unit {code!r}", "unit")
    return found


def convert(amount: Fraction, source: str, target: str) -> Fraction:
    """``amount`` of ``source`` expressed in ``target`` (same dimension), exactly."""
    origin, goal = unit(source), unit(target)
    if origin.dimension != goal.dimension:
        raise QuantityError(
            f"{source} ({origin.dimension}) cannot be converted to {target} ({goal.dimension})",
            "unit",
        )
    return amount * origin.size / goal.size


def parse_amount(text: str) -> Fraction:
    """A quantity written by a person: ``2``, ``2.5``, ``2,5`` or ``3/4``; positive."""
    match = _NUMBER.match(text or "")
    if match is None:
        raise QuantityError(f"{text!r} is not a quantity such as 2.5 or 3/4", "quantity")
    whole, divisor = match.groups()
    try:
        value = Fraction(Decimal(whole.replace(",", ".")))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise QuantityError(f"{text!r} is not a quantity", "quantity") from error
    if divisor is not None:
        if int(divisor) == 0:
            raise QuantityError("a quantity cannot be divided by zero", "quantity")
        value /= int(divisor)
    if value <= 0:
        raise QuantityError("a quantity must be above zero", "quantity")
    return value


def to_thousandths(amount: Fraction) -> int:
    """The stored integer: thousandths of the unit, rounded half up to the nearest."""
    scaled = amount * THOUSANDTHS
    return int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))


def from_thousandths(value: int) -> Fraction:
    return Fraction(value, THOUSANDTHS)


def display(amount: Fraction, significant: int = 3) -> str:
    """A readable number: rounded to ``significant`` significant digits (whole numbers keep
    all their digits), without trailing zeros: ``12.5``, ``0.333``, ``1250``."""
    if amount == 0:
        return "0"
    value = Decimal(amount.numerator) / Decimal(amount.denominator)
    places = max(0, significant - (value.copy_abs().adjusted() + 1))
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# The units a system prefers to show a dimension in, from small to large.
_LADDERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("metric", "mass"): ("mg", "g", "kg", "t"),
    ("metric", "volume"): ("ml", "l", "m3"),
    ("metric", "area"): ("m2", "ha"),
    ("metric", "length"): ("cm", "m"),
    ("us", "mass"): ("oz", "lb"),
    ("us", "volume"): ("floz", "gal"),
    ("us", "area"): ("acre",),
}


def in_system(amount: Fraction, code: str, system: str) -> tuple[Fraction, str]:
    """The quantity in the largest unit of ``system`` in which it is still at least 1.

    ``system`` is ``as_written`` (keep the unit), ``metric`` or ``us``; a dimension the
    system has no units for (counts) keeps its unit.
    """
    if system == "as_written":
        return amount, code
    dimension = unit(code).dimension
    ladder = _LADDERS.get((system, dimension))
    if not ladder:
        return amount, code
    chosen = ladder[0]
    for candidate in ladder:
        if convert(amount, code, candidate) >= 1:
            chosen = candidate
    return convert(amount, code, chosen), chosen


@dataclass(frozen=True)
class Ingredient:
    name: str
    amount: Fraction | None  # None: not measured ("to taste"), kept as written
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class ScaledIngredient:
    name: str
    amount: Fraction | None
    unit: str
    note: str
    scaled: bool


@dataclass(frozen=True)
class Scaled:
    factor: Fraction
    yield_amount: Fraction
    yield_unit: str
    ingredients: tuple[ScaledIngredient, ...]


def scale(
    ingredients: list[Ingredient] | tuple[Ingredient, ...],
    *,
    yield_amount: Fraction,
    yield_unit: str,
    wanted_amount: Fraction,
    wanted_unit: str,
    system: str = "as_written",
) -> Scaled:
    """The formula's ingredients for ``wanted_amount`` of ``wanted_unit`` of product.

    The wanted yield is converted into the formula's yield unit (so 50 gal of a formula
    written for 200 l works); every measured ingredient is multiplied by the same factor and
    shown in ``system``'s units. Unmeasured ingredients are kept and marked as not scaled.
    """
    if yield_amount <= 0:
        raise QuantityError("the formula has no yield to scale from", "yield")
    if wanted_amount <= 0:
        raise QuantityError("the wanted yield must be above zero", "quantity")
    if system not in ("as_written", "metric", "us"):
        raise QuantityError(f"unknown system of units {system!r}", "system")
    factor = convert(wanted_amount, wanted_unit, yield_unit) / yield_amount
    result = []
    for ingredient in ingredients:
        if ingredient.amount is None or not ingredient.unit:
            result.append(
                ScaledIngredient(ingredient.name, None, ingredient.unit, ingredient.note, False)
            )
            continue
        amount, code = in_system(ingredient.amount * factor, ingredient.unit, system)
        result.append(ScaledIngredient(ingredient.name, amount, code, ingredient.note, True))
    return Scaled(factor, wanted_amount, wanted_unit, tuple(result))
