"""Many writers at once, and a writer killed mid-batch: nothing lost, doubled or half-done.

These run on whichever database the suite runs on: SQLite (WAL, one writer at a time) under
`make test`, PostgreSQL (row locks on the chain head) in CI's second run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from minga.common import signing
from minga.exchange import journal
from minga.exchange.models import Account, Transfer
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts

ROOT = Path(__file__).resolve().parents[2]
# Real commits: other threads and processes must see them.
TRANSACTIONAL = pytest.mark.usefixtures("seeded_transactional_db")


def _child_env() -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "minga.settings.test"}
    env["MINGA_TEST_DATABASE_NAME"] = str(connection.settings_dict["NAME"])
    env["MINGA_LEDGER_KEY_FILE"] = str(signing.key_path())
    env["MINGA_DATA_DIR"] = str(settings.DATA_DIR)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def _assert_consistent(expected_created: int) -> None:
    assert Transfer.objects.count() == expected_created
    assert Transfer.objects.values("client_id").distinct().count() == expected_created
    assert sum(Account.objects.values_list("balance", flat=True)) == 0
    report = journal.verify_database()
    assert report.ok, report.problems


@TRANSACTIONAL
def test_parallel_threads_lose_and_duplicate_nothing() -> None:
    """Four threads each submit 60 transfers, some retried: every one lands exactly once."""
    signing.signing_key()
    _unit, accounts = unit_with_accounts(5, lowest=-1_000_000)
    results: list[int] = []
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            created = 0
            for batch in range(6):
                inputs = [
                    move(
                        accounts[(number + i) % 5],
                        accounts[(number + i + 1) % 5],
                        1 + i,
                        client_id=f"th{number}-{batch}-{i}",
                    )
                    for i in range(10)
                ]
                outcome = submit(*inputs)
                created += sum(o.status == "created" for o in outcome.outcomes)
                retry = submit(*inputs)  # a client that did not hear the answer
                assert all(o.status == "exists" for o in retry.outcomes)
            results.append(created)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert results == [60, 60, 60, 60]
    _assert_consistent(240)


@TRANSACTIONAL
def test_parallel_processes_lose_and_duplicate_nothing() -> None:
    """Three processes write at once; the journal holds exactly what they report."""
    signing.signing_key()
    _unit, accounts = unit_with_accounts(4, lowest=-1_000_000)
    uuids = [str(a.uuid) for a in accounts]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.exchange.ledger_worker", f"proc{n}", "50", *uuids],
            cwd=ROOT,
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    reports: list[dict[str, Any]] = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    assert sum(r["created"] for r in reports) == 150
    _assert_consistent(150)


@TRANSACTIONAL
def test_a_process_killed_mid_batch_leaves_no_trace() -> None:
    """SIGKILL inside a linked batch's transaction: after restart the batch is absent and
    the ledger verifies clean; new transfers then continue the chain."""
    signing.signing_key()
    _unit, accounts = unit_with_accounts(3, lowest=-1_000_000)
    submit(move(accounts[0], accounts[1], 5, client_id="before"))
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.exchange.ledger_worker",
            "crash",
            "40",
            *[str(a.uuid) for a in accounts],
            "--hang",
        ],
        cwd=ROOT,
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "inside-transaction", child.stderr.read() if child.stderr else ""
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    connections.close_all()
    assert not Transfer.objects.filter(client_id__startswith="crash-").exists()
    _assert_consistent(1)
    assert submit(move(accounts[1], accounts[2], 3, client_id="after")).all_applied
    _assert_consistent(2)
