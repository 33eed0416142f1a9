"""SQLite's planner gets the statistics it chooses indexes by: after every migration and
from the stator every few hours (PostgreSQL analyzes by itself)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from minga.common import stator
from minga.common.planner import refresh_planner_statistics
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_stator_refreshes_the_planner_statistics_every_six_hours() -> None:
    [sweep] = [s for s in stator.registered_sweeps() if s.name == "common.planner_statistics"]
    assert sweep.every == timedelta(hours=6)
    assert sweep.run is refresh_planner_statistics


def test_a_refresh_records_the_row_counts_of_the_tables_it_reads() -> None:
    if connection.vendor == "postgresql":
        # Nothing to refresh: the server's autovacuum analyzes tables as they grow.
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            assert cursor.fetchone() == ("on",)
        return
    for number in range(3):
        factories.organization(slug=f"org-{number}")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'registry_organization'")

    refresh_planner_statistics()

    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'registry_organization'")
        counts = {int(stat.split()[0]) for (stat,) in cursor.fetchall()}
    assert counts == {3}
