"""Background work of the registry. Every task is safe to run twice."""

from __future__ import annotations

from django_tasks import task

from .search import organization_documents, reindex_organizations


@task()
def index_organizations(organization_ids: list[int]) -> int:
    """Bring the search index in line with the database for these organizations."""
    return reindex_organizations(organization_ids)


__all__ = ["index_organizations", "organization_documents"]
