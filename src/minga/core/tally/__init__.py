"""Pure vote-counting core: ballots in, results out, with no Django and no I/O.

This package may import only the standard library and numpy (`table`: ballot files of a
million papers are read and counted as arrays).

Methods, one function each: `majority`, `qualified`, `consent`, `approval`, `score`,
`irv` (instant runoff), `stv` (the Scottish STV rules of the Scottish Local Government
Elections Order 2007) and `schulze` (winning votes, full ranking). Every ballot carries a
weight (an int or a Fraction); identical rankings are grouped before counting, so the
work grows with the number of distinct rankings, not of voters. The ranked methods also
take ballots already grouped (`GroupedRankings`), which is what `read_blt` reads a BLT
file into without making an object per paper (for plain files, a `RankingTable` of arrays
that instant runoff and STV count as they are).

Tie-break rule (the same for every method, so every recount is reproducible):

1. Backwards: for staged counts (IRV eliminations; STV order of election, order of
   surplus transfer and exclusions) the tie is settled by the counts at the most recent
   earlier stage at which the tied candidates differed, narrowing stage by stage.
2. Name order: what is still tied -- and ties in the single-stage methods (approval,
   score, the Schulze ranking) -- is settled by candidate name, compared case-folded and
   then by code point. The name sorting first is preferred: it is elected or ranked
   higher; for elimination or exclusion the name sorting last goes. Nothing is random.

Every tie-break taken is described in `TallyResult.tie_breaks`.
"""

from minga.core.tally.ballots import (
    ApprovalBallot,
    ConsentBallot,
    GroupedElection,
    GroupedRankings,
    OptionBallot,
    RankedBallot,
    RankedElection,
    ScoreBallot,
    Weight,
    aggregate_rankings,
)
from minga.core.tally.blt import parse_blt, read_blt, write_blt
from minga.core.tally.choice import approval, majority, qualified, score
from minga.core.tally.consent import consent
from minga.core.tally.csvformat import (
    parse_approval_csv,
    parse_consent_csv,
    parse_option_csv,
    parse_score_csv,
)
from minga.core.tally.errors import BallotFileError
from minga.core.tally.irv import irv
from minga.core.tally.results import (
    ConsentDetails,
    ConsentPosition,
    Round,
    SchulzeDetails,
    TallyResult,
)
from minga.core.tally.schulze import schulze
from minga.core.tally.stv import stv

__all__ = [
    "ApprovalBallot",
    "BallotFileError",
    "ConsentBallot",
    "ConsentDetails",
    "ConsentPosition",
    "GroupedElection",
    "GroupedRankings",
    "OptionBallot",
    "RankedBallot",
    "RankedElection",
    "Round",
    "SchulzeDetails",
    "ScoreBallot",
    "TallyResult",
    "Weight",
    "aggregate_rankings",
    "approval",
    "consent",
    "irv",
    "majority",
    "parse_approval_csv",
    "parse_blt",
    "parse_consent_csv",
    "parse_option_csv",
    "parse_score_csv",
    "qualified",
    "read_blt",
    "schulze",
    "score",
    "stv",
    "write_blt",
]
