"""The embedded full-text index (tantivy), one directory per kind of document.

Each language has its own stemmed field, so "semillas" finds "semilla" in Spanish and
"sementes" finds "semente" in Portuguese; names are also indexed folded but unstemmed, and
searched by prefix, for type-ahead. The index only ever answers with primary keys: callers
must pass them back through their visibility filter, so restricted content never leaks
through search.

An index may declare more in its :class:`IndexSchema` (the library's does): every language
tantivy has a stemmer for; for the others (Haitian Creole, Quechua, Aymara, Guaraní …) the
words folded and cut into trigrams, so that an agglutinated or differently spelt word is
still found; stored texts for highlighted snippets; facet fields counted inside the engine;
and an ``access`` field of tokens, so that hits, counts, facets and snippets can be limited
to what a reader may see *before* anything is counted (:meth:`SearchIndex.find` with an
:class:`AccessFilter`). Apps register their indexes (:func:`register_index`) so that
``minga search_index`` / ``minga reindex`` rebuild them all.
"""

from __future__ import annotations

import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import tantivy
from django.conf import settings
from django.db import models

M = TypeVar("M", bound=models.Model)

# Every stemmer tantivy has, by language tag. Haitian Creole, Quechua, Aymara, Guaraní …
# have none: their words are folded and lowercased (and, where an index asks, cut into
# trigrams).
STEMMERS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
LANGUAGES = ("es", "en", "pt", "fr", "ht")
STEMMED_LANGUAGES = tuple(sorted(STEMMERS))
WORD = re.compile(r"\w+", re.UNICODE)
WRITER_HEAP_BYTES = 64_000_000
NGRAM = 3
FOLDED_FIELD = "text_folded"
NGRAM_FIELD = "text_ngram"


@dataclass(frozen=True)
class SearchDocument:
    pk: int
    names: str
    text_by_language: dict[str, str] = field(default_factory=dict)
    keywords: str = ""
    # Only for indexes whose schema declares them:
    facets: dict[str, list[str]] = field(default_factory=dict)
    access: tuple[str, ...] = ()
    recency: int = 0


@dataclass(frozen=True)
class IndexSchema:
    """What an index holds. The default is the original index (names, keywords, and the
    interface languages' texts); an index asks for more by naming it.

    - ``languages``: languages with their own (stemmed where tantivy can) text field;
      text in any other language goes to one folded field (and trigrams with ``ngram``).
    - ``stored``: texts are kept in the index, for highlighted snippets.
    - ``facets``: fields whose values are counted inside the engine (kind, country …).
    - ``access``: documents carry tokens saying who may read them (see AccessFilter).
    - ``revision``: raised when what the documents hold changes without the fields
      changing (a new kind of access token): tantivy refuses to open an index whose schema
      differs, so an index built before reads as unavailable until ``minga reindex``.
    """

    languages: tuple[str, ...] = LANGUAGES
    stored: bool = False
    ngram: bool = False
    facets: tuple[str, ...] = ()
    access: bool = False
    revision: int = 1

    def text_field(self, language: str) -> str:
        tag = language.split("-")[0].lower()
        if tag in self.languages:
            return f"text_{tag}"
        return FOLDED_FIELD if self.ngram else ""

    @property
    def text_fields(self) -> list[str]:
        fields = [f"text_{language}" for language in self.languages]
        return [*fields, FOLDED_FIELD] if self.ngram else fields


DEFAULT_SCHEMA = IndexSchema()


@dataclass(frozen=True)
class AccessFilter:
    """Only documents carrying one of ``tokens`` in their access field, or whose key is in
    ``keys`` (the few a reader may see beyond the tokens, worked out by the caller from its
    visibility rule)."""

    tokens: tuple[str, ...]
    keys: frozenset[int] = frozenset()

    def admits(self, tokens: Iterable[str], pk: int) -> bool:
        """Whether a document with these access tokens and key passes (as in the engine)."""
        return pk in self.keys or not set(self.tokens).isdisjoint(tokens)


@dataclass(frozen=True)
class Hit:
    pk: int
    score: float
    snippet: str = ""  # HTML: the text escaped, matched words in <b>


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]


class IndexUnavailableError(Exception):
    """The index is missing (never built, being rebuilt) or was built with another schema."""


def fold(text: str) -> str:
    """Lowercase without accents: what the folded fields hold."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def trigrams(word: str) -> list[str]:
    """The overlapping three-letter pieces of a folded word (short words stay whole)."""
    if len(word) <= NGRAM:
        return [word]
    return [word[start : start + NGRAM] for start in range(len(word) - NGRAM + 1)]


def _ngram_text(text: str) -> str:
    return " ".join(gram for word in WORD.findall(fold(text)) for gram in trigrams(word))


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


def analyze(text: str, language: str | None = None) -> list[str]:
    """The terms the index makes of a text in a language (folded, stemmed when it can)."""
    tag = (language or "").split("-")[0].lower()
    return list(_analyzer(tag if tag in STEMMERS else None).analyze(text))


def _schema(spec: IndexSchema = DEFAULT_SCHEMA) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pk", stored=True, indexed=True, fast=True)
    builder.add_text_field("names", stored=False, tokenizer_name="minga_folded")
    builder.add_text_field("keywords", stored=False, tokenizer_name="minga_folded")
    for language in spec.languages:
        builder.add_text_field(
            f"text_{language}", stored=spec.stored, tokenizer_name=f"minga_{language}"
        )
    if spec.ngram:
        builder.add_text_field(FOLDED_FIELD, stored=spec.stored, tokenizer_name="minga_folded")
        builder.add_text_field(
            NGRAM_FIELD, stored=False, tokenizer_name="whitespace", index_option="freq"
        )
    for name in spec.facets:
        builder.add_text_field(f"facet_{name}", stored=False, fast=True, tokenizer_name="raw")
    if spec.access:
        builder.add_text_field("access", stored=False, tokenizer_name="raw", index_option="basic")
        builder.add_integer_field("recency", stored=False, indexed=False, fast=True)
    if spec.revision > 1:
        builder.add_integer_field(f"revision_{spec.revision}", stored=False, indexed=False)
    return builder.build()


class SearchIndex:
    """One index on disk. Readers are cheap; one writer at a time per process."""

    _lock = threading.Lock()

    def __init__(
        self, name: str, directory: Path | None = None, schema: IndexSchema = DEFAULT_SCHEMA
    ) -> None:
        self.name = name
        self.directory = directory or Path(settings.SEARCH_INDEX_DIR) / name
        self.spec = schema
        self._index: tantivy.Index | None = None

    def _register_tokenizers(self, index: tantivy.Index) -> None:
        index.register_tokenizer("minga_folded", _analyzer(None))
        for language in self.spec.languages:
            index.register_tokenizer(f"minga_{language}", _analyzer(language))

    def _open(self) -> tantivy.Index:
        if self._index is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(_schema(self.spec), path=str(self.directory))
            self._register_tokenizers(index)
            self._index = index
        return self._index

    def exists(self) -> bool:
        return (self.directory / "meta.json").is_file()

    def readable(self) -> bool:
        """Whether the index exists and was built with this schema."""
        try:
            self._open_existing()
        except IndexUnavailableError:
            return False
        return True

    def _open_existing(self) -> tantivy.Index:
        """The index for reading; IndexUnavailableError when it was never built or its schema
        is not this one (then ``minga reindex`` builds it again)."""
        if self._index is None and not self.exists():
            raise IndexUnavailableError(self.name)
        try:
            index = self._open()
            index.reload()
        except ValueError as error:
            self._index = None
            raise IndexUnavailableError(self.name) from error
        return index

    def _to_tantivy(self, document: SearchDocument) -> tantivy.Document:
        values: dict[str, object] = {
            "pk": document.pk,
            "names": document.names,
            "keywords": document.keywords,
        }
        others: list[str] = []
        for language, text in document.text_by_language.items():
            if self.spec.ngram:
                name = self.spec.text_field(language)
                if name == FOLDED_FIELD:
                    others.append(text)
                    continue
            else:
                name = f"text_{language}" if language in self.spec.languages else ""
            if name:
                values[name] = f"{values[name]}\n{text}" if name in values else text
        if others:
            values[FOLDED_FIELD] = "\n".join(others)
            values[NGRAM_FIELD] = _ngram_text(" ".join(others))
        for name in self.spec.facets:
            facet_values = [value for value in document.facets.get(name, []) if value]
            if facet_values:
                values[f"facet_{name}"] = facet_values
        if self.spec.access:
            values["access"] = list(document.access)
            values["recency"] = document.recency
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

    def rebuild(self, documents: Iterable[SearchDocument], *, threads: int = 1) -> int:
        """Build the index anew beside the current one, then put it in its place, so that
        readers keep the old index until the new one is complete."""
        with self._lock:
            building = self.directory.with_name(self.directory.name + ".building")
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir(parents=True)
            index = tantivy.Index(_schema(self.spec), path=str(building))
            self._register_tokenizers(index)
            writer = index.writer(WRITER_HEAP_BYTES * max(1, threads), threads)
            count = 0
            for document in documents:
                writer.add_document(self._to_tantivy(document))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
            del writer, index
            old = self.directory.with_name(self.directory.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.directory.exists():
                self.directory.rename(old)
            building.rename(self.directory)
            shutil.rmtree(old, ignore_errors=True)
            self._index = None
            self._open().reload()
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
        fields = ["names", "keywords"] + [f"text_{language}" for language in self.spec.languages]
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

    # The richer search of indexes with a schema of their own -------------------------------

    def _word_query(
        self, index: tantivy.Index, schema: tantivy.Schema, word: str, extra: list[tuple[str, str]]
    ) -> tantivy.Query:
        fields = ["names", "keywords", *self.spec.text_fields]
        alternatives = [
            (
                tantivy.Occur.Should,
                index.parse_query(
                    word,
                    fields,
                    field_boosts={"names": 3.0},
                    fuzzy_fields={"names": (True, 0, True)},
                ),
            )
        ]
        if self.spec.ngram:
            grams = trigrams(fold(word))
            pieces = [
                (tantivy.Occur.Must, tantivy.Query.term_query(schema, NGRAM_FIELD, gram))
                for gram in grams
            ]
            # Trigrams find a word inside a longer one; they weigh less than a real match.
            alternatives.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(tantivy.Query.boolean_query(pieces), 0.5),
                )
            )
        for field_name, value in extra:
            alternatives.append(
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(
                        tantivy.Query.term_query(schema, f"facet_{field_name}", value), 1.5
                    ),
                )
            )
        return tantivy.Query.boolean_query(alternatives)

    def find(
        self,
        text: str,
        *,
        access: AccessFilter | None,
        filters: Mapping[str, Sequence[str]] | None = None,
        offset: int = 0,
        limit: int = 20,
        facets: Mapping[str, int] | None = None,
        snippets: bool = False,
        expand: Callable[[str], list[tuple[str, str]]] | None = None,
    ) -> SearchPage:
        """A page of hits for every word of ``text`` (all documents when it has none),
        with facet counts and snippets, limited to what ``access`` lets through.

        Each word must match: in a name (or a name's beginning), a keyword, a text in any
        language (stemmed by that language), the trigrams of texts without a stemmer, or a
        facet value ``expand(word)`` gives (a concept whose label in any language is that
        word). ``filters`` keep documents with one of the given values of each facet. The
        access filter is part of the query, so totals and facets only ever count what it
        lets through. Raises IndexUnavailableError when the index is missing.
        """
        index = self._open_existing()
        schema = index.schema
        words = [word.lower() for word in WORD.findall(text)[:12]]
        clauses: list[tuple[Any, tantivy.Query]] = [
            (
                tantivy.Occur.Must,
                self._word_query(index, schema, word, expand(word) if expand else []),
            )
            for word in words
        ]
        for name, values in (filters or {}).items():
            chosen = [value for value in values if value]
            if chosen:
                clauses.append(
                    (
                        tantivy.Occur.Must,
                        tantivy.Query.term_set_query(schema, f"facet_{name}", chosen),
                    )
                )
        if access is not None:
            allowed = [
                (tantivy.Occur.Should, tantivy.Query.term_query(schema, "access", token))
                for token in access.tokens
            ]
            if access.keys:
                allowed.append(
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.term_set_query(schema, "pk", sorted(access.keys)),
                    )
                )
            clauses.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.boolean_query(allowed)
                    if allowed
                    else tantivy.Query.empty_query(),
                )
            )
        if not clauses:
            query = tantivy.Query.all_query()
        elif not words:
            # Browsing: every document the filters keep, newest first.
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), *clauses]
            )
        else:
            query = tantivy.Query.boolean_query(clauses)
        searcher = index.searcher()
        if words or not self.spec.access:
            result = searcher.search(query, limit, count=True, offset=offset)
        else:
            result = searcher.search(
                query, limit, count=True, offset=offset, order_by_field="recency"
            )
        documents = [(score, searcher.doc(address)) for score, address in result.hits]
        generators: dict[str, Any] = {}
        hits = [
            Hit(
                pk=int(document["pk"][0]),
                score=float(score) if words else 0.0,
                snippet=self._snippet(searcher, schema, query, document, generators)
                if snippets and words
                else "",
            )
            for score, document in documents
        ]
        counted: dict[str, list[tuple[str, int]]] = {}
        if facets:
            aggregation = {
                name: {"terms": {"field": f"facet_{name}", "size": size}}
                for name, size in facets.items()
            }
            answer = searcher.aggregate(query, aggregation)
            for name in facets:
                buckets = answer.get(name, {}).get("buckets", [])
                counted[name] = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
        total = getattr(result, "count", 0)  # present when count=True; the stub omits it
        return SearchPage(total=int(total or 0), hits=hits, facets=counted)

    def _snippet(
        self,
        searcher: Any,
        schema: tantivy.Schema,
        query: tantivy.Query,
        document: Any,
        generators: dict[str, Any],
    ) -> str:
        """The best fragment of the document's texts with the matched words in <b>."""
        if not self.spec.stored:
            return ""
        fallback = ""
        for name in self.spec.text_fields:
            if not document.get_all(name):
                continue
            generator = generators.get(name)
            if generator is None:
                generator = tantivy.SnippetGenerator.create(searcher, query, schema, name)
                generator.set_max_num_chars(220)
                generators[name] = generator
            snippet = generator.snippet_from_doc(document)
            html = snippet.to_html()
            if snippet.highlighted():
                return str(html)
            fallback = fallback or str(html)
        return fallback


_indexes: dict[str, SearchIndex] = {}


_schemas: dict[str, IndexSchema] = {}
_rebuilders: dict[str, Callable[..., int]] = {}


def register_index(name: str, schema: IndexSchema, rebuild: Callable[..., int]) -> None:
    """Declare an app's index: its schema, and ``rebuild(progress=None) -> count``, which
    ``minga search_index`` / ``minga reindex`` call. ``progress``, when given, wraps the
    documents' iterable (a progress bar)."""
    _schemas[name] = schema
    _rebuilders[name] = rebuild


def registered_indexes() -> dict[str, Callable[..., int]]:
    return dict(sorted(_rebuilders.items()))


def get_index(name: str) -> SearchIndex:
    directory = Path(settings.SEARCH_INDEX_DIR) / name
    index = _indexes.get(name)
    if index is None or index.directory != directory:
        index = _indexes[name] = SearchIndex(name, directory, _schemas.get(name, DEFAULT_SCHEMA))
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
