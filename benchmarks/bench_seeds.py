"""The seed bank: predicted viability of a million lots (vectorized) and the import of an
MCPD file of 200,000 accessions with validation.

- Viability: ``minga.core.viability.vectorized.predict_many`` over N lots with random
  constants, initial viability, moisture, temperature and storage days (no Django); the
  time of the call only (the columns are built before).
- Import: a generated MCPD v2.1 CSV file (every accession with INSTCODE, ACCENUMB, GENUS,
  SPECIES, CROPNAME, ACCENAME, ACQDATE, ORIGCTY, decimal coordinates, ELEVATION, SAMPSTAT,
  COLLSRC, STORAGE, DUPLSITE, REMARKS) imported by ``minga import mcpd FILE --bank UUID``
  run as a child process (the command, ``services.accessions_import``, every field
  validated, all rows or none) into a SQLite database (WAL) with the production settings;
  the child's wall time and peak resident memory (``os.wait4``'s ``ru_maxrss``). Then the
  same file again (refused, nothing changed) and a file whose last row is bad (refused
  naming line and field, nothing left behind).
- At-risk report: see :func:`bench_at_risk`.

Each result carries the load average when it was taken (the machine is shared).

    python benchmarks/bench_seeds.py [--lots 1000000] [--accessions 200000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def write_mcpd_file(path: Path, accessions: int, prefix: str) -> None:
    """A seeded MCPD v2.1 CSV file of ``accessions`` rows (16 columns, every kind of check:
    institute codes, genus, ISO 3166 country, partial dates, coordinates, elevation, code
    lists, semicolon lists), written a row at a time."""
    rng = random.Random(prefix)
    with path.open("w", encoding="utf-8", newline="") as out:
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


def run_import(path: Path, bank_uuid: str) -> tuple[float, float, int, str, float]:
    """``minga import mcpd FILE --bank UUID`` as a child process (the command, the service,
    the database, all of it): wall seconds, peak resident MiB of the child, exit status, the
    last line it printed and the child's CPU seconds (user and system: on a shared machine
    the wall time grows with the others' load, the CPU time much less)."""
    command = [sys.executable, "-m", "minga.cli", "import", "mcpd", str(path), "--bank", bank_uuid]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    last = output.strip().splitlines()[-1] if output.strip() else ""
    return wall, usage.ru_maxrss / 1024, child.returncode, last, usage.ru_utime + usage.ru_stime


def bench_import(accessions: int, runs: int, data_dir: Path) -> dict[str, object]:
    """``runs`` imports of a fresh ``accessions``-row file into a new bank each, then the
    first file sent again (refused as already imported, nothing changed) and a file whose
    last row is bad (refused naming its line and field, nothing left behind)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from minga.common.permissions import SYSTEM
    from minga.registry.models import Organization, Region
    from minga.seeds import services
    from minga.seeds.models import Accession

    def new_bank(run: int) -> str:
        organization = Organization.objects.create(
            name=f"Comuna {run}", slug=f"comuna-{run}", kind="commune", country="PE",
            region=Region.objects.get(code="south-america"),
        )  # fmt: skip
        bank = services.bank_create(
            actor=SYSTEM,
            organization=organization,
            data=services.BankData(name=f"Banco {run}", instcode="PER001"),
        )
        return str(bank.uuid)

    times: list[float] = []
    peaks: list[float] = []
    cpus: list[float] = []
    first: tuple[Path, str] | None = None
    for run in range(runs):
        bank = new_bank(run)
        path = data_dir / f"mcpd-{run}.csv"
        write_mcpd_file(path, accessions, f"R{run}")
        connection.close()
        wall, peak, status, last, cpu = run_import(path, bank)
        assert status == 0, last
        assert Accession.objects.filter(bank__uuid=bank).count() == accessions
        times.append(wall)
        peaks.append(peak)
        cpus.append(cpu)
        print(
            f"import run {run}: {wall:.1f} s, CPU {cpu:.1f} s, {peak:.0f} MiB, load "
            f"{os.getloadavg()[0]:.1f}",
            file=sys.stderr,
            flush=True,
        )
        first = first or (path, bank)
    assert first is not None
    total = Accession.objects.count()
    connection.close()
    retry_wall, _retry_peak, status, retry_said, _cpu = run_import(*first)
    assert status != 0, retry_said
    assert "Nothing was imported" in retry_said, retry_said
    assert Accession.objects.count() == total
    bad = data_dir / "mcpd-bad.csv"
    write_mcpd_file(bad, accessions, "BAD")
    with bad.open("a", encoding="utf-8") as out:
        out.write("PER001,BAD-LAST,Zea,mays,maíz,,2019----,XXX,,,,,,,,\n")
    bad_bank = new_bank(runs)
    connection.close()
    bad_wall, _peak, status, bad_said, _cpu = run_import(bad, bad_bank)
    assert status != 0, bad_said
    assert f" {accessions + 2}, ORIGCTY" in bad_said, bad_said
    assert not Accession.objects.filter(bank__uuid=bad_bank).exists()
    return {
        "accessions": accessions,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "cpu_median_s": statistics.median(cpus),
        "peak_rss_mib_max": max(peaks),
        "retry_refused_s": retry_wall,
        "retry_said": retry_said,
        "bad_last_row_refused_s": bad_wall,
        "bad_said": bad_said,
    }


def at_risk_bank(accessions: int) -> tuple[Any, Any]:
    """A keeper and a bank of ``accessions`` accessions with one lot each: a tenth with a
    regeneration date (some passed), a tenth with few seeds, half without a safety
    duplicate. The test data are written with the same bulk insert the MCPD import uses, with the
    totals the services keep (``Accession.stock``, ``Accession.regenerate_on``)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from minga.common.bulk import RowInserter
    from minga.common.permissions import SYSTEM
    from minga.people.models import User
    from minga.registry.models import Organization, Region
    from minga.registry.services import role_assign
    from minga.seeds import services
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
    plan = []
    for index in range(accessions):
        seeds = 50 if index % 10 == 1 else 5000
        due = today + timedelta(days=rng.randint(-400, 4000)) if index % 10 == 0 else None
        plan.append((seeds, due))
    inserter = RowInserter(
        Accession,
        ["bank_id", "instcode", "accenumb", "genus", "species", "cropname", "duplsite",
         "stock", "regenerate_on"],
    )  # fmt: skip
    for start in range(0, accessions, 5000):
        rows = []
        for index in range(start, min(start + 5000, accessions)):
            genus, species, crop = rng.choice(GENERA)
            rows.append(
                {
                    "bank_id": bank.pk, "instcode": "PER001", "accenumb": f"R-{index:07d}",
                    "genus": genus, "species": species, "cropname": crop,
                    "duplsite": "" if index % 2 else "BOL002",
                    "stock": plan[index][0], "regenerate_on": plan[index][1],
                }
            )  # fmt: skip
        inserter.insert(rows)
    ids = list(
        Accession.objects.filter(bank=bank).order_by("accenumb").values_list("pk", flat=True)
    )
    lots = RowInserter(
        Lot,
        ["accession_id", "code", "seeds", "received_on", "stored_since", "storage_temperature",
         "moisture_percent", "germination_percent", "regenerate_on"],
    )  # fmt: skip
    for start in range(0, accessions, 5000):
        lots.insert(
            {
                "accession_id": ids[index],
                "code": "L1",
                "seeds": plan[index][0],
                "received_on": today,
                "stored_since": today,
                "storage_temperature": Decimal("5.0"),
                "moisture_percent": Decimal("7.0"),
                "germination_percent": 90.0,
                "regenerate_on": plan[index][1],
            }
            for index in range(start, min(start + 5000, accessions))
        )
    # The kept counts per reason, as the migration fills them after a bulk load.
    from minga.seeds.tally import recount

    recount(bank.pk)
    return keeper, bank


def bench_at_risk(accessions: int, requests: int) -> dict[str, object]:
    """See :func:`at_risk_bank` for the data; each request goes through the whole server
    (middleware, session, permission check, the kept counts per reason, the page of 30 by
    key, the template), taking turns over the four filters and the first page, the next
    one (after the first page's last row), the last one and the one before it; ``requests``
    timings, p50 and p95. The selector alone (first page) is timed too."""
    from django.test import Client
    from django.utils import timezone

    from minga.seeds import selectors, tally

    keeper, bank = at_risk_bank(accessions)
    client = Client()
    client.force_login(keeper)
    url = f"/seeds/banks/{bank.uuid}/at-risk/"
    queries: list[dict[str, str]] = []
    for reason in ["", "viability", "quantity", "duplicate"]:
        first = selectors.at_risk_page(keeper, bank, reason=reason)
        last = selectors.at_risk_page(keeper, bank, reason=reason, last=True)
        queries.append({"reason": reason})
        if first.after:
            queries.append({"reason": reason, "after": first.after})
        queries.append({"reason": reason, "last": "1"})
        if last.before:
            queries.append({"reason": reason, "before": last.before})
    for query in queries[:4]:  # warm the caches once
        assert client.get(url, query).status_code == 200
    times = []
    for number in range(requests):
        start = time.perf_counter()
        response = client.get(url, queries[number % len(queries)])
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    selector_times = []
    for _ in range(requests):
        start = time.perf_counter()
        listed = selectors.at_risk_page(keeper, bank).rows
        selector_times.append(time.perf_counter() - start)
        assert listed
    return {
        "accessions": accessions,
        "requests": requests,
        "page_p50_ms": percentile(times, 0.5) * 1000,
        "page_p95_ms": percentile(times, 0.95) * 1000,
        "page_max_ms": max(times) * 1000,
        "selector_p50_ms": percentile(selector_times, 0.5) * 1000,
        "selector_p95_ms": percentile(selector_times, 0.95) * 1000,
        "at_risk": tally.risk_counts(bank, timezone.localdate()).total,
    }


def _with_load(result: dict[str, object]) -> dict[str, object]:
    result["load_average"] = [round(value, 2) for value in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=1_000_000)
    parser.add_argument("--accessions", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--at-risk-accessions", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--only", choices=["viability", "at-risk", "import"], action="append", default=[]
    )
    args = parser.parse_args()
    parts = args.only or ["viability", "at-risk", "import"]
    results: dict[str, object] = {}
    if "viability" in parts:
        results["viability"] = _with_load(bench_viability(args.lots, args.runs))
        print(json.dumps(results), flush=True)
    with tempfile.TemporaryDirectory(prefix="minga-bench-seeds-") as data_dir:
        configure(Path(data_dir))
        if "at-risk" in parts:
            at_risk = bench_at_risk(args.at_risk_accessions, args.requests)
            results["at_risk"] = _with_load(at_risk)
            print(json.dumps(results), flush=True)
        if "import" in parts:
            imported = bench_import(args.accessions, args.runs, Path(data_dir))
            results["import"] = _with_load(imported)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
