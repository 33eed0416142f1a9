"""Pausing Python's cyclic garbage collector while a large ballot file is read or counted.

This module may import only the standard library.

Reading a million ballot lines makes a million short-lived lists and tuples; the
collector's passes over them took a third or more of the time and find no cycles (none
are made). Pausing it is safe: anything cyclic is collected once it is running again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring its state afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
