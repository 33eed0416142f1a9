"""The embedded full-text index (tantivy), one directory per kind of document.

Each language has its own stemmed field, so "semillas" finds "semilla" in Spanish and
"sementes" finds "semente" in Portuguese; names are also indexed folded but unstemmed, and
searched by prefix, for type-ahead. The index only ever answers with primary keys: callers
must pass them back through their visibility filter, so restricted content never leaks
through search.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar, overload

import tantivy
from django.conf import settings
from django.db import models

M = TypeVar("M", bound=models.Model)

# tantivy has no Haitian Creole stemmer; its words are folded and lowercased only.
STEMMERS = {"es": "spanish", "en": "english", "pt": "portuguese", "fr": "french"}
LANGUAGES = ("es", "en", "pt", "fr", "ht")
WORD = re.compile(r"\w+", re.UNICODE)
WRITER_HEAP_BYTES = 64_000_000


@dataclass(frozen=True)
class SearchDocument:
    pk: int
    names: str
    text_by_language: dict[str, str] = field(default_factory=dict)
    keywords: str = ""


def _analyzer(language: str | None) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if language in STEMMERS:
        builder = builder.filter(tantivy.Filter.stemmer(STEMMERS[language]))
    return builder.build()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pk", stored=True, indexed=True, fast=True)
    builder.add_text_field("names", stored=False, tokenizer_name="minga_folded")
    builder.add_text_field("keywords", stored=False, tokenizer_name="minga_folded")
    for language in LANGUAGES:
        builder.add_text_field(f"text_{language}", stored=False, tokenizer_name=f"minga_{language}")
    return builder.build()


class SearchIndex:
    """One index on disk. Readers are cheap; one writer at a time per process."""

    _lock = threading.Lock()

    def __init__(self, name: str, directory: Path | None = None) -> None:
        self.name = name
        self.directory = directory or Path(settings.SEARCH_INDEX_DIR) / name
        self._index: tantivy.Index | None = None

    def _open(self) -> tantivy.Index:
        if self._index is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(_schema(), path=str(self.directory))
            index.register_tokenizer("minga_folded", _analyzer(None))
            for language in LANGUAGES:
                index.register_tokenizer(f"minga_{language}", _analyzer(language))
            self._index = index
        return self._index

    def _to_tantivy(self, document: SearchDocument) -> tantivy.Document:
        values: dict[str, object] = {
            "pk": document.pk,
            "names": document.names,
            "keywords": document.keywords,
        }
        for language, text in document.text_by_language.items():
            if language in LANGUAGES:
                values[f"text_{language}"] = text
        return tantivy.Document(**values)

    def upsert(self, documents: Iterable[SearchDocument], delete_pks: Iterable[int] = ()) -> None:
        with self._lock:
            index = self._open()
            writer = index.writer(WRITER_HEAP_BYTES, 1)
            for pk in delete_pks:
                writer.delete_documents_by_term("pk", pk)
            for document in documents:
                writer.delete_documents_by_term("pk", document.pk)
                writer.add_document(self._to_tantivy(document))
            writer.commit()
            writer.wait_merging_threads()
            index.reload()

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        with self._lock:
            self._index = None
            shutil.rmtree(self.directory, ignore_errors=True)
            index = self._open()
            writer = index.writer(WRITER_HEAP_BYTES, 1)
            count = 0
            for document in documents:
                writer.add_document(self._to_tantivy(document))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
            index.reload()
            return count

    def search(self, text: str, limit: int = 1000) -> list[int]:
        """Primary keys of the documents matching every word, best first.

        Only words reach the query parser, so no user input is read as query syntax.
        """
        # Lowercased, so that OR, AND and NOT are words too, never operators.
        words = [word.lower() for word in WORD.findall(text)[:12]]
        if not words:
            return []
        index = self._open()
        index.reload()
        fields = ["names", "keywords"] + [f"text_{language}" for language in LANGUAGES]
        query = index.parse_query(
            " ".join(words),
            fields,
            field_boosts={"names": 3.0},
            fuzzy_fields={"names": (True, 0, True)},
            conjunction_by_default=True,
        )
        searcher = index.searcher()
        hits = searcher.search(query, limit).hits
        return [int(searcher.doc(address)["pk"][0]) for _score, address in hits]


_indexes: dict[str, SearchIndex] = {}


def get_index(name: str) -> SearchIndex:
    directory = Path(settings.SEARCH_INDEX_DIR) / name
    index = _indexes.get(name)
    if index is None or index.directory != directory:
        index = _indexes[name] = SearchIndex(name, directory)
    return index


class RankedResults(Sequence[M], Generic[M]):
    """Search results in rank order, loaded a page at a time.

    The index ranks keys; the database says which of them the reader may see and which
    pass the filters (one query for keys only); only the page shown is then loaded.
    Works with Django's Paginator and django-ninja's pagination (both use len and slices).
    """

    def __init__(self, queryset: models.QuerySet[M], ranked: list[int]) -> None:
        # A long list of keys costs the database more than reading the filtered keys whole.
        candidates = queryset.filter(pk__in=ranked) if len(ranked) <= 1000 else queryset
        allowed = set(candidates.order_by().values_list("pk", flat=True))
        self.queryset = queryset
        self.ids = [pk for pk in ranked if pk in allowed]

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ids = self.ids[index]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]
