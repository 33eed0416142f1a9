"""Server-side latency of the network's calendar and feeds with 100,000 events.

Builds a fresh SQLite database (WAL) in a temporary data directory with the production
settings: 200 public organizations in several countries and regions, 2 campaigns, 100,000
events spread over three years (one in fifty yearly, one in five hundred lasting days, one
in ten restricted to the server's members), and 2,000 published bulletins. Then times
anonymous requests through Django's full stack in-process (middleware, view, template or
feed writer, database), so the figure is the server's own time: the calendar's month page
(unfiltered, by country, by campaign), the whole network's iCalendar feed and one
organization's, and the RSS and Atom feeds.

    python benchmarks/bench_comms.py [--requests 200] [--events 100000]
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

COUNTRIES = ["VE", "BR", "HT", "BO", "CU", "AR", "MX", "CO", "PE", "EC"]


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


def build(events: int) -> dict[str, str]:
    """The network, its campaigns, events and bulletins; returns the paths to time."""
    from django.utils import timezone

    from minga.common.permissions import SYSTEM
    from minga.comms import services
    from minga.comms.models import Bulletin, Event
    from minga.registry.models import Organization, Region

    rng = random.Random(2026)
    region = Region.objects.get(code="south-america")
    organizations = Organization.objects.bulk_create(
        Organization(
            kind="community_media" if number % 5 == 0 else "commune",
            name=f"Organización {number}",
            slug=f"org-{number}",
            country=COUNTRIES[number % len(COUNTRIES)],
            region=region,
            visibility="public",
        )
        for number in range(200)
    )
    campaigns = [
        services.campaign_create(
            actor=SYSTEM,
            organization=organizations[number],
            data=services.CampaignData(
                title=f"Campaña {number}", starts_on=timezone.localdate(), goals="Metas"
            ),
        )
        for number in range(2)
    ]
    now = timezone.now()
    start = now - timedelta(days=365)
    rows = []
    for number in range(events):
        organization = organizations[rng.randrange(len(organizations))]
        starts = start + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        rows.append(
            Event(
                organization=organization,
                kind="day_of_action" if number % 7 == 0 else "event",
                title=f"Jornada {number}",
                description="Jornada de **acción** de la red.",
                starts_at=starts,
                # One in five hundred runs for days (a camp, a fair, a week of action).
                ends_at=starts
                + (timedelta(days=3 + number % 10) if number % 500 == 7 else timedelta(hours=2)),
                time_zone="America/Caracas",
                place=f"Plaza {number % 97}",
                country=organization.country,
                region=region,
                campaign=campaigns[number % 2] if number % 3 == 0 else None,
                yearly=number % 50 == 0,
                # Restricted ones are never the yearly ones (every fiftieth), which the
                # month page must expand for every reader.
                visibility="server" if number % 10 == 5 else "public",
            )
        )
    for event in rows:
        event.derive_calendar_keys()  # what save() does, which bulk_create skips
    Event.objects.bulk_create(rows, batch_size=5000)
    bulletins = []
    for number in range(2000):
        organization = organizations[number % len(organizations)]
        bulletins.append(
            Bulletin(
                organization=organization,
                kind="article",
                title=f"Boletín {number}",
                body="La comuna cosechó **maíz**.",
                body_html="<p>La comuna cosechó <strong>maíz</strong>.</p>",
                language="es",
                status="published",
                published_at=now - timedelta(minutes=number),
                visibility="public",
            )
        )
    Bulletin.objects.bulk_create(bulletins, batch_size=2000)
    month = now.strftime("%Y-%m")
    return {
        "calendar month": f"/comms/calendar/?month={month}",
        "calendar by country": f"/comms/calendar/?month={month}&country=BR",
        "calendar by campaign": f"/comms/calendar/?month={month}&campaign={campaigns[0].slug}",
        "network iCalendar": "/comms/calendar.ics",
        "organization iCalendar": f"/comms/o/{organizations[10].slug}/calendar.ics",
        "RSS": "/comms/feeds/rss/",
        "Atom": "/comms/feeds/atom/",
    }


def measure(paths: dict[str, str], requests: int) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    results: dict[str, Any] = {}
    for name, path in paths.items():
        first = client.get(path)
        if first.status_code != 200:
            raise SystemExit(f"{path} answered {first.status_code}")
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        results[name] = {
            "path": path,
            "bytes": len(first.content),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--events", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        configure(Path(directory))
        from django.core.management import call_command

        from minga.common.planner import refresh_planner_statistics

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        began = time.perf_counter()
        paths = build(options.events)
        # As the stator's sweep keeps them in production (every few hours).
        refresh_planner_statistics()
        built = time.perf_counter() - began
        results = measure(paths, options.requests)
    print(
        json.dumps(
            {"events": options.events, "build_seconds": round(built, 1), "pages": results},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
