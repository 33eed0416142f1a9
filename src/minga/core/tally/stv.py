"""Single transferable vote by the Scottish STV rules.

The rules are those of the Scottish Local Government Elections Order 2007, schedule 1.

This module may import only the standard library and `minga.core.tally` (the piles may use
numpy).

The rules followed, by their numbers in schedule 1 of the Order:

* 46: quota = floor(valid papers / (seats + 1)) + 1 (the Droop quota, fraction ignored).
* 47: a candidate whose votes equal or exceed the quota is deemed elected at the end of
  the stage in which that happens; several elected together are ordered by their votes.
* 48: a surplus is transferred by passing on *every* paper the elected candidate holds
  (weighted inclusive Gregory), each at transfer value
  ``surplus * value of the paper / candidate's total``, truncated to five decimal places.
  Papers with no continuing next preference are non-transferable.
* 49: one surplus per stage, the largest first; equal surpluses go by the most recent
  earlier stage with unequal votes.
* 50/51: with no surplus left, the candidate with the fewest votes is excluded and all of
  their papers pass on at the value they arrived with; ties go by the most recent earlier
  stage with unequal votes.
* 52: when the continuing candidates are no more than the vacancies, they are all elected
  and nothing more is transferred.

Where the Order says "by lot", the name order of `tiebreak` decides instead, so the count
is reproducible. Votes are kept as integers in units of 0.00001, which is exact for these
rules (every transfer value is truncated to that grid).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from minga.core.tally.ballots import RankedBallots, Weight
from minga.core.tally.piles import piles_for
from minga.core.tally.results import Round, TallyResult
from minga.core.tally.tiebreak import break_tie, order_by_count

VALUE_SCALE = 100_000
"""Votes are counted in hundred-thousandths: rule 48(3) truncates to five decimal places."""


def droop_quota(valid_votes: Weight, seats: int) -> int:
    """Rule 46: the quota, an integer number of votes."""
    return int(valid_votes // (seats + 1)) + 1


def stv(candidates: Sequence[str], ballots: RankedBallots, seats: int) -> TallyResult:
    """Count a multi-seat election under the Scottish STV rules; see the module docstring."""
    names = tuple(candidates)
    if seats < 1:
        raise ValueError(f"seats must be at least 1, got {seats}")
    if not names:
        raise ValueError("STV needs at least one candidate")
    count = len(names)
    # Papers start at full value, in hundred-thousandths.
    piles, valid_votes = piles_for(names, ballots, VALUE_SCALE)
    quota = droop_quota(valid_votes, seats)
    scaled_quota = quota * VALUE_SCALE
    tallies: list[Weight] = list(piles.first_totals)

    continuing = [True] * count
    excluded = [False] * count
    elected: list[int] = []
    surplus_pending: list[int] = []
    history: list[list[Weight]] = []
    rounds: list[Round] = []
    tie_breaks: list[str] = []

    def scaled(value: Weight) -> Fraction:
        return Fraction(value) / VALUE_SCALE

    def transfer(
        source: int, revalue: tuple[Weight, Weight] | None
    ) -> tuple[dict[int, Weight], Weight]:
        """Move the source's papers to their next continuing preferences (revalued first
        for a surplus); return the value each receiver got and the value lost."""
        moved, non_transferable = piles.move(source, continuing, revalue)
        for receiver, amount in moved.items():
            tallies[receiver] += amount
        return moved, non_transferable

    while True:
        snapshot = {
            names[index]: scaled(tallies[index]) for index in range(count) if not excluded[index]
        }
        reached = [
            index for index in range(count) if continuing[index] and tallies[index] >= scaled_quota
        ]
        newly_elected: list[int] = []
        if reached:
            newly_elected, notes = order_by_count(
                reached, tallies, history, names, "order of election"
            )
            tie_breaks.extend(notes)
            for index in newly_elected:
                continuing[index] = False
                elected.append(index)
                if tallies[index] > scaled_quota:
                    surplus_pending.append(index)
        vacancies = seats - len(elected)
        standing = [index for index in range(count) if continuing[index]]
        if vacancies <= 0 or len(standing) <= vacancies:
            note = ""
            if vacancies > 0:
                last, notes = order_by_count(standing, tallies, history, names, "order of election")
                tie_breaks.extend(notes)
                for index in last:
                    continuing[index] = False
                    elected.append(index)
                newly_elected.extend(last)
                if last:
                    note = "rule 52: the continuing candidates fill the remaining seats"
            rounds.append(
                Round(
                    len(rounds) + 1,
                    snapshot,
                    elected=tuple(names[index] for index in newly_elected),
                    note=note,
                )
            )
            break

        if surplus_pending:
            largest = max(tallies[index] for index in surplus_pending)
            tied = [index for index in surplus_pending if tallies[index] == largest]
            source, tie_note = break_tie(
                tied, history, names, lowest=False, purpose="surplus transferred first"
            )
            surplus_pending.remove(source)
            total = tallies[source]
            surplus = total - scaled_quota
            history.append(list(tallies))
            moved, lost = transfer(source, (surplus, total))
            tallies[source] = scaled_quota
            truncation_loss = surplus - lost - sum(moved.values(), 0)
            action_note = (
                f"surplus of {names[source]} ({scaled(surplus)}) transferred; "
                f"{scaled(truncation_loss)} lost to truncation"
            )
            eliminated: tuple[str, ...] = ()
        else:
            fewest = min(tallies[index] for index in standing)
            tied = [index for index in standing if tallies[index] == fewest]
            source, tie_note = break_tie(tied, history, names, lowest=True, purpose="exclusion")
            history.append(list(tallies))
            continuing[source] = False
            excluded[source] = True
            moved, lost = transfer(source, None)
            tallies[source] = 0
            action_note = f"{names[source]} excluded"
            eliminated = (names[source],)
        if tie_note:
            tie_breaks.append(tie_note)
        rounds.append(
            Round(
                len(rounds) + 1,
                snapshot,
                elected=tuple(names[index] for index in newly_elected),
                eliminated=eliminated,
                transferred_from=names[source],
                transfers={names[index]: scaled(moved[index]) for index in sorted(moved)},
                exhausted=scaled(lost),
                note="; ".join(part for part in (action_note, tie_note) if part),
            )
        )

    return TallyResult(
        method="stv",
        winners=tuple(names[index] for index in elected),
        rounds=tuple(rounds),
        candidates=names,
        seats=seats,
        quota=Fraction(quota),
        valid_votes=Fraction(valid_votes),
        tie_breaks=tuple(tie_breaks),
    )
