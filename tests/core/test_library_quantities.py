"""Quantities of agrifood formulas: reading, converting, scaling (pure, no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minga.core.library.quantities import (
    UNITS,
    Ingredient,
    QuantityError,
    convert,
    display,
    from_thousandths,
    in_system,
    parse_amount,
    scale,
    to_thousandths,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2", Fraction(2)), ("2.5", Fraction(5, 2)), ("2,5", Fraction(5, 2)), ("3/4", Fraction(3, 4))],
)
def test_quantities_are_read_as_people_write_them(text: str, expected: Fraction) -> None:
    """Whole numbers, decimals with a point or a comma, and fractions."""
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "-2", "0", "1/0", "2 kg"])
def test_unreadable_quantities_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(QuantityError) as refusal:
        parse_amount(text)
    assert refusal.value.field == "quantity"


def test_conversions_are_exact() -> None:
    """A US gallon is exactly 3.785411784 litres; a pound exactly 453.59237 grams."""
    assert convert(Fraction(1), "gal", "l") == Fraction("3.785411784")
    assert convert(Fraction(1), "lb", "g") == Fraction("453.59237")
    assert convert(Fraction(2500), "g", "kg") == Fraction(5, 2)
    assert convert(Fraction(1), "ha", "m2") == 10_000


def test_different_dimensions_do_not_convert() -> None:
    with pytest.raises(QuantityError, match="cannot be converted"):
        convert(Fraction(1), "kg", "l")


def test_a_biol_for_200_litres_scales_to_50_litres() -> None:
    """Every measured ingredient is divided by four; the salt "to taste" is kept as written."""
    formula = [
        Ingredient("estiércol fresco", Fraction(40), "kg"),
        Ingredient("leche", Fraction(2), "l"),
        Ingredient("melaza", Fraction(1500), "ml"),
        Ingredient("sal", None, "", "al gusto"),
    ]
    result = scale(
        formula,
        yield_amount=Fraction(200),
        yield_unit="l",
        wanted_amount=Fraction(50),
        wanted_unit="l",
    )
    assert result.factor == Fraction(1, 4)
    amounts = [(i.name, i.amount, i.unit, i.scaled) for i in result.ingredients]
    assert amounts == [
        ("estiércol fresco", Fraction(10), "kg", True),
        ("leche", Fraction(1, 2), "l", True),
        ("melaza", Fraction(375), "ml", True),
        ("sal", None, "", False),
    ]


def test_a_wanted_yield_in_another_unit_is_converted_first() -> None:
    """50 US gallons of a formula written for 200 litres: a factor of 50 × 3.785… / 200."""
    result = scale(
        [Ingredient("estiércol", Fraction(40), "kg")],
        yield_amount=Fraction(200),
        yield_unit="l",
        wanted_amount=Fraction(50),
        wanted_unit="gal",
    )
    assert result.factor == Fraction(50) * Fraction("3.785411784") / 200
    assert result.ingredients[0].amount == Fraction(40) * result.factor


def test_a_wanted_yield_of_another_dimension_is_refused() -> None:
    with pytest.raises(QuantityError):
        scale(
            [],
            yield_amount=Fraction(200),
            yield_unit="l",
            wanted_amount=Fraction(3),
            wanted_unit="kg",
        )


def test_results_are_shown_in_the_chosen_system() -> None:
    """Metric picks the largest unit in which the amount is at least one; US uses pounds."""
    assert in_system(Fraction(2500), "g", "metric") == (Fraction(5, 2), "kg")
    assert in_system(Fraction(1, 2), "kg", "metric") == (Fraction(500), "g")
    amount, code = in_system(Fraction(1), "kg", "us")
    assert code == "lb" and display(amount) == "2.2"
    assert in_system(Fraction(3), "unit", "metric") == (Fraction(3), "unit")


def test_display_rounds_to_three_significant_digits() -> None:
    assert display(Fraction(25, 2)) == "12.5"
    assert display(Fraction(1, 3)) == "0.333"
    assert display(Fraction(1250)) == "1250"
    assert display(Fraction(2, 1)) == "2"


positive = st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(10**6))
units = st.sampled_from(sorted(UNITS))


@given(positive, units)
def test_converting_there_and_back_changes_nothing(amount: Fraction, code: str) -> None:
    base = [other for other in UNITS.values() if other.dimension == UNITS[code].dimension]
    for other in base:
        assert convert(convert(amount, code, other.code), other.code, code) == amount


@given(st.lists(positive, min_size=1, max_size=6), positive, positive)
def test_scaling_keeps_every_proportion(
    amounts: list[Fraction], made: Fraction, wanted: Fraction
) -> None:
    """Scaling multiplies every ingredient by the same factor, so ratios between them hold,
    and scaling back to the original yield gives the original amounts."""
    formula = [Ingredient(f"i{n}", amount, "g") for n, amount in enumerate(amounts)]
    there = scale(formula, yield_amount=made, yield_unit="l", wanted_amount=wanted, wanted_unit="l")
    back = scale(
        [Ingredient(i.name, i.amount, i.unit) for i in there.ingredients],
        yield_amount=wanted,
        yield_unit="l",
        wanted_amount=made,
        wanted_unit="l",
    )
    assert [i.amount for i in back.ingredients] == amounts
    assert all(
        i.amount == a * wanted / made for i, a in zip(there.ingredients, amounts, strict=True)
    )


@given(st.integers(min_value=0, max_value=10**12))
def test_stored_thousandths_round_trip(value: int) -> None:
    assert to_thousandths(from_thousandths(value)) == value
