"""``minga stator`` runs the apps' sweeps: work found from what the rows already say, so a
restart loses nothing and a failing sweep is tried again later without stopping the others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from minga.common import stator
from minga.core.ledger import TransferKind
from minga.exchange import services
from minga.exchange.models import Account, Transfer
from tests.exchange.ledger_helpers import move, submit, unit_with_accounts


def test_the_apps_register_their_sweeps() -> None:
    names = {sweep.name for sweep in stator.registered_sweeps()}
    assert {
        "exchange.reservations",
        "assemblies.amendment_windows",
        "assemblies.meeting_quorums",
        "assemblies.result_reminders",
    } <= names


def test_each_sweep_runs_once_per_interval_and_a_failure_stops_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def broken() -> int:
        calls.append("broken")
        raise RuntimeError("the mail server is down")

    def working() -> int:
        calls.append("working")
        return 2

    monkeypatch.setattr(stator, "_SWEEPS", {})
    stator.register_sweep("a.broken", broken, every=timedelta(minutes=5))
    stator.register_sweep("b.working", working, every=timedelta(minutes=1))
    start = timezone.now()
    last: dict[str, Any] = {}
    assert stator.run_sweeps(last, start) == 2
    assert stator.run_sweeps(last, start + timedelta(seconds=30)) == 0
    assert stator.run_sweeps(last, start + timedelta(minutes=2)) == 2
    assert calls == ["broken", "working", "working"]
    stator.run_sweeps(last, start + timedelta(minutes=6))
    assert calls[-2:] == ["broken", "working"]


def test_the_worker_releases_a_reservation_past_its_timeout(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found from the journal's rows: nothing was scheduled in memory that a restart loses."""
    _unit, (a, b, _c) = unit_with_accounts(3)
    submit(move(a, b, 500, kind=TransferKind.PENDING, client_id="corta", timeout_seconds=60))
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(services.ledger.timezone, "now", lambda: later)
    call_command("stator", "--once")
    account = Account.objects.get(pk=a.pk)
    assert (account.balance, account.pending_debits) == (0, 0)
    reservation = Transfer.objects.get(client_id="corta")
    assert Transfer.objects.get(pending=reservation).kind == "expire_pending"
