"""The organizations' search index: what is indexed and how it is kept in step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from minga.common.search import SearchDocument, get_index

from .models import Organization

INDEX_NAME = "organizations"


def _document(organization: Organization) -> SearchDocument:
    names = " ".join([organization.name, *organization.names.values(), organization.slug])
    text: dict[str, str] = {}
    text.setdefault(organization.description_language[:2], "")
    text[organization.description_language[:2]] += organization.description
    text.setdefault(organization.name_language[:2], "")
    text[organization.name_language[:2]] += " " + organization.name
    for language, name in organization.names.items():
        text[language[:2]] = text.get(language[:2], "") + " " + name
    keywords = " ".join(
        [
            organization.get_kind_display(),
            organization.area,
            organization.country.name or "",
            organization.registry_number,
        ]
    )
    return SearchDocument(pk=organization.pk, names=names, text_by_language=text, keywords=keywords)


def organization_documents(
    queryset: QuerySet[Organization] | None = None,
) -> Iterator[SearchDocument]:
    organizations = queryset if queryset is not None else Organization.objects.all()
    for organization in organizations.iterator(chunk_size=2000):
        yield _document(organization)


def reindex_organizations(organization_ids: Iterable[int]) -> int:
    ids = list(organization_ids)
    present = list(Organization.objects.filter(pk__in=ids))
    gone = set(ids) - {organization.pk for organization in present}
    get_index(INDEX_NAME).upsert((_document(o) for o in present), delete_pks=gone)
    return len(present)


def rebuild_organization_index(progress: Any = None) -> int:
    documents: Iterable[SearchDocument] = organization_documents()
    if progress is not None:
        documents = progress(documents, total=Organization.objects.count())
    return get_index(INDEX_NAME).rebuild(documents)
