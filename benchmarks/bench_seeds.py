"""The seed bank: predicted viability of a million lots (vectorized) and the import of an
MCPD file of 200,000 accessions with validation.

- Viability: ``minga.core.viability.vectorized.predict_many`` over N lots with random
  constants, initial viability, moisture, temperature and storage days (no Django); the
  time of the call only (the columns are built before).
- Import: a generated MCPD v2.1 CSV (every accession with INSTCODE, ACCENUMB, GENUS,
  SPECIES, CROPNAME, ACCENAME, ACQDATE, ORIGCTY, decimal coordinates, ELEVATION, SAMPSTAT,
  COLLSRC, STORAGE, DUPLSITE, REMARKS) read with ``minga.seeds.mcpd.read_csv`` and written
  with ``services.accessions_import`` (what ``minga import mcpd`` runs: every field
  validated, all rows or none) into a fresh SQLite database (WAL) with the production
  settings; wall time and the process's peak resident memory.

    python benchmarks/bench_seeds.py [--lots 1000000] [--accessions 200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_registry import configure, percentile
from minga.core.viability.vectorized import LotColumns, predict_many


def bench_viability(lots: int, runs: int) -> dict[str, float]:
    rng = np.random.default_rng(2026)
    columns = LotColumns(
        ke=rng.uniform(7, 10, lots),
        cw=rng.uniform(4, 6, lots),
        ch=np.full(lots, 0.0329),
        cq=np.full(lots, 0.000478),
        initial_percent=rng.uniform(60, 99.5, lots),
        moisture_percent=rng.uniform(5, 15, lots),
        temperature_celsius=rng.uniform(-20, 30, lots),
        days=rng.uniform(0, 3650, lots),
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = predict_many(columns)
        times.append(time.perf_counter() - start)
        assert result.shape == (lots,)
    return {
        "lots": lots,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
    }


GENERA = [("Zea", "mays", "maíz"), ("Phaseolus", "vulgaris", "frijol"), ("Chenopodium", "quinoa", "quinua"),
          ("Solanum", "tuberosum", "papa"), ("Triticum", "aestivum", "trigo"), ("Hordeum", "vulgare", "cebada")]  # fmt: skip
COUNTRIES = ["PER", "BOL", "ECU", "MEX", "HTI", "VEN", "GTM", "COL"]


def mcpd_file(accessions: int, prefix: str) -> bytes:
    rng = random.Random(prefix)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "CROPNAME", "ACCENAME", "ACQDATE",
              "ORIGCTY", "DECLATITUDE", "DECLONGITUDE", "ELEVATION", "SAMPSTAT", "COLLSRC",
              "STORAGE", "DUPLSITE", "REMARKS"]  # fmt: skip
    writer.writerow(header)
    for number in range(accessions):
        genus, species, crop = rng.choice(GENERA)
        writer.writerow(
            [
                "PER001",
                f"{prefix}-{number:07d}",
                genus,
                species,
                crop,
                f"Variedad {number % 997}",
                f"{rng.randint(1980, 2025)}{rng.choice(['----', '06--', '0312'])}",
                rng.choice(COUNTRIES),
                f"{rng.uniform(-30, 20):.5f}",
                f"{rng.uniform(-90, -60):.5f}",
                rng.randint(0, 4500),
                rng.choice([100, 300, 500, 999]),
                rng.choice([10, 20, 26, 30]),
                rng.choice(["11", "12;13", "13"]),
                rng.choice(["", "BOL002", "MEX003;PER002"]),
                "Datos de prueba",
            ]
        )
    return out.getvalue().encode("utf-8")


def bench_import(accessions: int, runs: int) -> dict[str, float]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from minga.common.permissions import SYSTEM
    from minga.registry.models import Organization, Region
    from minga.seeds import services
    from minga.seeds.mcpd import read_csv

    times = []
    for run in range(runs):
        organization = Organization.objects.create(
            name=f"Comuna {run}", slug=f"comuna-{run}", kind="commune", country="PE",
            region=Region.objects.get(code="south-america"),
        )  # fmt: skip
        bank = services.bank_create(
            actor=SYSTEM,
            organization=organization,
            data=services.BankData(name=f"Banco {run}", instcode="PER001"),
        )
        data = mcpd_file(accessions, f"R{run}")
        start = time.perf_counter()
        rows = read_csv(data)
        created = services.accessions_import(actor=SYSTEM, bank=bank, rows=rows)
        times.append(time.perf_counter() - start)
        assert len(created) == accessions
        del rows, created, data
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "accessions": accessions,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_rss_mb": peak_mb,
    }


def bench_at_risk(accessions: int, requests: int) -> dict[str, float]:
    """The keeper's page of accessions at risk over a bank of ``accessions`` accessions with
    one lot each (a tenth with a regeneration date passed, a tenth with few seeds, half without
    a safety duplicate): the selector, the paginator's count and the first page of 30, as the
    view runs them; ``requests`` timings, p50 and p95."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from minga.common.permissions import SYSTEM
    from minga.people.models import User
    from minga.registry.models import Organization, Region
    from minga.registry.services import role_assign
    from minga.seeds import selectors, services
    from minga.seeds.models import Accession, Lot

    organization = Organization.objects.create(
        name="Comuna Riesgo", slug="comuna-riesgo", kind="commune", country="PE",
        region=Region.objects.get(code="south-america"),
    )  # fmt: skip
    keeper = User.objects.create_user(username="guardiana", password="x")  # noqa: S106
    role_assign(
        actor=SYSTEM, person=keeper, organization=organization, kind="spokesperson",
        started_on=timezone.localdate(),
    )  # fmt: skip
    bank = services.bank_create(
        actor=SYSTEM, organization=organization,
        data=services.BankData(name="Banco grande", instcode="PER001"),
    )  # fmt: skip
    rng = random.Random(13)
    today = timezone.localdate()
    rows = []
    for number in range(accessions):
        genus, species, crop = rng.choice(GENERA)
        rows.append(
            Accession(
                bank=bank, instcode="PER001", accenumb=f"R-{number:07d}", genus=genus,
                species=species, cropname=crop, duplsite="" if number % 2 else "BOL002",
            )
        )  # fmt: skip
    Accession.objects.bulk_create(rows, batch_size=5000)
    ids = list(Accession.objects.filter(bank=bank).values_list("pk", flat=True))
    lots = []
    for index, pk in enumerate(ids):
        lots.append(
            Lot(
                accession_id=pk, code="L1", seeds=50 if index % 10 == 1 else 5000,
                received_on=today, stored_since=today,
                storage_temperature=Decimal("5.0"), moisture_percent=Decimal("7.0"),
                germination_percent=90.0,
                regenerate_on=today + timedelta(days=rng.randint(-400, 4000))
                if index % 10 == 0 else None,
            )
        )  # fmt: skip
    Lot.objects.bulk_create(lots, batch_size=5000)
    del rows, lots
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        page = Paginator(selectors.accessions_at_risk(keeper, bank), 30).get_page(1)
        listed = list(page)
        times.append(time.perf_counter() - start)
        assert listed
        assert page.paginator.count > accessions // 2
    return {
        "accessions": accessions,
        "requests": requests,
        "p50_ms": percentile(times, 0.5) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "at_risk": page.paginator.count,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=1_000_000)
    parser.add_argument("--accessions", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--at-risk-accessions", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {"viability": bench_viability(args.lots, args.runs)}
    print(json.dumps(results), flush=True)
    with tempfile.TemporaryDirectory(prefix="minga-bench-seeds-") as data_dir:
        configure(Path(data_dir))
        results["at_risk"] = bench_at_risk(args.at_risk_accessions, args.requests)
        print(json.dumps(results), flush=True)
        if not args.skip_import:
            results["import"] = bench_import(args.accessions, args.runs)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
