"""The report of accessions at risk: its kept counts equal a recount after any sequence of
writes, its pages walk the whole list by key (forward and back, no offset), and its
queries read the index in order on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from minga.common.permissions import SYSTEM
from minga.seeds import selectors, services, tally
from minga.seeds.models import Accession, RiskTally
from tests import factories
from tests.seeds import factories as seeds

_communes = itertools.count(1)


def _recounted(bank: Any, today: Any) -> tally.RiskCounts:
    """The counts from the accessions themselves (what the kept tallies must equal)."""
    return tally.RiskCounts(
        total=selectors.accessions_at_risk(SYSTEM, bank, today=today).count(),
        viability=selectors.accessions_at_risk(
            SYSTEM, bank, reason="viability", today=today
        ).count(),
        quantity=selectors.accessions_at_risk(SYSTEM, bank, reason="quantity", today=today).count(),
        duplicate=selectors.accessions_at_risk(
            SYSTEM, bank, reason="duplicate", today=today
        ).count(),
    )


def _kept_rows(bank: Any) -> set[tuple[Any, ...]]:
    return set(
        RiskTally.objects.filter(bank=bank)
        .exclude(accessions=0)
        .values_list("regenerate_on", "low_stock", "no_duplicate", "accessions")
    )


class TallyMachine(RuleBasedStateMachine):
    """Accessions made one by one or imported, lots received, seeds sown in germination
    tests (which date regenerations), the bank's minimum and regeneration share changed."""

    def __init__(self) -> None:
        super().__init__()
        number = next(_communes)
        commune = factories.organization(name=f"Comuna {number}", slug=f"tally-{number}")
        self.bank = seeds.bank(commune)
        self.accessions: list[Accession] = []
        self.lots: list[Any] = []
        self.imported = 0

    @rule(duplicate=st.booleans())
    def register(self, duplicate: bool) -> None:
        mcpd = {"DUPLSITE": "PER001"} if duplicate else {}
        self.accessions.append(seeds.accession(self.bank, **mcpd))

    @rule(rows=st.lists(st.booleans(), min_size=1, max_size=4))
    def import_file(self, rows: list[bool]) -> None:
        lines = []
        for duplicate in rows:
            self.imported += 1
            lines.append(
                {
                    "INSTCODE": self.bank.instcode,
                    "ACCENUMB": f"IMP-{self.imported}",
                    "GENUS": "Zea",
                    "SPECIES": "mays",
                    "DUPLSITE": "BOL002" if duplicate else "",
                }
            )
        services.accessions_import(actor=SYSTEM, bank=self.bank, rows=enumerate(lines, start=2))

    @precondition(lambda self: self.accessions)
    @rule(index=st.integers(0, 50), count=st.integers(0, 900))
    def receive(self, index: int, count: int) -> None:
        accession = self.accessions[index % len(self.accessions)]
        self.lots.append(seeds.lot(accession, seeds=count))

    @precondition(lambda self: self.lots)
    @rule(index=st.integers(0, 50), germinated=st.integers(0, 50), days_ago=st.integers(0, 900))
    def test_germination(self, index: int, germinated: int, days_ago: int) -> None:
        lot = self.lots[index % len(self.lots)]
        lot.refresh_from_db(fields=["seeds"])
        if lot.seeds >= 50:  # the test sows 50 seeds taken from the lot
            seeds.germination(lot, sown=50, germinated=germinated, days_ago=days_ago)

    @rule(per_sowing=st.integers(1, 400), sowings=st.integers(1, 4), share=st.integers(50, 95))
    def change_settings(self, per_sowing: int, sowings: int, share: int) -> None:
        data = services.BankData(
            name=self.bank.name,
            instcode=self.bank.instcode,
            seeds_per_sowing=per_sowing,
            minimum_sowings=sowings,
            regeneration_fraction=share,
        )
        self.bank = services.bank_update(actor=SYSTEM, bank=self.bank, data=data)

    @invariant()
    def kept_counts_equal_a_recount(self) -> None:
        today = timezone.localdate()
        for day in (today - timedelta(days=400), today, today + timedelta(days=4000)):
            assert tally.risk_counts(self.bank, day) == _recounted(self.bank, day)
        kept = _kept_rows(self.bank)
        tally.recount(self.bank.pk)
        assert _kept_rows(self.bank) == kept


@pytest.mark.django_db
def test_kept_counts_equal_a_recount_after_random_writes() -> None:
    run_state_machine_as_test(
        TallyMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def _at_risk_bank(bank: Any) -> list[Accession]:
    """Accessions with and without a regeneration date, few and many seeds, with and
    without a duplicate, in the report's order."""
    made = []
    for index in range(23):
        accession = seeds.accession(bank, **({"DUPLSITE": "PER001"} if index % 3 else {}))
        lot = seeds.lot(accession, seeds=250 + 50 * (index % 5) if index % 4 else 5000)
        if index % 2:
            seeds.germination(lot, germinated=90, days_ago=500)
            seeds.germination(lot, germinated=20 + index, days_ago=index)
        made.append(accession)
    return made


def _walk(client: Client, url: str, key: str, start: str) -> list[str]:
    """Follow the page's own links (``rel=next`` or ``rel=prev``) from ``start``: the
    accession numbers in the order read."""
    numbers: list[str] = []
    address: str | None = start
    while address:
        page = client.get(url + address).content.decode()
        section = page.split('class="at-risk"', 1)[1].split("</ul>\n", 1)[0]
        numbers.extend(re.findall(r'">(A-\d+) · ', section))
        found = re.search(rf'href="(\?[^"]+)" rel="{key}"', page)
        address = found.group(1).replace("&amp;", "&") if found else None
        assert len(numbers) < 200
    return numbers


def test_the_pages_walk_the_whole_list_forward_and_back(bank: Any, keeper: Any) -> None:
    """With 5 a page, following "Next" from the first page and "Previous" from the last
    reads every accession at risk once, in the report's order, for every reason."""
    _at_risk_bank(bank)
    client = Client()
    client.force_login(keeper)
    url = f"/seeds/banks/{bank.uuid}/at-risk/"
    for reason in ["", *selectors.RISK_REASONS]:
        expected = [a.accenumb for a in selectors.accessions_at_risk(keeper, bank, reason=reason)]
        assert expected, reason
        page = selectors.at_risk_page(keeper, bank, reason=reason, size=5)
        assert [a.accenumb for a in page.rows] == expected[:5]
        forward: list[str] = []
        after = ""
        while True:
            page = selectors.at_risk_page(keeper, bank, reason=reason, after=after, size=5)
            forward.extend(a.accenumb for a in page.rows)
            if page.after is None:
                break
            after = page.after
        assert forward == expected
        backward: list[str] = []
        page = selectors.at_risk_page(keeper, bank, reason=reason, last=True, size=5)
        while True:
            backward[:0] = [a.accenumb for a in page.rows]
            if page.before is None:
                break
            page = selectors.at_risk_page(keeper, bank, reason=reason, before=page.before, size=5)
        assert backward == expected
        # The page's own links, without JavaScript (30 a page: one or two pages here).
        assert _walk(client, url, "next", f"?reason={reason}") == expected
        assert _walk(client, url, "prev", f"?reason={reason}&last=1") == expected[-30:]
    counts = tally.risk_counts(bank, timezone.localdate())
    text = client.get(url).content.decode()
    assert f"({counts.total})" in text and f"({counts.quantity})" in text
    assert client.get(url + "?after=nonsense~x").status_code == 200  # a bad cursor: page 1


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # A test's table is small: ask whether the index can give the rows in order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(str(row[0]) for row in cursor.fetchall())


def _large_bank_statistics() -> None:
    """SQLite plans by its statistics: give it those of one bank of 200,000 accessions (a
    test's few rows are cheaper to scan than to seek), as ANALYZE would write them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'seeds_accession'")
        stats = [("seeds_accession", None, "200000")]
        cursor.execute("PRAGMA index_list('seeds_accession')")
        for index in [row[1] for row in cursor.fetchall()]:
            cursor.execute(f"PRAGMA index_info('{index}')")
            columns = [row[2] for row in cursor.fetchall()]
            per = ["200000" if columns[0] == "bank_id" else "1"] + ["1"] * (len(columns) - 1)
            if index == "accession_risk_order":
                per = ["200000", "20", "2", "1", "1"]
            stats.append(("seeds_accession", index, " ".join(["200000", *per])))
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", stats)
        cursor.execute("ANALYZE sqlite_schema")  # reload the statistics


def test_each_page_reads_the_index_in_order(bank: Any, keeper: Any) -> None:
    """The queries of the first page, of the page after it and of the last page (as the
    selector sends them, for the keeper): each plan reads the ``accession_risk_order``
    index and sorts nothing (no temporary B-tree on SQLite, no Sort node on PostgreSQL);
    the counts read the bank's tally rows by an index."""
    _at_risk_bank(bank)
    sql, params = RiskTally.objects.filter(bank=bank).query.sql_with_params()
    assert "index" in _plan(sql, params).lower()
    if connection.vendor == "sqlite":
        _large_bank_statistics()
    with CaptureQueriesContext(connection) as captured:
        first = selectors.at_risk_page(keeper, bank, size=5)
        selectors.at_risk_page(keeper, bank, after=first.after or "", size=5)
        last = selectors.at_risk_page(keeper, bank, last=True, size=5)
        selectors.at_risk_page(keeper, bank, before=last.before or "", size=5)
    pages = [
        query["sql"]
        for query in captured.captured_queries
        if 'FROM "seeds_accession"' in query["sql"] and "LIMIT" in query["sql"]
    ]
    assert len(pages) >= 4
    for sql in pages:
        plan = _plan(sql, None)
        assert "accession_risk_order" in plan, plan
        assert "TEMP B-TREE" not in plan and "Sort" not in plan.replace("Sort Key", ""), plan
