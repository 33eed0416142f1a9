"""A Congress vote under load: 1,000 seated delegates cast ballots through the API while
200 readers browse the body, the proposal and the directory.

Builds a fresh database (SQLite in WAL mode, or PostgreSQL with ``--database-url``) with the
production settings: a network with 1,000 member communes, a Congress with a seat for each,
1,000 accredited delegates with personal access tokens, a proposal and an open vote. Then it
starts the server exactly as ``make run`` does (gunicorn with ``make run``'s worker and thread
counts, from ``minga.serving``), and from this process:

- 1,000 casts, one per delegate, ``--cast-concurrency`` at a time (people arriving together);
- 200 readers, each loading the body's page, the proposal or the directory, waiting a
  think time drawn around ``--think`` seconds, and loading again, until the casts are done.

It reports the wall time of the 1,000 casts, p50/p95 of casts and reads, errors, and checks
that every ballot was counted exactly once (1,000 ballots stored, the closed vote's tally
counts 1,000).

    python benchmarks/bench_congress.py [--database-url postgres://…] [--delegates 1000]
        [--readers 200] [--think 2.0] [--cast-concurrency 50]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def configure(data_dir: Path, database_url: str | None) -> dict[str, str]:
    environment = {
        "DJANGO_SETTINGS_MODULE": "minga.settings.production",
        "MINGA_DATA_DIR": str(data_dir),
        "MINGA_SECRET_KEY": secrets.token_urlsafe(50),
        # A throw-away key for the legal cases (the server refuses to start without one).
        "MINGA_CASES_KEYS": "bench:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "MINGA_HTTPS": "0",
        "MINGA_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "MINGA_LOG_LEVEL": "ERROR",
    }
    os.environ.update(environment)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        environment["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    return environment


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def build(delegates: int) -> dict[str, Any]:
    """The Congress, its delegates with tokens, a proposal and an open vote."""
    from django.utils import timezone

    from minga.assemblies import services
    from minga.common.permissions import SYSTEM
    from minga.people.models import User
    from minga.people.services import access_token_create
    from minga.registry.models import (
        Body,
        DelegateAccreditation,
        Organization,
        OrganizationRelation,
        Region,
        Role,
    )

    today = timezone.localdate()
    since = today - timedelta(days=30)
    region = Region.objects.get(code="south-america")
    network = Organization.objects.create(
        kind="network", name="Confederación", slug="confederacion", country="VE", region=region
    )
    chair = User.objects.create(username="presidenta", display_name="Presidenta")
    Role.objects.create(person=chair, organization=network, kind="coordinator", started_on=since)
    body = Body.objects.create(
        organization=network, kind="congress", slug="congreso", name="Congreso"
    )
    services.body_rules_establish(actor=SYSTEM, body=body, data=services.RulesData())
    communes = Organization.objects.bulk_create(
        [
            Organization(
                kind="commune",
                name=f"Comuna {number:04d}",
                slug=f"comuna-{number:04d}",
                country="VE",
                region=region,
            )
            for number in range(delegates)
        ]
    )
    OrganizationRelation.objects.bulk_create(
        [
            OrganizationRelation(
                member=commune, parent=network, kind="member_of", status="active", started_on=since
            )
            for commune in communes
        ]
    )
    people = User.objects.bulk_create(
        [User(username=f"delegada-{n:04d}", display_name=f"Delegada {n}") for n in range(delegates)]
    )
    Role.objects.bulk_create(
        [
            Role(person=person, organization=commune, kind="delegate", started_on=since)
            for person, commune in zip(people, communes, strict=True)
        ]
    )
    DelegateAccreditation.objects.bulk_create(
        [
            DelegateAccreditation(
                person=person,
                organization=commune,
                body=body,
                term_start=since,
                term_end=today + timedelta(days=365),
            )
            for person, commune in zip(people, communes, strict=True)
        ]
    )
    for commune in communes:
        services.body_membership_add(
            actor=SYSTEM, body=body, organization=commune, started_on=since
        )
    proposal = services.proposal_create(
        actor=people[0],
        body=body,
        on_behalf_of=communes[0],
        title="Fondo común de semillas nativas",
        text="Creamos un **fondo común** de semillas nativas entre todas las comunas.",
    )
    for status in ("open", "debate", "to_vote"):
        proposal = services.proposal_transition(actor=chair, proposal=proposal, to_status=status)
    now = timezone.now()
    vote = services.vote_create(
        actor=chair,
        body=body,
        proposal=proposal,
        title="Fondo común",
        method="majority",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
    )
    tokens = [access_token_create(user=person, name="bench", scope="write")[1] for person in people]
    return {
        "vote": str(vote.uuid),
        "vote_pk": vote.pk,
        "tokens": tokens,
        "reads": [
            f"/assemblies/bodies/{body.slug}/",
            proposal.get_absolute_url(),
            "/organizations/",
            "/organizations/?q=comuna",
        ],
    }


def fresh_database(server_url: str) -> str:
    """A new, empty database on the given PostgreSQL server, for this run alone."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"minga_congress_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(environment: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn with make run's configuration (``minga.gunicorn``)."""
    from minga import gunicorn as configuration

    arguments = ["-c", "python:minga.gunicorn", "--bind", f"127.0.0.1:{port}"]
    described = (
        f"{configuration.workers} workers × {configuration.threads} threads "
        f"({configuration.worker_class})"
    )
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "minga.wsgi:application", *arguments],
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/organizations/")
            if connection.getresponse().status == 200:
                return process, described
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU of the server's master and its workers, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdecimal():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, … utime is the 12th field, stime the 13th.
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 599
    finally:
        connection.close()
    return status, (time.perf_counter() - started) * 1000


def run_load(
    port: int, setup: dict[str, Any], readers: int, think: float, concurrency: int
) -> dict[str, Any]:
    casts_done = threading.Event()
    read_times: list[float] = []
    read_errors: list[int] = []
    lock = threading.Lock()

    def reader(number: int) -> None:
        rng = random.Random(number)
        time.sleep(rng.uniform(0, think))
        while not casts_done.is_set():
            status, elapsed = request(port, "GET", rng.choice(setup["reads"]))
            with lock:
                read_times.append(elapsed)
                if status != 200:
                    read_errors.append(status)
            casts_done.wait(rng.uniform(0.5 * think, 1.5 * think))

    def cast(token: str) -> tuple[int, float]:
        body = json.dumps({"contents": {"option": "yes"}}).encode()
        return request(
            port,
            "POST",
            f"/api/v1/assemblies/votes/{setup['vote']}/ballots",
            body,
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )

    reader_threads = [
        threading.Thread(target=reader, args=(n,), daemon=True) for n in range(readers)
    ]
    for thread in reader_threads:
        thread.start()
    time.sleep(min(think, 2.0))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(cast, setup["tokens"]))
    cast_seconds = time.perf_counter() - started
    casts_done.set()
    for thread in reader_threads:
        thread.join(timeout=30)
    cast_times = [elapsed for _status, elapsed in results]
    cast_errors = [status for status, _elapsed in results if status != 201]
    return {
        "cast_seconds": round(cast_seconds, 1),
        "casts_per_second": round(len(results) / cast_seconds, 1),
        "cast_p50_ms": round(statistics.median(cast_times)),
        "cast_p95_ms": round(percentile(cast_times, 0.95)),
        "cast_errors": len(cast_errors),
        "cast_error_statuses": sorted(set(cast_errors)),
        "reads": len(read_times),
        "read_p50_ms": round(statistics.median(read_times)) if read_times else None,
        "read_p95_ms": round(percentile(read_times, 0.95)) if read_times else None,
        "read_errors": len(read_errors),
        "requests_per_second": round((len(results) + len(read_times)) / cast_seconds, 1),
    }


def counted_once(setup: dict[str, Any], delegates: int) -> dict[str, Any]:
    from minga.assemblies import services
    from minga.assemblies.models import OpenBallot, Vote

    vote = Vote.objects.get(pk=setup["vote_pk"])
    stored = OpenBallot.objects.filter(vote=vote).count()
    tally = services.vote_close_now(actor=vote.created_by, vote=vote)
    return {
        "ballots_stored": stored,
        "ballots_counted": tally.participating_weight,
        "expected": delegates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--cast-concurrency", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    database_url = fresh_database(args.database_url) if args.database_url else None
    with tempfile.TemporaryDirectory(prefix="minga-congress-") as directory:
        environment = configure(Path(directory), database_url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        started = time.perf_counter()
        setup = build(args.delegates)
        build_seconds = time.perf_counter() - started
        engine = connection.vendor
        connection.close()
        port = free_port()
        server, server_arguments = start_server(environment, port)
        try:
            server_cpu = server_cpu_seconds(server.pid)
            client_cpu = time.process_time()
            load_before = os.getloadavg()[0]
            figures = run_load(port, setup, args.readers, args.think, args.cast_concurrency)
            # CPU the server and this load generator spent while the casts ran: with the
            # wall time, how near the two cores were to full, whatever else ran beside.
            figures["server_cpu_seconds"] = round(server_cpu_seconds(server.pid) - server_cpu, 1)
            figures["client_cpu_seconds"] = round(time.process_time() - client_cpu, 1)
            figures["load_average_before"] = round(load_before, 2)
        finally:
            server.terminate()
            server.wait(timeout=30)
        figures.update(counted_once(setup, args.delegates))
    figures.update(
        {
            "database": engine,
            "delegates": args.delegates,
            "readers": args.readers,
            "think_seconds": args.think,
            "cast_concurrency": args.cast_concurrency,
            "server": server_arguments,
            "build_seconds": round(build_seconds, 1),
        }
    )
    print(
        f"Congress vote under load on {engine}: {args.delegates} casts, {args.readers} readers "
        f"(think ~{args.think} s), gunicorn {server_arguments}"
    )
    print("| figure | value | goal |")
    print("|---|---:|---|")
    print(f"| {args.delegates} casts, wall time | {figures['cast_seconds']} s | ≤ 30 s |")
    print(f"| cast p95 | {figures['cast_p95_ms']} ms | ≤ 2,000 ms |")
    print(f"| read p95 ({figures['reads']} reads) | {figures['read_p95_ms']} ms | ≤ 2,000 ms |")
    print(f"| errors (casts, reads) | {figures['cast_errors']}, {figures['read_errors']} | 0 |")
    print(
        f"| CPU while casting: server, load generator | {figures['server_cpu_seconds']} s, "
        f"{figures['client_cpu_seconds']} s | |"
    )
    print(
        f"| ballots stored / counted | {figures['ballots_stored']} / {figures['ballots_counted']} "
        f"| {args.delegates} / {args.delegates} |"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
