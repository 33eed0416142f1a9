"""Fan-out of one bulletin to 10,000 followers on 1,000 remote servers, retries included.

Starts ``stub_inbox.py`` in its own process: 1,000 servers (``srv-N.test``, resolved to
loopback through the operator's test-host settings) on one port, where the first POST to
every twentieth server fails with 503. Builds a fresh SQLite database with the production
settings, one organization with 10,000 accepted followers (ten accounts per server, each
server with a shared inbox), then times, from the editor's "publish" to the last 2xx:
the bulletin's publication (the ActivityPub Create is queued), the fan-out to one delivery
per distinct inbox, and the deliveries by the stator's own ``run_once`` with the
production thread count, each a POST signed with the organization's RSA key, the 503s
retried after the backoff (its base shortened to 1 s here; 60 s in production).

    python benchmarks/bench_fanout.py [--servers 1000] [--per-server 10]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' factories

from bench_registry import configure

HERE = Path(__file__).resolve().parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _followers(organization: object, servers: int, per_server: int, port: int) -> None:
    from minga.federation.models import Follow, RemoteActor, RemoteServer
    from minga.federation.types import FollowState

    hosts = RemoteServer.objects.bulk_create(
        RemoteServer(domain=f"srv-{n}.test:{port}") for n in range(servers)
    )
    actors = RemoteActor.objects.bulk_create(
        (
            RemoteActor(
                uri=f"http://srv-{n}.test:{port}/users/u{k}",
                server=host,
                username=f"u{k}",
                inbox=f"http://srv-{n}.test:{port}/users/u{k}/inbox",
                shared_inbox=f"http://srv-{n}.test:{port}/inbox",
                key_id=f"http://srv-{n}.test:{port}/users/u{k}#main-key",
                public_key_pem="(not used: nobody here signs to us)",
            )
            for n, host in enumerate(hosts)
            for k in range(per_server)
        ),
        batch_size=2000,
    )
    Follow.objects.bulk_create(
        (
            Follow(
                follower_actor=actor, target_organization=organization, state=FollowState.ACCEPTED
            )
            for actor in actors
        ),
        batch_size=2000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--per-server", type=int, default=10)
    args = parser.parse_args()
    port = _free_port()
    stub = subprocess.Popen(
        [sys.executable, str(HERE / "stub_inbox.py"), str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        if stub.stdout is None or stub.stdout.readline().strip() != "ready":
            raise SystemExit("the stub inbox server did not start")
        hosts = [f"srv-{n}.test" for n in range(args.servers)]
        os.environ["MINGA_FEDERATION_TEST_HOSTS"] = ",".join(f"{h}:{port}" for h in hosts)
        os.environ["MINGA_FEDERATION_RETRY_BASE_SECONDS"] = "1"
        with tempfile.TemporaryDirectory(prefix="minga-bench-fanout-") as directory:
            configure(Path(directory))
            report = _run(args, port, hosts)
    finally:
        stub.terminate()
        stub.wait(timeout=10)
    print(json.dumps(report, indent=2))


def _run(args: argparse.Namespace, port: int, hosts: list[str]) -> dict[str, object]:
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import reverse
    from tests import factories
    from tests.comms import factories as comms

    from minga.common.stator import run_once
    from minga.federation.models import Delivery, OutboxActivity
    from minga.federation.types import DeliveryState

    call_command("migrate", verbosity=0)
    settings.FEDERATION_HOST_ADDRESSES = dict.fromkeys(hosts, "127.0.0.1")
    organization = factories.organization(
        name="Radio del Sur", slug="radio-sur", kind="community_media"
    )
    _followers(organization, args.servers, args.per_server, port)
    threads = int(settings.STATOR_THREADS)
    # A running server has its URLs loaded; the first reverse() in a process imports them all.
    reverse("federation:outbox", args=[organization.uuid])

    started = time.perf_counter()
    comms.bulletin(organization, title="Jornada continental")
    published = time.perf_counter() - started
    passes = 0
    while True:
        began = time.perf_counter()
        handled = run_once(threads=threads)
        passes += 1
        if os.environ.get("BENCH_VERBOSE"):
            now = time.perf_counter()
            print(
                f"pass {passes} at {now - started:.2f} s: {handled} in {now - began:.2f} s",
                file=sys.stderr,
            )
        if (
            not OutboxActivity.objects.filter(state="new").exists()
            and Delivery.objects.exists()
            and not Delivery.objects.filter(state=DeliveryState.QUEUED).exists()
        ):
            break
        if handled == 0:
            time.sleep(0.05)  # what the stator does while the next retry is not yet due
    elapsed = time.perf_counter() - started

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=10) as answer:
        stats = json.loads(answer.read())
    states = _state_counts()
    return {
        "followers": args.servers * args.per_server,
        "inboxes": args.servers,
        "stator_threads": threads,
        "seconds": round(elapsed, 1),
        "publication_seconds": round(published, 2),
        "deliveries": states,
        "posts_received": stats["posts"],
        "servers_that_accepted_once": sum(1 for n in stats["accepted"].values() if n == 1),
        "refused_then_retried": sum(stats["refused"].values()),
        "worker_passes": passes,
    }


def _state_counts() -> dict[str, int]:
    from django.db.models import Count

    from minga.federation.models import Delivery

    return {
        row["state"]: row["n"]
        for row in Delivery.objects.order_by().values("state").annotate(n=Count("pk"))
    }


if __name__ == "__main__":
    main()
