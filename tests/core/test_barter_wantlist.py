"""Behaviour of the want-list reader: the real TradeMaximizer files, options and error lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from minga.core.barter import (
    WantlistError,
    WantTable,
    parse_wantlist,
    solve,
    solve_table,
    solve_with_networkx,
)

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "trademaximizer"
needs_data = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"TradeMaximizer sample want lists not found at {DATA}"
)


def ranks(text: str, name: str) -> dict[str, int]:
    parsed = parse_wantlist(text)
    (found,) = (i for i in parsed.problem.items if i.name == name)
    return {w.item: w.rank for w in found.wants}


# --- the real files ----------------------------------------------------------


@needs_data
@pytest.mark.parametrize(
    ("filename", "items", "usernames"),
    [("ask.txt", 597, False), ("xmas.txt", 1044, False), ("onewant.txt", 1763, True)],
)
def test_real_files_parse_and_solve_like_the_baseline(
    filename: str, items: int, usernames: bool
) -> None:
    """The three public want lists parse, and OR-Tools and networkx agree on their optimum."""
    parsed = parse_wantlist((DATA / filename).read_text(encoding="utf-8"))
    assert len(parsed.problem.items) == items
    assert parsed.has_usernames is usernames
    result = solve(parsed.problem)
    baseline = solve_with_networkx(parsed.problem)
    assert result.items_traded > 0
    assert (result.items_traded, result.total_rank) == (
        baseline.items_traded,
        baseline.total_rank,
    )


@needs_data
@pytest.mark.parametrize("filename", ["ask.txt", "xmas.txt", "onewant.txt"])
def test_the_table_and_the_problem_are_the_same_barter(filename: str) -> None:
    """The columns the reader builds hold the same barter as its problem objects, and solve
    to the same cycles."""
    parsed = parse_wantlist((DATA / filename).read_text(encoding="utf-8"))
    again = WantTable.from_problem(parsed.problem)
    assert (again.names, again.owners, again.dummy) == (
        parsed.table.names,
        parsed.table.owners,
        parsed.table.dummy,
    )
    assert (again.starts, again.wanted, again.ranks) == (
        parsed.table.starts,
        parsed.table.wanted,
        parsed.table.ranks,
    )
    assert solve_table(parsed.table) == solve(parsed.problem)


@needs_data
def test_onewant_options_and_dummies_are_honoured() -> None:
    """onewant.txt declares ALLOW-DUMMIES REQUIRE-COLONS REQUIRE-USERNAMES; dummies never show."""
    parsed = parse_wantlist((DATA / "onewant.txt").read_text(encoding="utf-8"))
    assert parsed.options.allow_dummies
    assert parsed.options.require_colons
    assert parsed.options.require_usernames
    assert any(i.dummy for i in parsed.problem.items)
    result = solve(parsed.problem)
    assert not any(name.startswith("%") for cycle in result.cycles for name in cycle)
    assert not any(name.startswith("%") for name in result.non_trading_items)


@needs_data
def test_repeated_wants_in_ask_are_warnings_naming_the_line() -> None:
    """ask.txt repeats some wants; each is reported with its line, the first rank kept."""
    parsed = parse_wantlist((DATA / "ask.txt").read_text(encoding="utf-8"))
    assert "line 43: 041-ACQ lists more than once: 040-BLU" in parsed.warnings
    (acq,) = (i for i in parsed.problem.items if i.name == "041-ACQ")
    assert [w.rank for w in acq.wants if w.item == "040-BLU"] == [4]


# --- format features ---------------------------------------------------------


def test_plain_lines_without_usernames_or_colons() -> None:
    """`ITEM WANT...` lines work; each item is its own participant."""
    parsed = parse_wantlist("# comment\nA B C\nB A\nC\n")
    result = solve(parsed.problem)
    assert result.cycles == (("A", "B"),)
    assert result.participants_served == ("A", "B")
    assert not parsed.has_usernames


def test_usernames_and_colons() -> None:
    """`(user) ITEM : WANTS` lines set the owner; a colon may be glued to the name."""
    parsed = parse_wantlist("(alice) A: B\n(bob) B : A\n")
    owners = {i.name: i.owner for i in parsed.problem.items}
    assert owners == {"A": "alice", "B": "bob"}
    assert solve(parsed.problem).participants_served == ("alice", "bob")


def test_semicolon_makes_a_big_step_in_rank() -> None:
    """Ranks are positions; `;` adds BIG-STEP (default 9) instead of SMALL-STEP (1)."""
    text = "A B C ; D E\nB A\nC A\nD A\nE A\n"
    assert ranks(text, "A") == {"B": 1, "C": 2, "D": 11, "E": 12}
    steps = "#! SMALL-STEP=2 BIG-STEP=100\n" + text
    assert ranks(steps, "A") == {"B": 1, "C": 3, "D": 103, "E": 105}


def test_zero_steps_and_a_leading_semicolon() -> None:
    """SMALL-STEP=0 ranks every plain want 1; a `;` before the first want changes nothing."""
    text = "#! SMALL-STEP=0\nA B C ; D\nB A\nC A\nD A\n"
    assert ranks(text, "A") == {"B": 1, "C": 1, "D": 10}
    assert ranks("A ; B C\nB A\nC A\n", "A") == {"B": 1, "C": 2}


def test_unknown_and_repeated_wants_on_one_line() -> None:
    """Both warnings for the same line, in that order; the first of a repeat keeps its rank
    and the unknown one its place."""
    parsed = parse_wantlist("A X B b C\nB A\nC A\n")
    assert parsed.warnings == (
        "line 1: A wants items nobody offers: X",
        "line 1: A lists more than once: b",
    )
    assert ranks("A X B b C\nB A\nC A\n", "A") == {"B": 2, "C": 4}


def test_dummy_names_ignore_case_within_their_user() -> None:
    """`%x` and `%X` on alice's lines are one dummy; the user's name is case-insensitive too."""
    text = "#! ALLOW-DUMMIES\n(alice) %X : B\n(ALICE) A : %x\n(bob) B : A\n"
    result = solve(parse_wantlist(text).problem)
    assert result.cycles == (("A", "B"),)


def test_names_are_case_insensitive_unless_case_sensitive() -> None:
    """By default `b` names item `B`; with CASE-SENSITIVE it is an unknown item."""
    assert ranks("A b\nB a\n", "A") == {"B": 1}
    parsed = parse_wantlist("#! CASE-SENSITIVE\nA b\nB a\n")
    assert parsed.unknown_wants == ("a", "b")


def test_unknown_wants_are_warnings_and_keep_their_position() -> None:
    """Wanting an item nobody offers is a warning naming the line; later ranks do not shift."""
    parsed = parse_wantlist("A ZZZ B\nB A\n")
    assert parsed.unknown_wants == ("ZZZ",)
    assert parsed.warnings == ("line 1: A wants items nobody offers: ZZZ",)
    assert ranks("A ZZZ B\nB A\n", "A") == {"B": 2}


def test_dummies_resolve_per_user() -> None:
    """`%X` on alice's line is alice's dummy, even if bob has a dummy of the same name."""
    text = "#! ALLOW-DUMMIES\n(alice) %X : B\n(alice) A : %X\n(bob) %X : A\n(bob) B : %X\n"
    parsed = parse_wantlist(text)
    result = solve(parsed.problem)
    assert result.cycles == (("A", "B"),)
    assert result.total_rank == 2


def test_official_names_report_unofficial_wants() -> None:
    """With an official list, names outside it are reported; REQUIRE-OFFICIAL-NAMES makes
    offered ones an error."""
    text = (
        "!BEGIN-OFFICIAL-NAMES\n"
        "A first item, described\n"
        "B second item\n"
        "!END-OFFICIAL-NAMES\n"
        "A B Q\n"
        "B A\n"
        "C A\n"
    )
    parsed = parse_wantlist(text)
    assert parsed.official_names == ("A", "B")
    assert parsed.unofficial_names == ("C", "Q")
    assert "line 7: item C is not an official name" in parsed.warnings
    with pytest.raises(WantlistError, match="line 8: item C is not an official name"):
        parse_wantlist("#! REQUIRE-OFFICIAL-NAMES\n" + text)


def test_display_options_are_recorded_as_ignored() -> None:
    """Options that only affect TradeMaximizer's report or search are kept aside, not fatal."""
    parsed = parse_wantlist("#! HIDE-NONTRADES SHOW-MISSING ITERATIONS=50 ALLOW-DUMMIES\nA\n")
    assert parsed.ignored_options == ("HIDE-NONTRADES", "SHOW-MISSING", "ITERATIONS=50")
    assert parsed.options.allow_dummies


# --- errors name the line ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#! REQUIRE-COLONS\n\n(a) A B\n", "line 3: missing ':' after item name A"),
        ("#! REQUIRE-USERNAMES\nA : B\n", "line 2: missing (username) at the start of the line"),
        ("A B\n(alice B : A\n", "line 2: missing ')' after the username"),
        ("A B\n() B : A\n", "line 2: empty username"),
        ("A B\n: B\n", "line 2: missing item name"),
        ("A B : C\n", "line 1: ':' may only follow the item name"),
        ("(a) A : %X\n", "line 1: dummy item %X needs '#! ALLOW-DUMMIES'"),
        ("#! ALLOW-DUMMIES\n%X : A\n", "line 2: dummy item %X needs a (username) on its line"),
        ("A B\nB A\na C\n", "line 3: item a already has a want list (line 1)"),
        ("A B\n#! ALLOW-DUMMIES\n", "line 2: options (#!) must come before"),
        ("#! SMALL-STEP=x\n", "line 1: option SMALL-STEP needs a whole number"),
        ("#! EXPLICIT-PRIORITIES\n", "line 1: option EXPLICIT-PRIORITIES is not supported"),
        ("!BEGIN-OFFICIAL-NAMES\nA\n", "line 1: !BEGIN-OFFICIAL-NAMES is never closed"),
        ("A B\n!END-OFFICIAL-NAMES\n", "line 2: !END-OFFICIAL-NAMES without"),
        ("A B\n!BEGIN-OFFICIAL-NAMES\n!END-OFFICIAL-NAMES\n", "line 2: official names must"),
        ("!WHATEVER\n", "line 1: unknown directive !WHATEVER"),
    ],
)
def test_malformed_input_raises_wantlist_error_naming_the_line(text: str, message: str) -> None:
    """Each malformed construct raises WantlistError whose message starts with its line."""
    with pytest.raises(WantlistError) as caught:
        parse_wantlist(text)
    assert str(caught.value).startswith(message)
    assert caught.value.line == int(message.split()[1].rstrip(":"))
