"""Throughput of the ledger through its real API path, and the time to verify the journal.

Builds a fresh database (SQLite in WAL mode in a temporary data directory, or the
PostgreSQL database given with ``--database-url``) with the production settings: a network,
a unit and 1,000 member organizations with one account each, and a person who is the
spokesperson of all of them. Then it posts batches of random transfers (random pairs,
amounts well within the limits) as that person would: the Django test client POSTs JSON to
``/api/v1/exchange/transfers`` with a personal access token, through the full stack
(middleware, authentication, permission checks on every paying account, the ledger's rules,
the hash chain, the signed block, the database's constraints). Throughput is the median of
the measured batches, after one warm-up batch per size. Finally ``verify`` replays the
whole journal and must find nothing wrong.

With ``--verify-entries N`` it measures only ``verify`` on a journal of N entries instead:
the journal is written in-process through the batch service (``transfers_submit``, 8,190
transfers a batch, as the same person with the same token the API would record: the same
chain, blocks and balances as the API writes), one reservation in ten made and posted in
the next batch. Then ``minga ledger verify`` is timed as a whole process (wall, CPU, peak
memory) and ``verify_database()`` in-process (wall, CPU); both must find the journal clean.
With ``--data-dir`` the database is kept there, and a later run on a journal that is
already N entries long only verifies (to compare verify before and after a change).

    python benchmarks/bench_ledger.py [--accounts 1000] [--batches 6]
    python benchmarks/bench_ledger.py --database-url postgres://user@host:5432/db
    python benchmarks/bench_ledger.py --verify-entries 1000000 [--data-dir DIR] [--profile F]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

BATCH_SIZES = (100, 1000, 8190)
GOAL_PER_SECOND = 5000


def configure(data_dir: Path, database_url: str | None) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "minga.settings.production",
            "MINGA_DATA_DIR": str(data_dir),
            "MINGA_SECRET_KEY": os.environ.get("MINGA_SECRET_KEY") or secrets.token_urlsafe(50),
            # A throw-away key for the legal cases (the server refuses to start without one).
            "MINGA_CASES_KEYS": "bench:"
            + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "MINGA_HTTPS": "0",
            "MINGA_ALLOWED_HOSTS": "testserver,127.0.0.1",
        }
    )
    os.environ.pop("MINGA_LEDGER_KEY_FILE", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def build(accounts: int, run: str) -> tuple[Any, list[str], str, Any]:
    """A network, a unit, member organizations with accounts, and a token of a person who
    speaks for all of them. Returns (unit, account uuids, token secret, token)."""
    from django.utils import timezone

    from minga.common.permissions import SYSTEM
    from minga.exchange import services
    from minga.exchange.models import Account
    from minga.people.models import User
    from minga.people.services import access_token_create
    from minga.registry.models import Organization, Region, Role

    region = Region.objects.order_by("position").first()
    network = Organization.objects.create(
        name=f"Red {run}", slug=f"red-{run}", kind="network", country="VE", region=region
    )
    unit = services.unit_create(
        actor=SYSTEM,
        code=f"B{run}".upper()[:16],
        name="Benchmark",
        kind="community",
        network=network,
        scale=2,
        default_lowest_balance=-(10**12),
    )
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Comuna {run} {number:04d}",
            slug=f"comuna-{run}-{number:04d}",
            kind="commune",
            country="VE",
            region=region,
        )
        for number in range(accounts)
    )
    organizations = list(Organization.objects.filter(slug__startswith=f"comuna-{run}-"))
    Account.objects.bulk_create(
        Account(organization=organization, unit=unit, lowest_balance=-(10**12))
        for organization in organizations
    )
    person = User.objects.create(username=f"bench-{run}", display_name="Benchmark")
    started = timezone.localdate()
    Role.objects.bulk_create(
        Role(person=person, organization=organization, kind="spokesperson", started_on=started)
        for organization in organizations
    )
    token, secret = access_token_create(user=person, name="benchmark", scope="write")
    uuids = [str(u) for u in Account.objects.filter(unit=unit).values_list("uuid", flat=True)]
    return unit, uuids, secret, token


def batch_body(
    uuids: list[str], unit_code: str, size: int, prefix: str, rng: random.Random
) -> bytes:
    transfers = []
    for number in range(size):
        debit, credit = rng.sample(uuids, 2)
        transfers.append(
            {
                "client_id": f"{prefix}-{number}",
                "debit": debit,
                "credit": credit,
                "unit": unit_code,
                "amount": rng.randint(1, 100_000),
                "memo": "bench",
            }
        )
    return json.dumps({"linked": False, "transfers": transfers}).encode()


def post_batches(
    client: Any, uuids: list[str], unit_code: str, size: int, count: int, run: str
) -> list[float]:
    """Post one warm-up batch and ``count`` measured ones; returns transfers per second."""
    rng = random.Random(size)
    rates = []
    for number in range(count + 1):
        body = batch_body(uuids, unit_code, size, f"{run}-{size}-{number}", rng)
        started = time.perf_counter()
        response = client.post(
            "/api/v1/exchange/transfers", data=body, content_type="application/json"
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(
                f"batch of {size} answered {response.status_code}: {response.content[:300]!r}"
            )
        statuses = {result["status"] for result in response.json()["results"]}
        if statuses != {"created"}:
            raise SystemExit(f"batch of {size}: not all created: {statuses}")
        if number:  # the first batch of each size warms caches up
            rates.append(size / elapsed)
    return rates


def fill_journal(entries: int, accounts: int) -> None:
    """Write transfers through the batch service until the journal holds ``entries``."""
    from minga.core.ledger import TransferKind
    from minga.exchange.models import Transfer
    from minga.exchange.services import ledger

    run = secrets.token_hex(3)
    unit, uuids, _secret, token = build(accounts, run)
    rng = random.Random(entries)
    written = Transfer.objects.count()
    reservations: list[str] = []  # client ids of the previous batch's reservations
    number = 0
    started = time.perf_counter()
    while written < entries:
        size = min(ledger.MAX_BATCH, entries - written)
        inputs = [
            ledger.TransferInput(
                client_id=f"{run}-{number}-post-{index}",
                kind=TransferKind.POST_PENDING,
                pending=client_id,
            )
            for index, client_id in enumerate(reservations[:size])
        ]
        reservations = reservations[len(inputs) :]
        for index in range(len(inputs), size):
            debit, credit = rng.sample(uuids, 2)
            pending = index % 10 == 0 and written + size < entries  # posted by the next batch
            client_id = f"{run}-{number}-{index}"
            inputs.append(
                ledger.TransferInput(
                    client_id=client_id,
                    kind=TransferKind.PENDING if pending else TransferKind.POSTED,
                    debit=debit,
                    credit=credit,
                    unit=unit.code,
                    amount=rng.randint(1, 100_000),
                    memo="bench",
                )
            )
            if pending:
                reservations.append(client_id)
        outcome = ledger.transfers_submit(actor=token.user, inputs=inputs, access_token=token)
        if not outcome.all_applied:
            refused = next(o for o in outcome.outcomes if o.status == "refused")
            raise SystemExit(f"batch {number} refused: {refused.code} {refused.message}")
        written += size
        number += 1
        if number % 20 == 0:
            rate = written / (time.perf_counter() - started)
            print(f"  {written} entries written ({rate:.0f}/s)", file=sys.stderr)


def measure_verify(args: argparse.Namespace, directory: Path) -> dict[str, Any]:
    """Time ``minga ledger verify`` as a process and ``verify_database()`` in-process."""
    from django.core.management import call_command
    from django.db import connection

    from minga.exchange import journal
    from minga.exchange.models import Transfer

    call_command("migrate", verbosity=0)
    if Transfer.objects.count() < args.verify_entries:
        print(f"Writing a journal of {args.verify_entries} entries…", file=sys.stderr)
        fill_journal(args.verify_entries, args.accounts)
    entries = Transfer.objects.count()
    connection.close()
    figures: dict[str, Any] = {"database": connection.vendor, "journal_entries": entries}
    load = os.getloadavg()

    # The command users run, as a whole process: its wall, CPU and peak memory.
    command = [sys.executable, "-m", "minga.cli", "ledger", "verify"]
    minga = Path(sys.executable).with_name("minga")
    if minga.exists():
        command = [str(minga), "ledger", "verify"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    assert process.stdout is not None
    assert process.stderr is not None
    output = process.stdout.read().decode() + process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"minga ledger verify failed: {output[-2000:]}")
    figures["command"] = {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "output": output.strip()[-300:],
    }

    # The function in this process (after the command, so caches are as warm for both).
    cpu = time.process_time()
    started = time.perf_counter()
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        report = profiler.runcall(journal.verify_database)
        profiler.dump_stats(args.profile)
    else:
        report = journal.verify_database()
    wall = time.perf_counter() - started
    assert report.ok, report.problems[:3]
    assert report.entries == entries, (report.entries, entries)
    figures["function"] = {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "profiled": bool(args.profile),
        "blocks": report.blocks,
        "accounts": report.accounts,
    }
    figures["load_average"] = [round(value, 2) for value in load]
    figures["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    figures["data_dir"] = str(directory)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=6, help="Measured batches per size.")
    parser.add_argument(
        "--database-url", help="Run against this PostgreSQL database instead of SQLite."
    )
    parser.add_argument("--profile", type=Path, help="Write cProfile stats of 1,000-batches here.")
    parser.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    parser.add_argument(
        "--verify-entries",
        type=int,
        default=0,
        help="Measure only verify, on a journal of this many entries.",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="Keep the database here (verify mode; reused if there)."
    )
    args = parser.parse_args()

    if args.verify_entries:
        with tempfile.TemporaryDirectory(prefix="minga-bench-") as temporary:
            directory = args.data_dir or Path(temporary)
            directory.mkdir(parents=True, exist_ok=True)
            secret_file = directory / "bench-secret-key"
            if not secret_file.exists():
                secret_file.write_text(secrets.token_urlsafe(50))
            os.environ["MINGA_SECRET_KEY"] = secret_file.read_text()
            configure(directory, args.database_url)
            figures = measure_verify(args, directory)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1))
        print(json.dumps(figures))
        return

    with tempfile.TemporaryDirectory(prefix="minga-bench-") as directory:
        configure(Path(directory), args.database_url)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from minga.exchange import journal
        from minga.exchange.models import Transfer

        call_command("migrate", verbosity=0)
        if Transfer.objects.exists():
            # verify checks every block against this run's new key, so start from nothing.
            raise SystemExit("The database already holds a journal; give an empty database.")
        run = secrets.token_hex(3)
        unit, uuids, secret, _token = build(args.accounts, run)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        database = connection.vendor
        if database == "sqlite":
            mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
            database = f"SQLite ({mode})"
        else:
            version = connection.cursor().connection.info.server_version
            database = f"PostgreSQL {version // 10000}.{version % 100}"

        figures: dict[str, Any] = {"database": database, "accounts": len(uuids), "batches": {}}
        for size in BATCH_SIZES:
            if args.profile and size == 1000:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
                rates = post_batches(client, uuids, unit.code, size, args.batches, run)
                profiler.disable()
                profiler.dump_stats(args.profile)
            else:
                rates = post_batches(client, uuids, unit.code, size, args.batches, run)
            figures["batches"][size] = {
                "median_per_second": round(statistics.median(rates)),
                "min_per_second": round(min(rates)),
                "max_per_second": round(max(rates)),
                "measured": len(rates),
            }
        started = time.perf_counter()
        report = journal.verify_database()
        verify_seconds = time.perf_counter() - started
        assert report.ok, report.problems
        figures["journal_entries"] = report.entries
        figures["blocks"] = report.blocks
        figures["verify_seconds"] = round(verify_seconds, 2)
        figures["verify_entries_per_second"] = round(report.entries / verify_seconds)
        assert Transfer.objects.count() >= report.entries > 0

    per_thousand = figures["batches"][1000]["median_per_second"]
    figures["goal_per_second"] = GOAL_PER_SECOND
    figures["meets_goal"] = per_thousand >= GOAL_PER_SECOND
    print(
        f"Ledger through POST /api/v1/exchange/transfers, {figures['accounts']} accounts, "
        f"{database}, median of {args.batches} batches per size after a warm-up"
    )
    print("| batch size | transfers/s (median) | min | max | goal |")
    print("|---:|---:|---:|---:|---|")
    for size, row in figures["batches"].items():
        goal = f"≥ {GOAL_PER_SECOND}" if size == 1000 else ""
        print(
            f"| {size} | {row['median_per_second']} | {row['min_per_second']} "
            f"| {row['max_per_second']} | {goal} |"
        )
    print(
        f"| verify ({figures['journal_entries']} entries, {figures['blocks']} blocks) "
        f"| {figures['verify_seconds']} s | | | clean |"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
