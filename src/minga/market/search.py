"""The listings' search index: what is indexed and how it is kept in step.

A separate index named "listings"; it answers with primary keys only, and the selectors pass
them back through the visibility filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from minga.common.search import LANGUAGES, SearchDocument, get_index

from .models import Listing

INDEX_NAME = "listings"


def _document(listing: Listing) -> SearchDocument:
    # The text goes under the listing's own language, so the right stemmer reads it.
    language = listing.language.split("-")[0].lower()
    # The category is left out on purpose: it has its own filter, and the suggestions score
    # it apart from the text, so words shared only through the category must not count twice.
    keywords = [listing.place, listing.country.name or ""]
    text = f"{listing.title}\n{listing.description}"
    if language in LANGUAGES:
        by_language = {language: text}
    else:
        # The index has fields for its own languages only; text in another language
        # (Quechua, Guaraní …) is still found, folded but unstemmed, among the keywords.
        by_language = {}
        keywords.append(text)
    return SearchDocument(
        pk=listing.pk,
        names=listing.title,
        text_by_language=by_language,
        keywords=" ".join(keywords),
    )


def listing_documents(queryset: QuerySet[Listing] | None = None) -> Iterator[SearchDocument]:
    listings = queryset if queryset is not None else Listing.objects.all()
    for listing in listings.iterator(chunk_size=2000):
        yield _document(listing)


def reindex_listings(listing_ids: Iterable[int]) -> int:
    ids = list(listing_ids)
    present = list(Listing.objects.filter(pk__in=ids))
    gone = set(ids) - {listing.pk for listing in present}
    get_index(INDEX_NAME).upsert((_document(listing) for listing in present), delete_pks=gone)
    return len(present)


def rebuild_listing_index(progress: Any = None) -> int:
    documents: Iterable[SearchDocument] = listing_documents()
    if progress is not None:
        documents = progress(documents, total=Listing.objects.count())
    return get_index(INDEX_NAME).rebuild(documents)


def search_listing_ids(text: str, limit: int = 1000) -> list[int]:
    """Keys of the listings matching every word, best first; callers filter visibility."""
    return get_index(INDEX_NAME).search(text, limit=limit)
