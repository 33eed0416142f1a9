"""Server-side latency of the directory page and the API list, with 10,000 organizations.

Builds a fresh SQLite database (WAL) in a temporary data directory with the production
settings, loads the demo federation, and times requests through Django's full stack
(middleware, view, template, database, search index) in-process, so that the figure is
the server's own time, not the network's. Also measures what a first visit to the
directory transfers: the HTML plus every stylesheet and script it references, as served
(WhiteNoise serves assets gzip-compressed to browsers that accept it).

    python benchmarks/bench_registry.py [--requests 300] [--organizations 10000]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def configure(data_dir: Path, cases_keys: str | None = None) -> None:
    """Production settings over ``data_dir``; ``cases_keys`` reuses the legal cases' key of
    a database kept from an earlier run (a new throw-away key otherwise)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "minga.settings.production",
            "MINGA_DATA_DIR": str(data_dir),
            "MINGA_SECRET_KEY": secrets.token_urlsafe(50),
            # A throw-away key for the legal cases (the server refuses to start without one).
            "MINGA_CASES_KEYS": cases_keys
            or "bench:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "MINGA_HTTPS": "0",
            "MINGA_ALLOWED_HOSTS": "testserver,127.0.0.1",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


DIRECTORY_QUERIES: list[dict[str, str]] = [
    {},
    {"page": "3"},
    {"page": "120"},
    {"country": "VE"},
    {"region": "europe"},
    {"kind": "commune"},
    {"kind": "cooperative", "region": "south-america"},
    {"language": "qu"},
    {"status": "active", "kind": "union"},
    {"q": "comuna"},
    {"q": "semillas"},
    {"q": "zamora maizal"},
    {"q": "bol"},
    {"q": "cooperativa", "country": "BR"},
]


def time_requests(
    client: Any, path: str, queries: list[dict[str, str]], count: int, **headers: str
) -> list[float]:
    timings: list[float] = []
    for number in range(count):
        query = queries[number % len(queries)]
        started = time.perf_counter()
        response = client.get(path, query, **headers)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} {query} answered {response.status_code}")
        timings.append(elapsed * 1000)
    return timings


def first_visit_bytes(client: Any) -> dict[str, int]:
    response = client.get("/organizations/")
    html = response.content
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    raw = compressed = len(html)
    for asset in assets:
        plain = client.get(asset.decode())
        gz = client.get(asset.decode(), HTTP_ACCEPT_ENCODING="gzip, br")
        plain_body = b"".join(plain.streaming_content) if plain.streaming else plain.content
        gz_body = b"".join(gz.streaming_content) if gz.streaming else gz.content
        raw += len(plain_body)
        compressed += len(gz_body)
    return {
        "html": len(html),
        "assets": len(assets),
        "total_raw": raw,
        "total_as_served": compressed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="Write the figures here as JSON.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="minga-bench-") as directory:
        configure(Path(directory))
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("demo", "--organizations", str(args.organizations), stdout=quiet)
        load_seconds = time.perf_counter() - started
        from minga.registry.models import Organization

        count = Organization.objects.count()
        journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
        client = Client()
        warm = max(20, args.requests // 10)
        time_requests(client, "/organizations/", DIRECTORY_QUERIES, warm)
        time_requests(client, "/api/v1/organizations", DIRECTORY_QUERIES, warm)
        directory_ms = time_requests(client, "/organizations/", DIRECTORY_QUERIES, args.requests)
        htmx_ms = time_requests(
            client, "/organizations/", DIRECTORY_QUERIES, args.requests, HTTP_HX_REQUEST="true"
        )
        api_ms = time_requests(client, "/api/v1/organizations", DIRECTORY_QUERIES, args.requests)
        transfer = first_visit_bytes(client)

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2),
        }

    figures = {
        "organizations": count,
        "sqlite_journal_mode": journal,
        "demo_load_seconds": round(load_seconds, 1),
        "requests_each": args.requests,
        "directory_page": summary(directory_ms),
        "directory_htmx_results": summary(htmx_ms),
        "api_list": summary(api_ms),
        "first_visit_transfer_bytes": transfer,
    }
    print(f"Registry, {count} organizations, SQLite ({journal}), {args.requests} requests each")
    print("| request | median ms | p95 ms | goal |")
    print("|---|---:|---:|---|")
    print(
        f"| directory page | {figures['directory_page']['median_ms']} | {figures['directory_page']['p95_ms']} | p95 ≤ 50 |"
    )
    print(
        f"| directory results (htmx) | {figures['directory_htmx_results']['median_ms']} | {figures['directory_htmx_results']['p95_ms']} | |"
    )
    print(
        f"| API list | {figures['api_list']['median_ms']} | {figures['api_list']['p95_ms']} | p95 ≤ 50 |"
    )
    print(
        f"First visit to the directory: {transfer['total_as_served'] / 1024:.1f} KiB as served "
        f"({transfer['total_raw'] / 1024:.1f} KiB uncompressed; HTML {transfer['html'] / 1024:.1f} KiB, "
        f"{transfer['assets']} assets); goal ≤ 100 KB"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
