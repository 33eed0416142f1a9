"""What changed between two versions of an item.

A version is a snapshot: a mapping of field names to JSON values (text, numbers, lists of
codes, lists of ingredient rows …). :func:`compare` lists the fields that differ; texts
also get a word-by-word difference (:func:`word_diff`) that a page can show with
insertions and deletions marked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

# Words and the spaces after them, so that a change reads as whole words and layout is kept.
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions (``equal``), only in the older
    (``removed``) or only in the newer (``added``)."""

    operation: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    segments: tuple[Segment, ...] = ()  # for texts only


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    before = _TOKEN.findall(old)
    after = _TOKEN.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            segments.append(Segment("equal", "".join(before[a_start:a_end])))
            continue
        if a_end > a_start:
            segments.append(Segment("removed", "".join(before[a_start:a_end])))
        if b_end > b_start:
            segments.append(Segment("added", "".join(after[b_start:b_end])))
    return tuple(segments)


def compare(
    older: dict[str, Any], newer: dict[str, Any], order: list[str] | None = None
) -> list[FieldChange]:
    """The fields whose values differ, in ``order`` (then alphabetically for the rest)."""
    names = list(order or [])
    names += sorted((set(older) | set(newer)) - set(names))
    changes = []
    for name in names:
        before, after = older.get(name), newer.get(name)
        if before == after:
            continue
        segments: tuple[Segment, ...] = ()
        if isinstance(before, str | None) and isinstance(after, str | None):
            segments = word_diff(before or "", after or "")
        changes.append(FieldChange(name, before, after, segments))
    return changes
