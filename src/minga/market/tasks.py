"""Background work of the marketplace. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .search import reindex_listings


@task()
def index_listings(listing_ids: list[int]) -> int:
    """Bring the search index in line with the database for these listings."""
    return reindex_listings(listing_ids)
