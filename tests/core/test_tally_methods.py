"""Hand-worked examples for every counting method of minga.core.tally."""

from __future__ import annotations

from fractions import Fraction

import pytest

from minga.core.tally import (
    ApprovalBallot,
    ConsentBallot,
    OptionBallot,
    RankedBallot,
    ScoreBallot,
    approval,
    consent,
    irv,
    majority,
    qualified,
    schulze,
    score,
    stv,
)


def ranked(rows: list[tuple[int, str]]) -> list[RankedBallot]:
    return [RankedBallot(tuple(letters), weight) for weight, letters in rows]


WIKIPEDIA_SCHULZE = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def test_schulze_wikipedia_example_ranks_e_a_c_b_d() -> None:
    """The 45-voter example of Wikipedia's Schulze article ranks E > A > C > B > D."""
    result = schulze("ABCDE", ranked(WIKIPEDIA_SCHULZE))
    assert result.ranking == ("E", "A", "C", "B", "D")
    assert result.winners == ("E",)
    assert result.schulze is not None
    assert result.schulze.pairwise["A"] == {"B": 20, "C": 26, "D": 30, "E": 22}
    assert result.schulze.pairwise["E"]["A"] == 23
    assert result.schulze.strongest_paths["E"] == {"A": 25, "B": 28, "C": 28, "D": 31}
    assert result.schulze.strongest_paths["A"] == {"B": 28, "C": 28, "D": 30, "E": 24}
    assert result.tie_breaks == ()


def test_schulze_seats_take_the_top_of_the_ranking() -> None:
    """With seats=2 the winners are the first two candidates of the Schulze ranking."""
    assert schulze("ABCDE", ranked(WIKIPEDIA_SCHULZE), seats=2).winners == ("E", "A")


def test_schulze_counts_ranked_over_unranked() -> None:
    """A truncated ballot prefers each ranked candidate to every unranked one."""
    result = schulze("ABC", [RankedBallot(("B",), 3), RankedBallot(("A", "C"), 2)])
    assert result.schulze is not None
    assert result.schulze.pairwise["B"] == {"A": 3, "C": 3}
    assert result.schulze.pairwise["A"] == {"B": 2, "C": 2}
    assert result.schulze.pairwise["C"] == {"A": 0, "B": 2}
    assert result.winners == ("B",)


def test_schulze_perfect_tie_is_broken_by_name_order() -> None:
    """A Condorcet cycle of equal strength is ranked by name, and the tie is reported."""
    result = schulze("CBA", ranked([(1, "ABC"), (1, "BCA"), (1, "CAB")]))
    assert result.ranking == ("A", "B", "C")
    assert result.tie_breaks


TENNESSEE = [(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")]


def test_irv_tennessee_capital_elects_knoxville() -> None:
    """Wikipedia's Tennessee example: Chattanooga, then Nashville out; Knoxville wins 58-42."""
    result = irv("MNCK", ranked(TENNESSEE))
    assert result.winners == ("K",)
    assert [record.eliminated for record in result.rounds] == [("C",), ("N",), ()]
    assert result.rounds[0].transfers == {"K": 15}
    assert result.rounds[1].transfers == {"K": 26}
    assert result.rounds[2].counts == {"M": 42, "K": 58}


def test_irv_majority_of_continuing_votes_ignores_exhausted_ballots() -> None:
    """Exhausted ballots leave the denominator: 4 of 7 continuing votes is a majority."""
    ballots = ranked([(4, "A"), (3, "BA"), (2, "C"), (1, "DB")])
    result = irv("ABCD", ballots)
    # D out (1): B 4. C out (2, exhausted): A 4 vs B 4 of 8, no majority; the tie for
    # elimination goes back to round 2 where A had 4 and B 4, then round 1: B had 3.
    assert result.rounds[1].exhausted == 2
    assert result.winners == ("A",)
    assert "stage 1" in result.tie_breaks[0]


def test_irv_elimination_tie_with_no_history_goes_by_name() -> None:
    """Equal at every stage, the candidate whose name sorts last is eliminated."""
    result = irv("AB", ranked([(1, "AB"), (1, "BA")]))
    assert result.rounds[0].eliminated == ("B",)
    assert result.winners == ("A",)


def test_stv_hand_count_with_truncated_surplus_transfer() -> None:
    """Scottish STV by hand: 31 papers, 2 seats, quota 11.

    A has 17 and a surplus of 6, so each of A's papers moves at 6/17 = 0.352941...,
    truncated to 0.35294: B gains 13 x 0.35294 = 4.58822, C gains 4 x 0.35294 = 1.41176,
    and 0.00002 is lost to truncation. Then B 7.58822, C 7.41176, D 5: D is excluded and
    C reaches 12.41176 >= 11.
    """
    ballots = ranked([(13, "AB"), (4, "AC"), (6, "C"), (5, "DC"), (3, "B")])
    result = stv("ABCD", ballots, seats=2)
    assert result.quota == 11
    assert result.winners == ("A", "C")
    first, second, last = result.rounds
    assert first.counts == {"A": 17, "B": 3, "C": 6, "D": 5}
    assert first.elected == ("A",)
    assert first.transfers == {"B": Fraction("4.58822"), "C": Fraction("1.41176")}
    assert "0.00002" in first.note or "1/50000" in first.note
    assert second.counts == {"A": 11, "B": Fraction("7.58822"), "C": Fraction("7.41176"), "D": 5}
    assert second.eliminated == ("D",)
    assert second.transfers == {"C": 5}
    assert last.elected == ("C",)
    assert last.counts["C"] == Fraction("12.41176")


def test_stv_wikipedia_food_election() -> None:
    """Wikipedia's STV food example (20 voters, 3 seats, quota 6) elects Ch, O, S."""
    ballots = [
        RankedBallot(("O",), 4),
        RankedBallot(("P", "O"), 2),
        RankedBallot(("Ch", "S"), 8),
        RankedBallot(("Ch", "H"), 4),
        RankedBallot(("S",), 1),
        RankedBallot(("H",), 1),
    ]
    result = stv(["O", "P", "Ch", "S", "H"], ballots, seats=3)
    assert result.quota == 6
    assert result.winners == ("Ch", "O", "S")
    assert result.rounds[0].transfers == {"S": 4, "H": 2}
    assert result.rounds[1].eliminated == ("P",)
    assert result.rounds[2].eliminated == ("H",)
    assert result.rounds[2].exhausted == 3


def test_stv_elects_everyone_when_seats_exceed_candidates() -> None:
    """Rule 52: with no more candidates than seats, all are elected in order of votes."""
    result = stv("AB", ranked([(1, "B"), (2, "A")]), seats=3)
    assert result.winners == ("A", "B")


def test_stv_equal_surpluses_go_by_earlier_stage() -> None:
    """Two candidates elected together are ordered by votes; the larger surplus moves first."""
    ballots = ranked([(7, "AC"), (6, "BD"), (1, "C"), (1, "D"), (2, "E")])
    result = stv("ABCDE", ballots, seats=3)
    assert result.quota == 5
    assert result.rounds[0].elected == ("A", "B")
    assert result.rounds[0].transferred_from == "A"
    assert result.rounds[1].transferred_from == "B"


def test_majority_yes_no_abstain() -> None:
    """Abstentions are not valid votes: 5 yes against 4 no passes with 10 abstaining."""
    ballots = [OptionBallot("yes", 5), OptionBallot("no", 4), OptionBallot("abstain", 10)]
    result = majority(ballots)
    assert result.winners == ("yes",)
    assert result.adopted is True
    assert result.valid_votes == 9
    assert result.rounds[0].counts["abstain"] == 10


def test_majority_tie_has_no_winner() -> None:
    """Half the valid votes is not a majority."""
    result = majority([OptionBallot("yes", 3), OptionBallot("no", 3)])
    assert result.winners == ()
    assert result.adopted is False


def test_majority_among_options_needs_more_than_half() -> None:
    """Among three options a plurality of 4 of 9 is not a majority."""
    ballots = [OptionBallot("red", 4), OptionBallot("green", 3), OptionBallot("blue", 2)]
    result = majority(ballots)
    assert result.winners == ()
    assert result.adopted is None
    assert result.ranking == ("red", "green", "blue")


def test_qualified_two_thirds_is_reached_exactly() -> None:
    """A 2/3 qualified majority passes with exactly 10 of 15 valid votes, not with 9."""
    assert qualified([OptionBallot("yes", 10), OptionBallot("no", 5)], Fraction(2, 3)).adopted
    result = qualified([OptionBallot("yes", 9), OptionBallot("no", 5)], Fraction(2, 3))
    assert result.winners == ()
    assert result.threshold == Fraction(2, 3)


def test_qualified_rejects_thresholds_that_allow_two_winners() -> None:
    """A threshold of 1/2 or less could pass two options, so it is refused."""
    with pytest.raises(ValueError, match="above 1/2"):
        qualified([OptionBallot("yes")], Fraction(1, 2))


def test_consent_passes_over_objections_and_records_reasons() -> None:
    """Objections are recorded with their reasons but do not stop a proposal."""
    ballots = [
        ConsentBallot("consent", weight=6),
        ConsentBallot("objection", "costs are unclear", voter="Rosa"),
        ConsentBallot("stand_aside", "conflict of interest"),
    ]
    result = consent(ballots)
    assert result.adopted is True
    assert result.winners == ("adopted",)
    assert result.consent is not None
    assert [(each.voter, each.reason) for each in result.consent.objections] == [
        ("Rosa", "costs are unclear")
    ]
    assert result.consent.stand_asides[0].reason == "conflict of interest"


def test_consent_any_block_stops_adoption() -> None:
    """A single block outweighs any number of consents, and its reason is kept."""
    ballots = [ConsentBallot("consent", weight=99), ConsentBallot("block", "breaks our statutes")]
    result = consent(ballots)
    assert result.adopted is False
    assert result.winners == ()
    assert result.consent is not None
    assert result.consent.blocks[0].reason == "breaks our statutes"


def test_consent_without_positions_is_not_adopted() -> None:
    """Nobody taking a position is not consent."""
    assert consent([]).adopted is False


def test_approval_orders_by_approvals_then_name() -> None:
    """Two seats by approval: A 5, then B and C tied at 3 -- B wins the tie by name."""
    ballots = [
        ApprovalBallot(frozenset({"A", "B"}), 3),
        ApprovalBallot(frozenset({"A", "C"}), 2),
        ApprovalBallot(frozenset({"C"}), 1),
        ApprovalBallot(frozenset()),
    ]
    result = approval(ballots, candidates=["A", "B", "C", "D"], seats=2)
    assert result.winners == ("A", "B")
    assert result.ranking == ("A", "B", "C", "D")
    assert result.valid_votes == 7
    assert result.tie_breaks


def test_score_sums_weighted_scores() -> None:
    """Score voting sums weight x score; an unscored candidate gets zero from that ballot."""
    ballots = [
        ScoreBallot((("A", Fraction(5)), ("B", Fraction(3))), 2),
        ScoreBallot((("B", Fraction(9)),), 1),
        ScoreBallot((("A", Fraction(1)), ("C", Fraction(10))), 1),
    ]
    result = score(ballots, seats=2)
    assert result.rounds[0].counts == {"A": 11, "B": 15, "C": 10}
    assert result.winners == ("B", "A")


def test_weighted_ballot_counts_like_copies() -> None:
    """A ballot of weight 3 counts exactly as three identical ballots."""
    weighted = [RankedBallot(("A", "B"), 3), RankedBallot(("B",), 2), RankedBallot(("C", "B"), 2)]
    copies = (
        [RankedBallot(("A", "B"))] * 3 + [RankedBallot(("B",))] * 2 + [RankedBallot(("C", "B"))] * 2
    )
    assert irv("ABC", weighted) == irv("ABC", copies)
    assert stv("ABC", weighted, 2) == stv("ABC", copies, 2)


def test_fraction_weights_are_counted_exactly() -> None:
    """Fractional weights are exact: 1/3 + 1/3 + 1/3 against 1 is a tie, not a float race."""
    ballots = [RankedBallot(("A",), Fraction(1, 3))] * 3 + [RankedBallot(("B",), 1)]
    result = irv("AB", ballots)
    assert result.rounds[0].counts == {"A": 1, "B": 1}


def test_unknown_candidate_on_a_ballot_is_rejected() -> None:
    """A ranking naming someone who is not standing is an error, not silently dropped."""
    with pytest.raises(ValueError, match="not a candidate"):
        irv("AB", [RankedBallot(("Z",))])
