"""What every write of the exchange shares: its error class."""

from __future__ import annotations


class ExchangeError(Exception):
    """A request the exchange's rules refuse; nothing was written. ``field`` names the input
    at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
