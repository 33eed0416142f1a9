"""Consent decision-making: a proposal passes unless someone blocks it.

This module may import only the standard library.

Positions, from support to veto: consent, stand_aside (will not take part but lets it
pass), objection (a concern that is recorded with its reason but does not stop the
proposal) and block (a principled veto: any block stops adoption). A proposal with no
positions at all is not adopted: silence from everyone is not consent.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from minga.core.tally.ballots import CONSENT_POSITIONS, ConsentBallot
from minga.core.tally.results import ConsentDetails, ConsentPosition, Round, TallyResult


def consent(ballots: Iterable[ConsentBallot]) -> TallyResult:
    """Decide a proposal by consent, keeping every objection and block with its reason."""
    totals = {position: Fraction(0) for position in CONSENT_POSITIONS}
    recorded: dict[str, list[ConsentPosition]] = {position: [] for position in CONSENT_POSITIONS}
    for ballot in ballots:
        if not ballot.weight:
            continue
        totals[ballot.position] += ballot.weight
        recorded[ballot.position].append(
            ConsentPosition(ballot.position, ballot.reason, Fraction(ballot.weight), ballot.voter)
        )
    participating = sum(totals.values(), Fraction(0))
    blocked = totals["block"] > 0
    adopted = participating > 0 and not blocked
    if adopted:
        note = "adopted: no block"
    elif blocked:
        note = f"not adopted: blocked by {len(recorded['block'])} position(s)"
    else:
        note = "not adopted: nobody took a position"
    if adopted and recorded["objection"]:
        note += f"; {len(recorded['objection'])} objection(s) recorded"
    winners = ("adopted",) if adopted else ()
    return TallyResult(
        method="consent",
        winners=winners,
        rounds=(Round(1, totals, elected=winners, note=note),),
        candidates=CONSENT_POSITIONS,
        valid_votes=participating,
        adopted=adopted,
        consent=ConsentDetails(
            blocks=tuple(recorded["block"]),
            objections=tuple(recorded["objection"]),
            stand_asides=tuple(recorded["stand_aside"]),
        ),
    )
