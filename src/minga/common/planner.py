"""Statistics for SQLite's query planner.

SQLite chooses among indexes by the statistics ``ANALYZE`` writes, and keeps none until it is
run: without them a page of the calendar with 100,000 events picked an index by organization
and read every past event (hundreds of ms) instead of one month's range (a few ms).
PostgreSQL's autovacuum analyzes by itself; SQLite needs the application to ask. The stator
worker refreshes them every few hours (``analysis_limit`` keeps each pass to a sample, as
SQLite recommends for periodic runs), and every migration does it once.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

ANALYSIS_LIMIT = 1000


def refresh_planner_statistics(using: str = "default") -> None:
    """Analyze the database for the planner (SQLite; nothing to do elsewhere)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


def after_migrate(using: str = "default", **_kwargs: Any) -> None:
    refresh_planner_statistics(using)
