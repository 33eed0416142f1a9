"""The pure delegation resolver: weights conserved, cycles add nothing, direct votes override."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from minga.assemblies.delegation import resolve

members = st.integers(min_value=0, max_value=9)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[int, int], dict[int, int], set[int]]:
    ids = draw(st.sets(members, min_size=1, max_size=10))
    weights = {member: draw(st.integers(min_value=1, max_value=5)) for member in ids}
    delegations = {
        member: draw(st.sampled_from(sorted(ids))) for member in ids if draw(st.booleans())
    }
    delegations = {a: b for a, b in delegations.items() if a != b}
    voters = draw(st.sets(st.sampled_from(sorted(ids))))
    return weights, delegations, voters


@given(scenarios())
def test_weight_is_conserved(scenario: tuple[dict[int, int], dict[int, int], set[int]]) -> None:
    """Counted plus uncounted weight is always the members' total weight."""
    weights, delegations, voters = scenario
    result = resolve(weights, delegations, voters)
    assert sum(result.weights.values()) + result.uncounted == sum(weights.values())
    assert set(result.weights) == voters


@given(scenarios())
def test_direct_votes_override(scenario: tuple[dict[int, int], dict[int, int], set[int]]) -> None:
    """A member that votes carries at least its own weight and its chain is itself."""
    weights, delegations, voters = scenario
    result = resolve(weights, delegations, voters)
    for voter in voters:
        assert result.chains[voter].path == (voter,)
        assert result.weights[voter] >= weights[voter]


@given(scenarios())
def test_chains_follow_delegations(
    scenario: tuple[dict[int, int], dict[int, int], set[int]],
) -> None:
    """Every chain follows the delegations and ends at a voter or at nobody."""
    weights, delegations, voters = scenario
    result = resolve(weights, delegations, voters)
    for member, chain in result.chains.items():
        assert chain.path[0] == member
        assert all(delegations[a] == b for a, b in zip(chain.path, chain.path[1:], strict=False))
        assert chain.carrier is None or chain.carrier in voters


def test_cycle_adds_no_weight() -> None:
    """A ring of delegations where nobody votes gives its weight to nobody."""
    result = resolve({1: 1, 2: 2, 3: 3, 4: 1}, {1: 2, 2: 3, 3: 1}, {4})
    assert result.weights == {4: 1}
    assert result.uncounted == 6
    assert result.chains[1].cycle and result.chains[1].path == (1, 2, 3)


def test_transitive_delegation_and_override() -> None:
    """1→2→3: 3 votes with all; when 2 votes too, 2 keeps its and 1's weight."""
    weights = {1: 1, 2: 2, 3: 3}
    assert resolve(weights, {1: 2, 2: 3}, {3}).weights == {3: 6}
    result = resolve(weights, {1: 2, 2: 3}, {2, 3})
    assert result.weights == {2: 3, 3: 3}
    assert result.chains[1].path == (1, 2)
