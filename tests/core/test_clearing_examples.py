"""Hand-worked examples of multilateral clearing, and the value types' contracts."""

from __future__ import annotations

from fractions import Fraction

import pytest

from minga.core.clearing import (
    MAX_TOTAL,
    AmountOverflowError,
    ClearingResult,
    InvalidObligationError,
    Obligation,
    clear,
)
from minga.core.clearing.baseline import clear_with_networkx
from minga.core.clearing.model import fraction_to_decimal


def ob(debtor: str, creditor: str, amount: int) -> Obligation:
    return Obligation(debtor, creditor, amount)


def remaining_map(result: ClearingResult) -> dict[tuple[str, str], int]:
    return {(edge.debtor, edge.creditor): edge.amount_remaining for edge in result.setoff}


def test_three_cycle_with_equal_amounts_clears_fully() -> None:
    """A→B 10, B→C 10, C→A 10 cancels completely and leaves nobody owing anything."""
    result = clear([ob("A", "B", 10), ob("B", "C", 10), ob("C", "A", 10)])
    assert result.total_before == 30
    assert result.total_after == 0
    assert result.cleared == 30
    assert result.percent_cleared == 100
    assert result.percent_cleared_text() == "100.00"
    assert result.remaining == ()
    for position in result.positions:
        assert (position.payable_after, position.receivable_after, position.net) == (0, 0, 0)


def test_chain_does_not_clear() -> None:
    """A→B→C has no cycle, so nothing can be set off and every debt remains."""
    obligations = [ob("A", "B", 10), ob("B", "C", 10)]
    result = clear(obligations)
    assert result.cleared == 0
    assert result.total_after == 20
    assert result.percent_cleared_text() == "0.00"
    assert list(result.remaining) == obligations


def test_cycle_with_unequal_amounts_clears_its_minimum_on_every_edge() -> None:
    """A→B 10, B→C 7, C→A 4: the 4 around the cycle is cancelled on each of its three edges."""
    result = clear([ob("A", "B", 10), ob("B", "C", 7), ob("C", "A", 4)])
    assert result.cleared == 12
    assert remaining_map(result) == {("A", "B"): 6, ("B", "C"): 3, ("C", "A"): 0}
    assert result.percent_cleared == Fraction(1200, 21)
    assert result.percent_cleared_text() == "57.14"


def test_opposite_edges_are_netted_bilaterally() -> None:
    """A→B 10 and B→A 4 are a two-edge cycle: 4 is cancelled each way, A still owes B 6."""
    result = clear([ob("A", "B", 10), ob("B", "A", 4)])
    assert result.cleared == 8
    assert remaining_map(result) == {("A", "B"): 6, ("B", "A"): 0}
    assert [(o.debtor, o.creditor, o.amount) for o in result.remaining] == [("A", "B", 6)]


def test_equal_opposite_edges_cancel_completely() -> None:
    """Mutual debts of the same size cancel each other entirely."""
    result = clear([ob("A", "B", 5), ob("B", "A", 5)])
    assert result.total_after == 0


def test_parallel_obligations_are_aggregated() -> None:
    """Several obligations A→B are one edge whose amount is their sum."""
    result = clear([ob("A", "B", 3), ob("A", "B", 7), ob("B", "A", 10)])
    assert [(e.debtor, e.creditor, e.amount_before) for e in result.setoff] == [
        ("A", "B", 10),
        ("B", "A", 10),
    ]
    assert result.total_before == 20
    assert result.total_after == 0


def test_longer_cycle_beats_bilateral_netting_when_it_clears_more() -> None:
    """Netting A⇄B first would clear 20; using A→B in the 4-cycle instead clears 40."""
    obligations = [
        ob("A", "B", 10),
        ob("B", "A", 10),
        ob("B", "C", 10),
        ob("C", "D", 10),
        ob("D", "A", 10),
    ]
    result = clear(obligations)
    assert result.cleared == 40
    assert remaining_map(result) == {
        ("A", "B"): 0,
        ("B", "A"): 10,
        ("B", "C"): 0,
        ("C", "D"): 0,
        ("D", "A"): 0,
    }
    assert clear_with_networkx(obligations).cleared == 40


def test_two_cycles_sharing_an_edge() -> None:
    """Cycles A→B→C→A and A→B→D→A share A→B, which can only carry 10 of cancellation."""
    obligations = [
        ob("A", "B", 10),
        ob("B", "C", 10),
        ob("C", "A", 10),
        ob("B", "D", 10),
        ob("D", "A", 10),
    ]
    result = clear(obligations)
    assert result.cleared == 30
    assert result.total_after == 20


def test_net_positions_and_position_totals_on_a_small_network() -> None:
    """Positions report payables/receivables before and after; nets never change."""
    result = clear([ob("A", "B", 10), ob("B", "C", 10), ob("C", "A", 10), ob("C", "D", 5)])
    positions = {p.organization: p for p in result.positions}
    assert [p.organization for p in result.positions] == ["A", "B", "C", "D"]
    assert positions["C"].payable_before == 15
    assert positions["C"].payable_after == 5
    assert positions["D"].receivable_after == 5
    for position in result.positions:
        assert position.net_after == position.net
    assert sum(p.payable_after for p in result.positions) == result.total_after


def test_empty_input_clears_nothing() -> None:
    """No obligations: all totals are zero and the percentage is 0, not a division error."""
    result = clear([])
    assert (result.total_before, result.total_after, result.cleared) == (0, 0, 0)
    assert result.percent_cleared == 0
    assert result.percent_cleared_text() == "0.00"
    assert result.setoff == ()
    assert result.positions == ()
    assert clear_with_networkx([]).total_after == 0


def test_names_are_arbitrary_strings() -> None:
    """Names with spaces, commas, quotes and non-ASCII letters are just labels."""
    names = ["Cooperativa Café, Ltda.", 'Comuna "El Maizal"', "Ñandú 7"]
    result = clear(
        [ob(names[0], names[1], 3), ob(names[1], names[2], 3), ob(names[2], names[0], 3)]
    )
    assert result.cleared == 9
    assert [p.organization for p in result.positions] == names


def test_amounts_up_to_the_int64_limit_clear_exactly() -> None:
    """A cycle whose amounts total just under 2**63 still clears exactly in integers."""
    third = MAX_TOTAL // 3
    result = clear([ob("A", "B", third), ob("B", "C", third), ob("C", "A", third)])
    assert result.total_before == 3 * third
    assert result.total_after == 0
    chain = clear([ob("A", "B", MAX_TOTAL // 2), ob("B", "C", MAX_TOTAL // 2)])
    assert chain.total_after == 2 * (MAX_TOTAL // 2)


def test_totals_beyond_int64_raise_a_clear_error() -> None:
    """If the amounts sum past 2**63 - 1 the clearing refuses instead of wrapping around."""
    half = MAX_TOTAL // 2 + 1
    with pytest.raises(AmountOverflowError, match="more than the maximum"):
        clear([ob("A", "B", half), ob("B", "A", half)])


@pytest.mark.parametrize(
    ("debtor", "creditor", "amount"),
    [
        ("", "B", 1),
        ("A", "", 1),
        ("A", "A", 1),
        ("A", "B", 0),
        ("A", "B", -5),
        ("A", "B", 1.5),
        ("A", "B", True),
    ],
)
def test_invalid_obligations_are_rejected(debtor: str, creditor: str, amount: int) -> None:
    """Empty names, self-debts and non-positive or non-integer amounts cannot be built."""
    with pytest.raises(InvalidObligationError):
        Obligation(debtor, creditor, amount)


def test_single_amount_beyond_int64_is_rejected() -> None:
    """An amount that alone exceeds 2**63 - 1 cannot be an obligation."""
    with pytest.raises(AmountOverflowError):
        Obligation("A", "B", MAX_TOTAL + 1)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(200, 3), 2, "66.67"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(1, 8), 1, "0.1"),
        (Fraction(5, 2), 0, "3"),
        (Fraction(100), 2, "100.00"),
        (Fraction(0), 2, "0.00"),
    ],
)
def test_percentages_are_formatted_half_up_without_floats(
    value: Fraction, places: int, text: str
) -> None:
    """Decimal formatting of the exact percentage rounds half up, e.g. 0.125 → "0.13"."""
    assert fraction_to_decimal(value, places) == text


def test_networkx_baseline_agrees_on_the_hand_examples() -> None:
    """The networkx implementation gives the same totals on each hand example."""
    examples = [
        [ob("A", "B", 10), ob("B", "C", 10), ob("C", "A", 10)],
        [ob("A", "B", 10), ob("B", "C", 10)],
        [ob("A", "B", 10), ob("B", "C", 7), ob("C", "A", 4)],
        [ob("A", "B", 10), ob("B", "A", 4)],
    ]
    for obligations in examples:
        ours = clear(obligations)
        theirs = clear_with_networkx(obligations)
        assert (ours.total_before, ours.total_after) == (theirs.total_before, theirs.total_after)
