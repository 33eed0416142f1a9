"""The SQLite backend's write turns: the threads of a process queue for the write lock and
each turn ends with its transaction, whatever way it ends.

Each test opens its own SQLite file through the backend, so it runs the same whichever
database the suite uses."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

from minga.common.sqlite import base as sqlite_base


def _connection(path: Path, *, turns: bool = True) -> Any:
    settings = {
        "ENGINE": "minga.common.sqlite",
        "NAME": str(path),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "writers_take_turns": turns, "timeout": 5},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
    }
    return sqlite_base.DatabaseWrapper(settings, alias=f"turns-{uuid.uuid4().hex}")


def _begin(connection: Any) -> None:
    # What transaction.atomic does on SQLite for an outermost block.
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(connection: Any, *, commit: bool) -> None:
    if commit:
        connection.commit()
    else:
        connection.rollback()
    connection.set_autocommit(True)


@pytest.fixture(autouse=True)
def _own_database(django_db_blocker: Any) -> Any:
    # These connections open their own file, not the suite's database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def counter_file(tmp_path: Path) -> Path:
    path = tmp_path / "turns.sqlite3"
    connection = _connection(path)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE counter (value INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    connection.close()
    return path


def test_a_write_transaction_holds_the_turn_until_commit_or_rollback(counter_file: Path) -> None:
    connection = _connection(counter_file)
    assert not sqlite_base._write_turn.locked()
    _begin(connection)
    assert sqlite_base._write_turn.locked()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE counter SET value = value + 1")
    _end(connection, commit=True)
    assert not sqlite_base._write_turn.locked()

    _begin(connection)
    assert sqlite_base._write_turn.locked()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE counter SET value = value + 100")
    _end(connection, commit=False)
    assert not sqlite_base._write_turn.locked()
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM counter")
        assert cursor.fetchone()[0] == 1
    connection.close()


def test_closing_a_connection_in_a_transaction_gives_the_turn_back(counter_file: Path) -> None:
    connection = _connection(counter_file)
    _begin(connection)
    assert sqlite_base._write_turn.locked()
    connection.close()
    assert not sqlite_base._write_turn.locked()


def test_without_the_option_no_turn_is_taken(counter_file: Path) -> None:
    connection = _connection(counter_file, turns=False)
    _begin(connection)
    assert not sqlite_base._write_turn.locked()
    _end(connection, commit=True)
    connection.close()


def test_concurrent_writers_take_turns_and_lose_nothing(counter_file: Path) -> None:
    """Eight threads add to one row 25 times each, reading it and writing it back in one
    transaction: every addition is kept, no writer fails with "database is locked"."""
    errors: list[BaseException] = []

    def add_many() -> None:
        connection = _connection(counter_file)
        try:
            for _ in range(25):
                _begin(connection)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT value FROM counter")
                    value = cursor.fetchone()[0]
                    cursor.execute("UPDATE counter SET value = %s", [value + 1])
                _end(connection, commit=True)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    connection = _connection(counter_file)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM counter")
        assert cursor.fetchone()[0] == 200
    connection.close()
    assert not sqlite_base._write_turn.locked()
