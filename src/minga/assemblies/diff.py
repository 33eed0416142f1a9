"""Readable differences between two versions of a text, as escaped HTML with <ins>/<del>."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words and the spaces after them, so a change reads as whole words and layout is kept.
TOKEN = re.compile(r"\s+|[^\s]+")


def diff_html(old: str, new: str) -> SafeString:
    """Word by word: removed words in <del>, added words in <ins>, everything escaped."""
    before = TOKEN.findall(old)
    after = TOKEN.findall(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(before[a_start:a_end]))
        added = escape("".join(after[b_start:b_end]))
        if operation == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f"<del>{removed}</del>")
        if added:
            parts.append(f"<ins>{added}</ins>")
    # Safe: every piece of text was escaped above.
    return mark_safe("".join(parts))


def merge_texts(base: str, ours: str, theirs: str) -> str | None:
    """Three-way merge by lines: apply the changes base→theirs onto ours.

    Used when an amendment was written against an older version than the current one.
    Returns ``None`` when a change of theirs touches lines that changed since (a conflict).
    """
    base_lines = base.splitlines(keepends=True)
    our_lines = ours.splitlines(keepends=True)
    their_lines = theirs.splitlines(keepends=True)
    our_ops = difflib.SequenceMatcher(a=base_lines, b=our_lines, autojunk=False).get_opcodes()
    their_ops = difflib.SequenceMatcher(a=base_lines, b=their_lines, autojunk=False).get_opcodes()
    ours_changed = [(a0, a1) for tag, a0, a1, _b0, _b1 in our_ops if tag != "equal"]
    # Where each base line sits in our text, for the lines we left as they were.
    position: dict[int, int] = {}
    for tag, a0, a1, b0, _b1 in our_ops:
        if tag == "equal":
            for index in range(a0, a1 + 1):
                position.setdefault(index, b0 + index - a0)
    if not base_lines:
        position[0] = 0 if not our_lines else len(our_lines)
    hunks = [(a0, a1, b0, b1) for tag, a0, a1, b0, b1 in their_ops if tag != "equal"]
    merged = list(our_lines)
    for a0, a1, b0, b1 in reversed(hunks):
        # Touching counts as overlapping: two edits side by side are a conflict too.
        if any(a0 <= c1 and c0 <= a1 for c0, c1 in ours_changed):
            return None
        if a0 not in position or a1 not in position:
            return None
        merged[position[a0] : position[a1]] = their_lines[b0:b1]
    return "".join(merged)
