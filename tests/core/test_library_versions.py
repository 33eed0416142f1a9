"""Differences between two versions of a library item (pure, no database)."""

from __future__ import annotations

from minga.core.library.versions import Segment, compare, word_diff


def test_only_changed_fields_are_listed_in_the_given_order() -> None:
    older = {"title": "Biol", "summary": "Abono líquido", "subjects": ["maize"], "budget": 1}
    newer = {"title": "Biol de vaca", "summary": "Abono líquido", "subjects": ["maize", "beans"]}
    changes = compare(older, newer, order=["title", "subjects"])
    assert [change.field for change in changes] == ["title", "subjects", "budget"]
    assert changes[1].before == ["maize"] and changes[1].after == ["maize", "beans"]
    assert changes[2].after is None


def test_texts_differ_word_by_word() -> None:
    assert word_diff("abono de vaca", "abono de cabra") == (
        Segment("equal", "abono de "),
        Segment("removed", "vaca"),
        Segment("added", "cabra"),
    )


def test_the_segments_rebuild_both_versions() -> None:
    old, new = "uno dos tres\ncuatro", "uno tres\ncuatro cinco"
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.operation != "added") == old
    assert "".join(s.text for s in segments if s.operation != "removed") == new
