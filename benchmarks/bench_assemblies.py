"""Server-side latency of a proposal page with 500 threaded comments and of a body's
proposal list with 2,000 proposals.

Builds a fresh SQLite database (WAL) in a temporary data directory with the production
settings, writes a congress with its members, 2,000 proposals and 500 comments (roots with
replies nested up to four deep) on one of them, and times anonymous requests through
Django's full stack (middleware, view, template, database) in-process, so that the figure
is the server's own time, not the network's. The list is read page by page as the app
paginates it.

    python benchmarks/bench_assemblies.py [--requests 300] [--proposals 2000] [--comments 500]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def configure(data_dir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "minga.settings.production",
            "MINGA_DATA_DIR": str(data_dir),
            "MINGA_SECRET_KEY": secrets.token_urlsafe(50),
            # A throw-away key for the legal cases (the server refuses to start without one).
            "MINGA_CASES_KEYS": "bench:"
            + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
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


def build(proposals: int, comments: int) -> tuple[str, str, int]:
    """The congress and its texts; returns the proposal's path, the list's path, pages."""
    from django.utils import timezone

    from minga.assemblies import services
    from minga.assemblies.models import Comment, Proposal, ProposalVersion
    from minga.assemblies.views import PROPOSALS_PER_PAGE
    from minga.people.models import User
    from minga.registry.models import Body, DelegateAccreditation, Organization, Region, Role

    today = timezone.localdate()
    place = {"country": "VE", "region": Region.objects.get(code="south-america")}
    network = Organization.objects.create(
        kind="network", name="Confederación", slug="confederacion", **place
    )
    chair = User.objects.create(username="presidenta", display_name="Presidenta")
    Role.objects.create(
        person=chair, organization=network, kind="coordinator", started_on=today - timedelta(99)
    )
    body = Body.objects.create(
        organization=network, kind="congress", slug="congreso", name="Congreso"
    )
    services.body_rules_establish(actor=chair, body=body, data=services.RulesData())
    people, orgs = [], []
    for number in range(20):
        org = Organization.objects.create(
            kind="commune", name=f"Comuna {number}", slug=f"comuna-{number}", **place
        )
        services.body_membership_add(
            actor=chair, body=body, organization=org, started_on=today - timedelta(days=9)
        )
        person = User.objects.create(
            username=f"delegada-{number}", display_name=f"Delegada {number}"
        )
        DelegateAccreditation.objects.create(
            person=person,
            organization=org,
            body=body,
            term_start=today - timedelta(days=9),
            term_end=today + timedelta(days=300),
        )
        people.append(person)
        orgs.append(org)
    rows = Proposal.objects.bulk_create(
        [
            Proposal(
                body=body,
                title=f"Propuesta {number}: fondo común de semillas",
                author=people[number % 20],
                on_behalf_of=orgs[number % 20],
                status=("open", "debate", "to_vote", "adopted")[number % 4],
            )
            for number in range(proposals)
        ]
    )
    ProposalVersion.objects.bulk_create(
        [
            ProposalVersion(proposal=row, number=1, text="Creamos un **fondo común**.")
            for row in rows
        ]
    )
    target = rows[-1]
    ProposalVersion.objects.create(proposal=target, number=2, text="Creamos un **fondo**.\n\n" * 8)
    rng = random.Random(7)
    made: list[tuple[Comment, int]] = []
    for number in range(comments):
        parent, depth = (None, 0)
        if made and rng.random() < 0.6:
            candidate, candidate_depth = rng.choice(made)
            if candidate_depth < 4:
                parent, depth = candidate, candidate_depth + 1
        comment = services.comment_add(
            actor=people[number % 20],
            proposal=target,
            parent=parent,
            text=f"Comentario {number}: estoy de acuerdo con *el fondo*, y propongo [ver]"
            f"(https://example.org/{number}).",
        )
        made.append((comment, depth))
    pages = -(-proposals // PROPOSALS_PER_PAGE)
    return target.get_absolute_url(), f"/assemblies/bodies/{body.slug}/proposals/", pages


def time_requests(client: Any, path: str, queries: list[dict[str, str]], count: int) -> list[float]:
    timings: list[float] = []
    for number in range(count):
        query = queries[number % len(queries)]
        started = time.perf_counter()
        response = client.get(path, query)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} {query} answered {response.status_code}")
        timings.append(elapsed * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=500)
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
        proposal_path, list_path, pages = build(args.proposals, args.comments)
        load_seconds = time.perf_counter() - started
        journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
        client = Client()
        list_queries = [{}, {"page": "2"}, {"page": str(pages)}, {"status": "open"}] + [
            {"page": str(page)} for page in range(3, pages, max(1, pages // 10))
        ]
        warm = max(20, args.requests // 10)
        time_requests(client, proposal_path, [{}], warm)
        time_requests(client, list_path, list_queries, warm)
        proposal_ms = time_requests(client, proposal_path, [{}], args.requests)
        list_ms = time_requests(client, list_path, list_queries, args.requests)
        size = len(client.get(proposal_path).content)

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2),
        }

    figures = {
        "proposals": args.proposals,
        "comments": args.comments,
        "sqlite_journal_mode": journal,
        "load_seconds": round(load_seconds, 1),
        "requests_each": args.requests,
        "proposal_page": summary(proposal_ms),
        "proposal_page_bytes": size,
        "proposal_list": summary(list_ms),
        "proposal_list_pages": pages,
    }
    print(
        f"Assemblies, {args.proposals} proposals, {args.comments} comments on one, "
        f"SQLite ({journal}), {args.requests} requests each"
    )
    print("| request | median ms | p95 ms | goal |")
    print("|---|---:|---:|---|")
    for label, key in (
        (f"proposal page ({args.comments} comments)", "proposal_page"),
        (f"proposal list ({args.proposals}, {pages} pages)", "proposal_list"),
    ):
        print(f"| {label} | {figures[key]['median_ms']} | {figures[key]['p95_ms']} | p95 ≤ 100 |")  # type: ignore[index]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
