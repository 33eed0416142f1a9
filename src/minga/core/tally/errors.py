"""The exception raised for malformed ballot files, naming the offending line.

This module may import only the standard library.
"""

from __future__ import annotations


class BallotFileError(ValueError):
    """A ballot file is malformed; nothing from it has been counted."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem
