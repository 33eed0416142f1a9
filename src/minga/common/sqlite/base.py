"""Django's SQLite backend, with a process's write transactions taking turns.

SQLite has one writer at a time. A thread that finds the write lock taken waits in SQLite's
busy handler, which sleeps in growing steps (1, 2, 5, 10 … 100 ms) and does not wake when
the lock frees, so under a burst of writes (a thousand ballots in half a minute) writers
spend most of their time asleep while the lock is free. Here the threads of one process
queue on a mutex before ``BEGIN IMMEDIATE`` and each wakes as soon as the one before it
commits; only the few processes of the server still meet in SQLite's busy handler.

Enabled by the ``"writers_take_turns": True`` option; the wait for a turn is bounded (the
connection's ``timeout``), after which the transaction begins anyway and SQLite's own
busy timeout applies, so a turn never held by a lost thread can stop the others.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.backends.sqlite3 import base

_write_turn = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    # The stubs leave out the backend's private transaction methods and this attribute.
    transaction_mode: str | None
    writers_take_turns = False
    _holds_write_turn = False

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        self.writers_take_turns = bool(params.pop("writers_take_turns", False))
        self._turn_wait = float(params.get("timeout", 5))
        return params

    def _start_transaction_under_autocommit(self) -> None:
        wants_turn = self.writers_take_turns and self.transaction_mode == "IMMEDIATE"
        if wants_turn and not self._holds_write_turn:
            self._holds_write_turn = _write_turn.acquire(timeout=self._turn_wait)
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._end_write_turn()
            raise

    def _end_write_turn(self) -> None:
        if self._holds_write_turn:
            self._holds_write_turn = False
            _write_turn.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._end_write_turn()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._end_write_turn()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._end_write_turn()
