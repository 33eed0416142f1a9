"""Solidarity funds: a fund page with 100,000 transfers, and a team's list of 10,000
encrypted legal cases.

Builds a fresh SQLite database (WAL) in a temporary data directory with the production
settings. The fund's 100,000 movements are real ledger transfers, posted through the
exchange's batch API (``transfers_submit``, 1,000 a batch: contributions into the fund,
then grants and expenses out of it, over 24 months and 6 categories); the fund's movement
rows are inserted in bulk beside them, and the fund's kept monthly totals from one replay
of the journal. The 10,000 cases are sealed exactly as the service
seals them (a data key each, wrapped by the master key; pseudonym, place and summary
under AES-256-GCM) and inserted in bulk, all with the same team member. Then times,
through Django's whole stack with the test client:

- the fund's public page, anonymous (figures from the kept monthly totals, last 100
  movements);
- the team member's list of cases, first page and page 100 (50 cases a page: each one's
  data key unwrapped, its pseudonym decrypted and the read logged).

    python benchmarks/bench_funds.py [--transfers 100000] [--cases 10000] [--requests 60] [--runs 3]
        [--data-dir DIR] [--only fund_page]

``--data-dir`` keeps the built database (and the cases' key) in DIR, and a later run with
the same DIR times it again without building it (migrations applied first): before and
after a change can be measured on the same data, one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_registry import configure, percentile

CATEGORIES = ["seeds", "tools", "transport", "legal-fees", "food", "housing"]


def build_fund(transfers: int) -> Any:
    from django.utils import timezone

    from minga.common.permissions import SYSTEM
    from minga.exchange import services as exchange
    from minga.funds import selectors, services
    from minga.funds.models import MonthlyTotal, Movement
    from minga.registry.models import Organization, OrganizationRelation, Region

    region = Region.objects.first()
    network = Organization.objects.create(
        name="Red", slug="red", kind="network", country="VE", region=region
    )
    commune = Organization.objects.create(
        name="Comuna", slug="comuna", kind="commune", country="VE", region=region
    )
    OrganizationRelation.objects.create(
        member=commune,
        parent=network,
        kind="member_of",
        status="active",
        started_on=timezone.localdate(),
    )
    unit = exchange.unit_create(
        actor=SYSTEM, code="MINGA", name="Minga", kind="community", network=network, scale=2
    )
    fund = services.fund_create(
        actor=SYSTEM,
        organization=commune,
        data=services.FundData(name="Fondo", purpose="Apoyo mutuo", unit=unit),
    )
    rng = random.Random(15)
    today = timezone.localdate()
    incoming = transfers * 7 // 10
    batch: list[tuple[Any, Any]] = []

    def flush() -> None:
        outcome = exchange.transfers_submit(
            actor=SYSTEM, inputs=[i for i, _m in batch], platform=exchange.PLATFORM
        )
        for (_input, movement), result in zip(batch, outcome.outcomes, strict=True):
            assert result.status != "refused", result.code
            movement.transfer = result.transfer
        Movement.objects.bulk_create([m for _i, m in batch])
        batch.clear()

    for number in range(transfers):
        into_fund = number < incoming
        amount = rng.randint(1, 50) * 100 if into_fund else rng.randint(1, 30) * 100
        client_id = str(exchange.new_platform_client_id("fund:"))
        debit, credit = (
            (fund.outside_account, fund.account)
            if into_fund
            else (fund.account, fund.outside_account)
        )
        kind = "contribution" if into_fund else rng.choice(["grant", "expense"])
        movement = Movement(
            fund=fund,
            kind=kind,
            status="done",
            category="contributions" if into_fund else rng.choice(CATEGORIES),
            description=f"Movimiento {number}",
            amount=amount,
            payee="" if into_fund else "Proveedor",
            client_id=client_id,
            done_at=timezone.now(),
            occurred_on=today - timedelta(days=rng.randint(0, 730)),
        )
        batch.append(
            (
                exchange.TransferInput(
                    client_id=client_id,
                    debit=str(debit.uuid),
                    credit=str(credit.uuid),
                    unit=unit.code,
                    amount=amount,
                    memo=f"fund {fund.uuid} · {kind}",
                ),
                movement,
            )
        )
        if len(batch) == 1000:
            flush()
    if batch:
        flush()
    # The services add each transfer to the fund's kept monthly totals as they write it;
    # rows inserted in bulk get theirs from one replay of the journal, as the migration
    # that introduced the totals does.
    MonthlyTotal.objects.bulk_create(
        MonthlyTotal(
            fund=fund,
            month=date.fromisoformat(entry.month + "-01"),
            kind=entry.kind.value,
            category=entry.category,
            total=entry.amount,
        )
        for entry in selectors.journal_entries(fund)
    )
    for category in CATEGORIES:
        services.budget_set(
            actor=SYSTEM, fund=fund, category=category, year=today.year, amount=10_000_000
        )
    return fund


def build_cases(fund: Any, count: int) -> Any:
    from django.utils import timezone

    from minga.funds import case_data, sealing
    from minga.funds.models import CaseMember, LegalCase
    from minga.people.models import User

    lawyer = User.objects.create(username="abogada", display_name="Abogada")
    keyring = sealing.configured_keyring()
    month = timezone.localdate().replace(day=1)
    kinds = ["asylum", "deportation", "detention", "labour", "residence", "family"]
    cases = []
    for number in range(count):
        case = LegalCase(
            fund=fund,
            reference=f"C-B{number:07d}",
            country=["MX", "US", "VE", "CO"][number % 4],
            kind=kinds[number % len(kinds)],
            opened_in=month,
        )
        case_data.give_data_key(case, keyring)
        case.sealed = case_data.seal(
            case,
            "case",
            case,
            {"pseudonym": f"Persona {number}", "place": "Tijuana", "summary": "x" * 400},
        )
        cases.append(case)
    LegalCase.objects.bulk_create(cases, batch_size=1000)
    CaseMember.objects.bulk_create(
        [CaseMember(case=c, user=lawyer, role="lawyer") for c in LegalCase.objects.all()],
        batch_size=2000,
    )
    return lawyer


def time_pages(client: Any, path: str, requests: int, expect: str) -> list[float]:
    client.get(path)  # warm the templates
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    assert expect in response.content.decode(), path
    return timings


PAGES = ("fund_page", "case_list_first_page", "case_list_page_100")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, help="keep (or reuse) the built database here")
    parser.add_argument("--only", choices=PAGES, action="append", help="time only these pages")
    args = parser.parse_args()
    if args.data_dir is not None:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        run(args, args.data_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="minga-bench-funds-") as directory:
            run(args, Path(directory))


def run(args: argparse.Namespace, directory: Path) -> None:
    keys_file = directory / "bench-cases-keys"
    built = keys_file.exists()
    configure(directory, keys_file.read_text() if built else None)
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if built:
        from minga.funds.models import CaseMember, Fund

        fund = Fund.objects.get(name="Fondo")
        lawyer = CaseMember.objects.select_related("user").first().user  # type: ignore[union-attr]
        args.transfers = fund.movements.count()
        args.cases = fund.cases.count()
    else:
        started = time.perf_counter()
        fund = build_fund(args.transfers)
        print(f"fund built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        lawyer = build_cases(fund, args.cases)
        keys_file.write_text(os.environ["MINGA_CASES_KEYS"])
    anonymous = Client()
    team = Client()
    team.force_login(lawyer)
    results: dict[str, Any] = {"transfers": args.transfers, "cases": args.cases}
    for name, client, path, expect in (
        ("fund_page", anonymous, fund.get_absolute_url(), "Movimiento"),
        ("case_list_first_page", team, "/funds/cases/", "Persona"),
        ("case_list_page_100", team, "/funds/cases/?page=100", "Persona"),
    ):
        if args.only and name not in args.only:
            continue
        runs = [time_pages(client, path, args.requests, expect) for _ in range(args.runs)]
        results[name] = {
            "p95_ms_runs": [round(percentile(t, 0.95), 1) for t in runs],
            "median_ms_runs": [round(percentile(t, 0.5), 1) for t in runs],
            "load_average_1min": round(os.getloadavg()[0], 1),
        }
        print(name, results[name], file=sys.stderr, flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
