"""Counts for public reports: no group under five is ever shown or derivable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from minga.core.funds import SMALLEST_GROUP, suppress_small

COUNTS = st.dictionaries(st.sampled_from("abcdefg"), st.integers(min_value=0, max_value=30))


@given(COUNTS)
def test_no_small_group_is_shown_nor_derivable(counts: dict[str, int]) -> None:
    """Every group shown has five or more; what is hidden is nothing, or two groups or
    more (so the total minus the shown groups names no single small group); a total under
    five is not shown."""
    result = suppress_small(counts)
    present = {k: v for k, v in counts.items() if v > 0}
    total = sum(present.values())
    assert all(v >= SMALLEST_GROUP for v in result.shown.values())
    assert all(present[k] == v for k, v in result.shown.items())
    hidden = set(present) - set(result.shown)
    if result.total is None:
        assert total < SMALLEST_GROUP and not result.shown
    else:
        assert result.total == total
        assert len(hidden) != 1
    assert result.hidden == bool(hidden)


def test_examples() -> None:
    result = suppress_small({"asylum": 12, "labour": 7, "detention": 2})
    assert result.shown == {"asylum": 12} and result.hidden and result.total == 21
    result = suppress_small({"asylum": 12, "labour": 7, "detention": 2, "family": 1})
    assert result.shown == {"asylum": 12, "labour": 7} and result.total == 22
    assert suppress_small({"asylum": 4}).total is None
    assert suppress_small({"asylum": 5}).shown == {"asylum": 5}
