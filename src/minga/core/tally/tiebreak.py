"""The one tie-break rule every method uses, so a recount always gives the same answer.

This module may import only the standard library.

Ties are settled first backwards, by the most recent earlier stage at which the tied
candidates had unequal counts (narrowing the tie stage by stage, as the Scottish STV
rules 49(2) and 51(2) do), and finally by the order of the candidates' names: the name
that sorts first (case-folded, then by code point) is preferred. A lot is never drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from minga.core.tally.ballots import Weight


def name_order_key(name: str) -> tuple[str, str]:
    """Sort key for the final, name-based tie-break; case-folding keeps "ana" next to "Ana"."""
    return (name.casefold(), name)


def break_tie(
    tied: Sequence[int],
    history: Sequence[Sequence[Weight]],
    names: Sequence[str],
    *,
    lowest: bool,
    purpose: str,
) -> tuple[int, str]:
    """Pick one of the tied candidate indices and say how the tie was broken.

    `history` holds the counts at the end of each earlier stage, oldest first.
    With `lowest` the candidate with the fewest votes (or the last name) is picked,
    as for exclusion; otherwise the one with the most votes (or the first name).
    """
    if len(tied) == 1:
        return tied[0], ""
    listed = ", ".join(names[index] for index in tied)
    remaining = list(tied)
    for stage in range(len(history) - 1, -1, -1):
        counts = history[stage]
        extreme = (min if lowest else max)(counts[index] for index in remaining)
        remaining = [index for index in remaining if counts[index] == extreme]
        if len(remaining) == 1:
            chosen = remaining[0]
            return chosen, (
                f"{purpose}: tie between {listed} broken by the count at stage "
                f"{stage + 1}, choosing {names[chosen]}"
            )
    by_name = sorted(remaining, key=lambda index: name_order_key(names[index]))
    chosen = by_name[-1] if lowest else by_name[0]
    return chosen, (
        f"{purpose}: tie between {listed} equal at every stage, broken by name order, "
        f"choosing {names[chosen]}"
    )


def order_by_count(
    indices: Sequence[int],
    counts: Sequence[Weight],
    history: Sequence[Sequence[Weight]],
    names: Sequence[str],
    purpose: str,
) -> tuple[list[int], list[str]]:
    """Order candidates by current count, most first, settling equal counts by `break_tie`."""
    remaining = list(indices)
    ordered: list[int] = []
    notes: list[str] = []
    while remaining:
        top = max(counts[index] for index in remaining)
        tied = [index for index in remaining if counts[index] == top]
        chosen, note = break_tie(tied, history, names, lowest=False, purpose=purpose)
        if note:
            notes.append(note)
        ordered.append(chosen)
        remaining.remove(chosen)
    return ordered, notes
