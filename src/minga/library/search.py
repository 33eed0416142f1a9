"""The library's search index: what is indexed, how it is kept in step, and the search.

One index (``library``) in the shared machinery (``common.search``) with the library's own
schema: every language tantivy stems, trigrams for languages it cannot stem (Haitian
Creole, Quechua, Aymara, Guaraní …), stored texts for snippets, the facets (kind, country,
language, subject, license, organization) and an access field. The access field holds the
item's *audience* — whether everyone, every signed-in person or fewer may read it — which
the services work out by asking the visibility rule (``library.access.audiences_of``), and a
restricted item's *access group* (items the same people may read, custodians aside). A
search lets through the audiences the reader belongs to, the groups the visibility rule
opens to the reader (asked about one item of each), and the few restricted items the reader
keeps; so hits, totals, facets and snippets only ever count what the reader may read,
inside the engine, before anything is counted.

A query word that is a label of a subject in any language also matches the items tagged
with that concept (or a narrower one), whatever language they are written in.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django_countries import countries

from minga.common.search import (
    STEMMED_LANGUAGES,
    IndexSchema,
    SearchDocument,
    analyze,
    get_index,
)
from minga.common.translation import TranslationStage

from .models import Ingredient, Item, ItemTranslation, Step, Subject
from .types import Audience

INDEX_NAME = "library"
FACETS = ("kind", "country", "language", "subject", "license", "organization")
SCHEMA = IndexSchema(
    languages=STEMMED_LANGUAGES, stored=True, ngram=True, facets=FACETS, access=True, revision=2
)
# The languages whose stemmers read subject labels (the interface's, and a few more).
LABEL_LANGUAGES = ("es", "en", "pt", "fr", "it", "de")


TEXT_FIELDS = (
    "summary",
    "body",
    "goals",
    "results",
    "lessons",
    "conditions",
    "serves",
    "climate",
    "safety",
    "practice",
    "season",
)
ROW_FIELDS = (
    "pk",
    "title",
    "language",
    "kind",
    "license",
    "organization_id",
    "audience",
    "access_group",
    "created_at",
    "place",
    "country",
    "community_of_origin",
    "authors",
    *TEXT_FIELDS,
)
CHUNK = 2000


def _subject_ancestors() -> dict[int, list[str]]:
    """Each subject's code and the codes of the broader concepts above it."""
    subjects = {subject.pk: subject for subject in Subject.objects.all()}
    chains: dict[int, list[str]] = {}
    for pk, subject in subjects.items():
        codes: list[str] = []
        current: Subject | None = subject
        seen: set[int] = set()
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            codes.append(current.code)
            current = subjects.get(current.broader_id) if current.broader_id else None
        chains[pk] = codes
    return chains


@dataclass
class _Related:
    """What an item's document needs from other tables, for a chunk of items at once
    (five queries per chunk instead of Django's per-item prefetch machinery, which cost more
    than the whole index write)."""

    subjects: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    texts: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    translations: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, pks: list[int]) -> _Related:
        related = cls()
        for item_id, subject_id in Item.subjects.through.objects.filter(
            item_id__in=pks
        ).values_list("item_id", "subject_id"):
            related.subjects[item_id].append(subject_id)
        for item_id, name in Item.tags.through.objects.filter(item_id__in=pks).values_list(
            "item_id", "tag__name"
        ):
            related.tags[item_id].append(name)
        for model, column in ((Ingredient, "name"), (Step, "text")):
            for item_id, text in (
                model.objects.filter(item_id__in=pks)
                .order_by("item_id", "position", "id")
                .values_list("item_id", column)
            ):
                related.texts[item_id].append(text)
        for row in (
            ItemTranslation.objects.filter(item_id__in=pks, stage=TranslationStage.PUBLISHED)
            .order_by("item_id", "language")
            .values("item_id", "language", "title", "summary", "text")
        ):
            related.translations[row["item_id"]].append(dict(row))
        return related


def _document(
    row: dict[str, Any],
    related: _Related,
    ancestors: dict[int, list[str]],
    country_names: dict[str, str],
) -> SearchDocument:
    pk = row["pk"]
    language = row["language"].split("-")[0].lower()
    parts = [row[name] for name in TEXT_FIELDS] + related.texts.get(pk, [])
    texts: dict[str, str] = {language: "\n".join(part for part in parts if part)}
    names = [row["title"]]
    languages = [language]
    for translation in related.translations.get(pk, []):
        tag = translation["language"].split("-")[0].lower()
        translated = "\n".join(
            part
            for part in (translation["title"], translation["summary"], translation["text"])
            if part
        )
        texts[tag] = f"{texts[tag]}\n{translated}" if tag in texts else translated
        if translation["title"]:
            names.append(translation["title"])
        languages.append(tag)
    subjects = sorted(
        {code for subject in related.subjects.get(pk, []) for code in ancestors.get(subject, [])}
    )
    country = str(row["country"] or "")
    keywords = [
        row["place"],
        country_names.get(country, ""),
        row["community_of_origin"],
        " ".join(str(author) for author in row["authors"] or []),
        " ".join(related.tags.get(pk, [])),
    ]
    return SearchDocument(
        pk=pk,
        names=" ".join(names),
        text_by_language=texts,
        keywords=" ".join(keyword for keyword in keywords if keyword),
        facets={
            "kind": [row["kind"]],
            "country": [country] if country else [],
            "language": sorted(set(languages)),
            "subject": subjects,
            "license": [row["license"]],
            "organization": [str(row["organization_id"])],
        },
        access=access_tokens(row["audience"], row["access_group"]),
        recency=int(row["created_at"].timestamp()),
    )


def group_token(group: str) -> str:
    return f"group:{group}"


def access_tokens(audience: str, group: str) -> tuple[str, ...]:
    """A document's access tokens: its audience, and a restricted item's access group."""
    if audience == Audience.RESTRICTED and group:
        return (audience, group_token(group))
    return (audience,)


def item_documents(queryset: QuerySet[Item] | None = None) -> Iterator[SearchDocument]:
    ancestors = _subject_ancestors()
    country_names = {country.code: str(country.name) for country in countries}
    items = (queryset if queryset is not None else Item.objects.all()).order_by("pk")
    last = 0
    while True:
        rows = list(items.filter(pk__gt=last).values(*ROW_FIELDS)[:CHUNK])
        if not rows:
            return
        related = _Related.of([row["pk"] for row in rows])
        for row in rows:
            yield _document(row, related, ancestors, country_names)
        last = rows[-1]["pk"]


def reindex_items(item_ids: Iterable[int]) -> int:
    """Bring the index in line with the database for these items (gone ones are removed)."""
    ids = list(item_ids)
    present = list(item_documents(Item.objects.filter(pk__in=ids)))
    gone = set(ids) - {document.pk for document in present}
    get_index(INDEX_NAME).upsert(present, delete_pks=gone)
    return len(present)


def rebuild_item_index(progress: Any = None) -> int:
    documents: Iterable[SearchDocument] = item_documents()
    if progress is not None:
        documents = progress(documents, total=Item.objects.count())
    return get_index(INDEX_NAME).rebuild(documents, threads=2)


# Cross-language search through the subjects' labels --------------------------------------

_CONCEPTS_TTL = 60.0
_concepts: dict[str, Any] = {"at": 0.0, "by_terms": {}}


def _concepts_by_terms() -> dict[str, set[str]]:
    """Stemmed one-word labels (and folded whole labels) → the subject codes they name,
    with the codes of every narrower subject (so a broader concept finds its crops)."""
    now = time.monotonic()
    if now - _concepts["at"] < _CONCEPTS_TTL:
        return _concepts["by_terms"]  # type: ignore[no-any-return]
    subjects = list(Subject.objects.all())
    narrower: dict[int | None, list[Subject]] = {}
    for subject in subjects:
        narrower.setdefault(subject.broader_id, []).append(subject)

    def below(subject: Subject) -> set[str]:
        codes, pending, seen = set(), [subject], set()
        while pending:
            current = pending.pop()
            if current.pk in seen:
                continue
            seen.add(current.pk)
            codes.add(current.code)
            pending.extend(narrower.get(current.pk, []))
        return codes

    by_terms: dict[str, set[str]] = {}
    for subject in subjects:
        codes = below(subject)
        labels = {subject.name, *subject.names.values()}
        for label in labels:
            for language in LABEL_LANGUAGES:
                terms = analyze(label, language)
                if terms:
                    by_terms.setdefault(" ".join(terms), set()).update(codes)
    _concepts.update(at=now, by_terms=by_terms)
    return by_terms


def forget_concepts() -> None:
    """Read the vocabulary again at the next search (after an import or in tests)."""
    _concepts.update(at=0.0, by_terms={})


def concepts_for_word(word: str) -> list[tuple[str, str]]:
    """The subject facet values a query word names in any language: ``[("subject", code)]``."""
    by_terms = _concepts_by_terms()
    codes: set[str] = set()
    for language in LABEL_LANGUAGES:
        terms = analyze(word, language)
        if terms:
            codes |= by_terms.get(" ".join(terms), set())
    return [("subject", code) for code in sorted(codes)]
