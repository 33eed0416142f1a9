"""Value types for multilateral clearing: obligations in, a set-off and positions out.

Money is always an ``int`` in the minor units of one currency (cents, centavos…);
the clearing never converts to floats, so totals are exact.

This module may import only the standard library (the clearing package as a whole
may import only the standard library and OR-Tools, plus NumPy, which OR-Tools'
vectorised API speaks).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

# Every total the clearing computes (a node's payable, the network's total debt,
# the solver's objective) is bounded by the sum of all amounts, so capping that
# sum at the int64 maximum is what lets the solver work in fixed-width integers.
MAX_TOTAL = 2**63 - 1


class ClearingError(Exception):
    """The clearing could not be computed (bad obligations, overflow, solver failure)."""


class InvalidObligationError(ClearingError, ValueError):
    """An obligation is malformed: empty name, self-debt, or a non-positive amount."""


class AmountOverflowError(ClearingError, OverflowError):
    """The amounts add up to more than the solver's 64-bit integers can hold."""


@dataclass(frozen=True, slots=True)
class Obligation:
    """``debtor`` owes ``creditor`` ``amount`` minor units (amount > 0)."""

    debtor: str
    creditor: str
    amount: int

    def __post_init__(self) -> None:
        # Validated at construction so that no code downstream has to wonder
        # whether a zero, negative or float amount slipped into the network.
        if not isinstance(self.debtor, str) or not self.debtor:
            raise InvalidObligationError(f"debtor must be a non-empty string: {self.debtor!r}")
        if not isinstance(self.creditor, str) or not self.creditor:
            raise InvalidObligationError(f"creditor must be a non-empty string: {self.creditor!r}")
        if self.debtor == self.creditor:
            raise InvalidObligationError(f"{self.debtor!r} cannot owe itself")
        # bool is an int subclass; True as an amount is always a bug.
        if type(self.amount) is not int:
            raise InvalidObligationError(
                f"amount must be an integer number of minor units: {self.amount!r}"
            )
        if self.amount <= 0:
            raise InvalidObligationError(f"amount must be greater than zero: {self.amount}")
        if self.amount > MAX_TOTAL:
            raise AmountOverflowError(f"amount {self.amount} exceeds the maximum {MAX_TOTAL}")


@dataclass(frozen=True, slots=True, eq=False)
class ObligationColumns:
    """Valid obligations as three parallel columns: row ``i`` is ``debtors[i]`` owes
    ``creditors[i]`` ``amounts[i]`` minor units.

    The same obligations as a list of :class:`Obligation`, without an object per
    row. Rows are not checked again here: every row must already satisfy what
    :class:`Obligation` checks (non-empty names that differ, ``0 < amount``), which is
    why only the file readers of :mod:`.parsing` and :meth:`from_obligations` make
    them. The total is checked when the network is aggregated.
    """

    debtors: list[str]
    creditors: list[str]
    amounts: list[int]

    def __len__(self) -> int:
        return len(self.amounts)

    @classmethod
    def from_obligations(cls, obligations: list[Obligation]) -> ObligationColumns:
        return cls(
            debtors=[o.debtor for o in obligations],
            creditors=[o.creditor for o in obligations],
            amounts=[o.amount for o in obligations],
        )


@dataclass(frozen=True, slots=True)
class EdgeSetOff:
    """What happens to the aggregated debt of ``debtor`` towards ``creditor``.

    ``amount_before`` is the sum of all obligations debtor→creditor in the input;
    ``amount_cleared`` of it is cancelled by the set-off, the rest remains owed.
    """

    debtor: str
    creditor: str
    amount_before: int
    amount_cleared: int

    @property
    def amount_remaining(self) -> int:
        return self.amount_before - self.amount_cleared


@dataclass(frozen=True, slots=True)
class Position:
    """One organization's payables and receivables before and after the set-off."""

    organization: str
    payable_before: int
    receivable_before: int
    payable_after: int
    receivable_after: int

    @property
    def net(self) -> int:
        """Receivable minus payable; the clearing never changes it."""
        return self.receivable_before - self.payable_before

    @property
    def net_after(self) -> int:
        return self.receivable_after - self.payable_after


@dataclass(frozen=True, slots=True)
class ClearingResult:
    """The optimal set-off of a network of obligations.

    ``setoff`` has one entry per ordered pair (debtor, creditor) present in the
    input, in order of first appearance; ``positions`` one per organization, in
    order of first appearance.
    """

    setoff: tuple[EdgeSetOff, ...]
    positions: tuple[Position, ...]
    total_before: int
    total_after: int

    @property
    def cleared(self) -> int:
        return self.total_before - self.total_after

    @property
    def remaining(self) -> tuple[Obligation, ...]:
        """The obligations still owed after the set-off (edges cleared in full are dropped)."""
        return tuple(
            Obligation(edge.debtor, edge.creditor, edge.amount_remaining)
            for edge in self.setoff
            if edge.amount_remaining > 0
        )

    @property
    def percent_cleared(self) -> Fraction:
        """Exact share of the debt cancelled, in percent (0 when there was no debt)."""
        return percent_of(self.cleared, self.total_before)

    def percent_cleared_text(self, places: int = 2) -> str:
        """``percent_cleared`` as a decimal string, rounded half up, e.g. ``"66.67"``."""
        return fraction_to_decimal(self.percent_cleared, places)


def percent_of(part: int, whole: int) -> Fraction:
    """``part`` as an exact percentage of ``whole`` (0 when ``whole`` is 0)."""
    if whole == 0:
        return Fraction(0)
    return Fraction(100 * part, whole)


def fraction_to_decimal(value: Fraction, places: int) -> str:
    """Format a non-negative fraction with ``places`` decimals, rounding half up.

    Done in integers because ``round(float)`` rounds half to even and floats can
    misrepresent the half-way case itself.
    """
    if value < 0:
        raise ValueError(f"expected a non-negative value, got {value}")
    if places < 0:
        raise ValueError(f"places must be >= 0, got {places}")
    scale = 10**places
    scaled = (value.numerator * scale * 2 + value.denominator) // (2 * value.denominator)
    whole, frac = divmod(scaled, scale)
    if places == 0:
        return str(whole)
    return f"{whole}.{frac:0{places}d}"
