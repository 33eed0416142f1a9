"""Background work of the library. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .search import reindex_items


@task()
def index_items(item_ids: list[int]) -> int:
    """Bring the search index in line with the database for these items."""
    return reindex_items(item_ids)
