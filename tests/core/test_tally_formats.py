"""BLT and CSV ballot files: parsing, errors that name the line, and the BLT writer."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minga.core.tally import (
    BallotFileError,
    RankedBallot,
    RankedElection,
    parse_approval_csv,
    parse_blt,
    parse_consent_csv,
    parse_option_csv,
    parse_score_csv,
    stv,
    write_blt,
)

SAMPLE_BLT = """\
# a sample election
4 2
-4
3 1 2 0
(b2) 2 3 0
1.5 2 1 3 0   # fractional weight
0
"Ana"
"Bo"
"Cy"
"Di"
"Council 2024"
"""


def test_parse_blt_reads_weights_ids_withdrawals_and_names() -> None:
    """A BLT file yields names, seats, weighted rankings, withdrawn candidates and title."""
    election = parse_blt(SAMPLE_BLT)
    assert election.candidates == ("Ana", "Bo", "Cy", "Di")
    assert election.seats == 2
    assert election.withdrawn == frozenset({"Di"})
    assert election.title == "Council 2024"
    assert election.ballots == (
        RankedBallot(("Ana", "Bo"), 3),
        RankedBallot(("Cy",), 2),
        RankedBallot(("Bo", "Ana", "Cy"), Fraction(3, 2)),
    )
    assert election.standing == ("Ana", "Bo", "Cy")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3 1\n1 1 9 0\n0\n", "line 2: candidate number 9 is out of range (1..3)"),
        ("3 1\n1 1 2 0\n1 2 2 0\n0\n", "line 3: candidate number 2 is ranked twice"),
        ("3 1\n1 1 =2 0\n0\n", "line 2: equal preferences (=2) cannot be counted"),
        ("3 1\n1 1 2\n0\n", "line 2: a ballot line must end with 0"),
        ("3 1\nx 1 2 0\n0\n", "line 2: ballot weight x is not a non-negative number"),
        ("3\n", "line 1: expected 'candidates seats'"),
        ("3 1\n1 1 0\n", "line 2: ballots are not terminated by a line holding only 0"),
        ('2 1\n1 1 0\n0\n"A"\n', "line 4: expected 2 candidate names, found 1"),
        ('2 1\n1 1 0\n0\n"A"\n"B" C\n', "line 5: text after the closing double quote"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n', "line 5: this candidate name appears twice: A"),
        ("2 1\n-3\n0\n", "line 2: withdrawn candidate -3 is out of range (-1..-2)"),
        ("", "line 1: the file is empty"),
    ],
)
def test_parse_blt_errors_name_the_line(text: str, message: str) -> None:
    """Each malformed BLT input raises BallotFileError whose message starts with its line."""
    with pytest.raises(BallotFileError) as caught:
        parse_blt(text)
    assert str(caught.value).startswith(message)


def test_write_blt_merges_and_sorts_ballots_anonymously() -> None:
    """The writer merges identical rankings and sorts them, hiding the casting order."""
    election = RankedElection(
        candidates=("Ana", "Bo"),
        seats=1,
        ballots=(RankedBallot(("Bo",)), RankedBallot(("Ana", "Bo")), RankedBallot(("Bo",))),
        title="Secret",
    )
    assert write_blt(election) == '2 1\n1 1 2 0\n2 2 0\n0\n"Ana"\n"Bo"\n"Secret"\n'


rankings = st.lists(
    st.tuples(
        st.permutations(["Ana", "Bo", "Cy", "Di"]).flatmap(
            lambda order: st.integers(0, 4).map(lambda length: tuple(order[:length]))
        ),
        st.one_of(st.integers(1, 50), st.fractions(min_value=Fraction(1, 8), max_value=9)),
    ),
    max_size=30,
)


@given(rankings, st.integers(1, 4))
def test_blt_round_trip_preserves_the_count(
    pairs: list[tuple[tuple[str, ...], int | Fraction]], seats: int
) -> None:
    """Writing ballots to BLT and reading them back gives the same STV result."""
    election = RankedElection(
        candidates=("Ana", "Bo", "Cy", "Di"),
        seats=seats,
        ballots=tuple(RankedBallot(ranking, weight) for ranking, weight in pairs),
        withdrawn=frozenset({"Di"}),
        title="Round trip",
    )
    again = parse_blt(write_blt(election))
    assert again.candidates == election.candidates
    assert again.withdrawn == election.withdrawn
    assert again.title == election.title
    assert stv(again.standing, again.counted_ballots(), seats) == stv(
        election.standing, election.counted_ballots(), seats
    )
    assert write_blt(again) == write_blt(election)


def test_option_csv_reads_weights_and_options() -> None:
    """``weight,option`` rows become option ballots; the weight column may be left empty."""
    ballots = parse_option_csv("weight,option\n3,yes\n,no\n# comment\n\n1/2,abstain\n")
    assert [(ballot.option, ballot.weight) for ballot in ballots] == [
        ("yes", 3),
        ("no", 1),
        ("abstain", Fraction(1, 2)),
    ]


def test_approval_csv_reads_semicolon_lists_and_declared_candidates() -> None:
    """Approved names are ``;``-separated; a ``# candidates:`` line adds unapproved ones."""
    candidates, ballots = parse_approval_csv(
        "# candidates: Ana;Bo;Cy\nweight,approved\n2,Ana;Bo\n1,\n"
    )
    assert candidates == ("Ana", "Bo", "Cy")
    assert ballots[0].approved == frozenset({"Ana", "Bo"})
    assert ballots[1].approved == frozenset()


def test_score_csv_reads_one_column_per_candidate() -> None:
    """The wide score format keeps the candidates' spelling; empty cells score nothing."""
    candidates, ballots = parse_score_csv("weight,Ana,Bo\n2,5,\n1,0,3.5\n")
    assert candidates == ("Ana", "Bo")
    assert ballots[0].scores == (("Ana", Fraction(5)),)
    assert ballots[1].scores == (("Ana", Fraction(0)), ("Bo", Fraction(7, 2)))


def test_consent_csv_normalizes_positions() -> None:
    """Positions are matched case-insensitively; "stand aside" means stand_aside."""
    ballots = parse_consent_csv(
        'weight,position,reason,voter\n1,Consent,,\n1,stand aside,"away, sorry",Li\n'
    )
    assert [ballot.position for ballot in ballots] == ["consent", "stand_aside"]
    assert ballots[1].reason == "away, sorry"
    assert ballots[1].voter == "Li"


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_option_csv, "weight,option\n1,yes\n-1,no\n", "line 3: weight '-1'"),
        (parse_option_csv, "weight,choice\n1,yes\n", "line 1: header must have a 'option'"),
        (parse_option_csv, "option\nyes\n\nyes,no\n", "line 4: expected 1 fields"),
        (parse_option_csv, "# nothing here\n", "line 1: missing header"),
        (parse_approval_csv, "weight,approved\n1,A;A\n", "line 2: a candidate is approved twice"),
        (parse_score_csv, "weight,A\n1,-2\n", "line 2: score for 'A' '-2'"),
        (parse_consent_csv, "position\nconsent\nveto\n", "line 3: position 'veto' is not one"),
    ],
)
def test_csv_errors_name_the_line(parse: object, text: str, message: str) -> None:
    """Each malformed CSV raises BallotFileError naming the 1-based line."""
    assert callable(parse)
    with pytest.raises(BallotFileError) as caught:
        parse(text)
    assert str(caught.value).startswith(message)
