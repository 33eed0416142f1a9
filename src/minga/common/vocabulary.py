"""Controlled vocabularies: terms with a code and a label in each language, importable as SKOS.

Regions and marketplace categories today, crops, library subjects and course topics next,
are all :class:`VocabularyTerm` models. Each declares its ``vocabulary`` name, and
``minga import vocabulary FILE --vocabulary NAME`` reads a SKOS file (RDF/XML or Turtle)
into it (:func:`vocabulary_import`): every ``skos:Concept`` becomes a term, its
``skos:notation`` (or the last part of its URI) the code, its ``skos:prefLabel`` in each
language the labels, ``skos:broader`` the parent term. Importing is all or nothing, and
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError
from .permissions import guarded


def reading_language() -> str:
    """The interface language of the request being served, without its region."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def translated(names: dict[str, str], fallback: str) -> str:
    """The name in the active language, else the fallback (the original name)."""
    return names.get(reading_language()) or fallback


class VocabularyTerm(models.Model):
    """A term of a controlled vocabulary, with its labels in several languages."""

    code = models.SlugField(gettext_lazy("code"), max_length=40, unique=True)
    name = models.CharField(gettext_lazy("name"), max_length=100)
    names = models.JSONField(gettext_lazy("names by language"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(gettext_lazy("position"), default=0)
    uri = models.CharField(gettext_lazy("concept URI"), max_length=300, blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("broader term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
    )

    vocabulary: ClassVar[str] = ""

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return translated(self.names, self.name)


def vocabularies() -> dict[str, type[VocabularyTerm]]:
    """Every vocabulary of the installed apps, by name."""
    return {
        model.vocabulary: model
        for model in apps.get_models()
        if issubclass(model, VocabularyTerm) and model.vocabulary
    }


@dataclass(frozen=True)
class Concept:
    uri: str
    code: str
    labels: dict[str, str]
    broader: str | None
    position: int


@dataclass(frozen=True)
class VocabularyImport:
    created: int
    updated: int


_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")


def _fail(message: str, concept: str, field: str) -> DomainError:
    return DomainError(
        _("%(concept)s, %(field)s: %(message)s")
        % {"concept": concept, "field": field, "message": message},
        field,
        code="invalid_vocabulary",
    )


def read_skos(data: bytes, *, file_format: str) -> list[Concept]:
    """The concepts of a SKOS file, in file order of their URIs; errors name concept and field."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    graph = rdflib.Graph()
    try:
        graph.parse(data=data, format=file_format)
    except Exception as error:
        raise DomainError(
            _("The file is not valid %(format)s: %(error)s")
            % {"format": file_format, "error": str(error).strip()[:300]},
            "file",
            code="invalid_vocabulary_file",
        ) from error
    uris = sorted({str(subject) for subject in graph.subjects(RDF.type, SKOS.Concept)})
    if not uris:
        raise DomainError(_("The file holds no skos:Concept."), "file", code="empty_vocabulary")
    concepts = []
    for position, uri in enumerate(uris):
        node = rdflib.URIRef(uri)
        labels: dict[str, str] = {}
        for label in graph.objects(node, SKOS.prefLabel):
            language = (getattr(label, "language", None) or "").split("-")[0].lower()
            text = str(label).strip()
            if not text:
                raise _fail(_("an empty label"), uri, "skos:prefLabel")
            if language in labels and labels[language] != text:
                raise _fail(
                    _("two labels in the language “%(language)s”") % {"language": language},
                    uri,
                    "skos:prefLabel",
                )
            labels[language] = text[:100]
        if not labels:
            raise _fail(_("no label"), uri, "skos:prefLabel")
        notations = [str(value).strip() for value in graph.objects(node, SKOS.notation)]
        code = notations[0] if notations else slugify(re.split(r"[/#]", uri.rstrip("/#"))[-1])
        if not code or not _CODE.match(code) or len(code) > 40:
            raise _fail(
                _("the code “%(code)s” is not letters, digits and dashes of at most 40")
                % {"code": code},
                uri,
                "skos:notation",
            )
        broader = [str(value) for value in graph.objects(node, SKOS.broader)]
        if len(broader) > 1:
            raise _fail(_("more than one broader concept"), uri, "skos:broader")
        concepts.append(Concept(uri, code, labels, broader[0] if broader else None, position))
    parents = {concept.uri: concept.broader for concept in concepts}
    for concept in concepts:
        if concept.broader is not None and concept.broader not in parents:
            raise _fail(_("a broader concept not in the file"), concept.uri, "skos:broader")
        seen, current = {concept.uri}, concept.broader
        while current is not None:
            if current in seen:
                raise _fail(
                    _("broader concepts that go round in a circle"), concept.uri, "skos:broader"
                )
            seen.add(current)
            current = parents[current]
    return concepts


def _default_label(labels: dict[str, str]) -> str:
    for language in (settings.LANGUAGE_CODE, "en"):
        if language in labels:
            return labels[language]
    return labels.get("") or next(iter(labels.values()))


@guarded("common.vocabulary.import")
@transaction.atomic
def vocabulary_import(
    *, actor: Any, vocabulary: str, data: bytes, file_format: str
) -> VocabularyImport:
    """Create or update the terms of a vocabulary from a SKOS file, all or nothing."""
    model = vocabularies().get(vocabulary)
    if model is None:
        raise DomainError(
            _("Unknown vocabulary “%(name)s”; known: %(known)s.")
            % {"name": vocabulary, "known": ", ".join(sorted(vocabularies()))},
            "vocabulary",
            code="unknown_vocabulary",
        )
    concepts = read_skos(data, file_format=file_format)
    codes = [concept.code for concept in concepts]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise DomainError(
            _("Two concepts share the code “%(code)s”.") % {"code": duplicated[0]},
            "skos:notation",
            code="duplicate_vocabulary_code",
        )
    manager = model._default_manager
    existing = {term.code: term for term in manager.select_for_update().filter(code__in=codes)}
    created = updated = 0
    terms: dict[str, Any] = {}
    for concept in concepts:
        names = {language: text for language, text in concept.labels.items() if language}
        values = {"name": _default_label(concept.labels), "names": names, "uri": concept.uri}
        term = existing.get(concept.code)
        if term is None:
            term = manager.create(code=concept.code, position=concept.position, **values)
            created += 1
        elif any(getattr(term, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(term, key, value)
            term.save(update_fields=list(values))
            updated += 1
        terms[concept.uri] = term
    for concept in concepts:
        term = terms[concept.uri]
        parent = terms[concept.broader] if concept.broader else None
        if term.broader_id != (parent.pk if parent else None):
            term.broader = parent
            term.save(update_fields=["broader"])
    return VocabularyImport(created=created, updated=updated)
