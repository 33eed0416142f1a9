"""The library's search index: what is indexed, how it is kept in step, and the search.

One index (``library``) in the shared machinery (``common.search``) with the library's own
schema: every language tantivy stems, trigrams for languages it cannot stem (Haitian
Creole, Quechua, Aymara, Guaraní …), stored texts for snippets, the facets (kind, country,
language, subject, license, organization) and an access field. The access field holds the
item's *audience* — whether everyone, every signed-in person or fewer may read it — which
the services work out by asking the visibility rule (``library.access.audiences_of``). A
search lets through the audiences the reader belongs to, plus the few restricted items the
visibility rule says the reader may see; so hits, totals, facets and snippets only ever
count what the reader may read, inside the engine, before anything is counted.

A query word that is a label of a subject in any language also matches the items tagged
with that concept (or a narrower one), whatever language they are written in.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from minga.common.search import (
    STEMMED_LANGUAGES,
    IndexSchema,
    SearchDocument,
    analyze,
    get_index,
)
from minga.common.translation import TranslationStage

from .models import Item, ItemTranslation, Subject

INDEX_NAME = "library"
FACETS = ("kind", "country", "language", "subject", "license", "organization")
SCHEMA = IndexSchema(
    languages=STEMMED_LANGUAGES, stored=True, ngram=True, facets=FACETS, access=True
)
# The languages whose stemmers read subject labels (the interface's, and a few more).
LABEL_LANGUAGES = ("es", "en", "pt", "fr", "it", "de")


def _texts(item: Item) -> str:
    parts = [
        item.summary,
        item.body,
        item.goals,
        item.results,
        item.lessons,
        item.conditions,
        item.serves,
        item.climate,
        item.safety,
        item.practice,
        item.season,
    ]
    parts += [ingredient.name for ingredient in item.ingredients.all()]
    parts += [step.text for step in item.steps.all()]
    return "\n".join(part for part in parts if part)


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


def _document(item: Item, ancestors: dict[int, list[str]]) -> SearchDocument:
    language = item.language.split("-")[0].lower()
    texts: dict[str, str] = {language: _texts(item)}
    names = [item.title]
    languages = [language]
    for translation in item.translations.all():
        if translation.stage != TranslationStage.PUBLISHED:
            continue
        tag = translation.language.split("-")[0].lower()
        translated = "\n".join(
            part for part in (translation.title, translation.summary, translation.text) if part
        )
        texts[tag] = f"{texts[tag]}\n{translated}" if tag in texts else translated
        if translation.title:
            names.append(translation.title)
        languages.append(tag)
    subjects = sorted({code for s in item.subjects.all() for code in ancestors.get(s.pk, [])})
    keywords = [
        item.place,
        item.country.name or "" if item.country else "",
        item.community_of_origin,
        " ".join(str(author) for author in item.authors or []),
        " ".join(tag.name for tag in item.tags.all()),
    ]
    return SearchDocument(
        pk=item.pk,
        names=" ".join(names),
        text_by_language=texts,
        keywords=" ".join(keyword for keyword in keywords if keyword),
        facets={
            "kind": [item.kind],
            "country": [str(item.country)] if item.country else [],
            "language": sorted(set(languages)),
            "subject": subjects,
            "license": [item.license],
            "organization": [str(item.organization_id)],
        },
        access=(item.audience,),
        recency=int(item.created_at.timestamp()),
    )


def _for_index(queryset: QuerySet[Item]) -> QuerySet[Item]:
    return queryset.prefetch_related(
        "subjects",
        "tags",
        "ingredients",
        "steps",
        Prefetch(
            "translations",
            queryset=ItemTranslation.objects.filter(stage=TranslationStage.PUBLISHED),
        ),
    )


def item_documents(queryset: QuerySet[Item] | None = None) -> Iterator[SearchDocument]:
    ancestors = _subject_ancestors()
    items = _for_index(queryset if queryset is not None else Item.objects.order_by("pk"))
    for item in items.iterator(chunk_size=2000):
        yield _document(item, ancestors)


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
