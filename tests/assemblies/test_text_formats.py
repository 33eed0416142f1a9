"""Readable diffs and merges of proposal texts: pure helpers, no database."""

from __future__ import annotations

from minga.assemblies.diff import diff_html, merge_texts


def test_diff_marks_changes_and_escapes_html() -> None:
    """Removed words are in <del>, added in <ins>, and markup in the text is escaped."""
    html = diff_html("Uno <b>dos</b> tres", "Uno <script>x</script> tres")
    assert "<del>&lt;b&gt;dos&lt;/b&gt;</del>" in html
    assert "<ins>&lt;script&gt;x&lt;/script&gt;</ins>" in html
    assert "<script>" not in html and html.startswith("Uno ")


def test_merge_applies_non_overlapping_changes_and_refuses_conflicts() -> None:
    """A three-way merge keeps both sides' separate changes and refuses overlapping ones."""
    base = "a\nb\nc\nd\n"
    assert merge_texts(base, "A\nb\nc\nd\n", "a\nb\nc\nD\n") == "A\nb\nc\nD\n"
    assert merge_texts(base, "A\nb\nc\nd\n", "X\nb\nc\nd\n") is None
