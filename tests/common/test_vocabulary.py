"""Controlled vocabularies: SKOS files in RDF/XML and Turtle, all or nothing, safe to repeat."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.common.vocabulary import vocabulary_import
from minga.market.models import Category
from minga.registry.models import Region
from tests import factories

TURTLE = b"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://vocab.example.org/crops/> .

ex:maize a skos:Concept ; skos:notation "maize" ;
    skos:prefLabel "ma\xc3\xadz"@es, "maize"@en, "milho"@pt, "ma\xc3\xafs"@fr, "mayi"@ht .
ex:purple-maize a skos:Concept ; skos:notation "purple-maize" ;
    skos:prefLabel "ma\xc3\xadz morado"@es, "purple maize"@en ; skos:broader ex:maize .
"""

RDF_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="https://vocab.example.org/topics/agroecology">
    <skos:prefLabel xml:lang="es">agroecolog\xc3\xada</skos:prefLabel>
    <skos:prefLabel xml:lang="en">agroecology</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>
"""


def test_turtle_concepts_become_terms_with_labels_and_hierarchy(db: None) -> None:
    """Each concept is a term; labels by language; the broader concept is the parent."""
    result = vocabulary_import(
        actor=SYSTEM, vocabulary="market-categories", data=TURTLE, file_format="turtle"
    )
    assert (result.created, result.updated) == (2, 0)
    purple = Category.objects.get(code="purple-maize")
    assert purple.broader is not None and purple.broader.code == "maize"
    assert purple.uri == "https://vocab.example.org/crops/purple-maize"
    maize = Category.objects.get(code="maize")
    with translation.override("ht"):
        assert str(maize) == "mayi"
    with translation.override("pt"):
        assert str(maize) == "milho"


def test_rdf_xml_concepts_take_their_code_from_the_uri(db: None) -> None:
    vocabulary_import(actor=SYSTEM, vocabulary="regions", data=RDF_XML, file_format="xml")
    region = Region.objects.get(code="agroecology")
    assert region.names == {"es": "agroecología", "en": "agroecology"}
    # The default label is the one in the server's language.
    assert region.name == region.names[settings.LANGUAGE_CODE]


def test_importing_twice_changes_nothing(db: None) -> None:
    vocabulary_import(
        actor=SYSTEM, vocabulary="market-categories", data=TURTLE, file_format="turtle"
    )
    before = list(Category.objects.values_list("code", "name", "names", "broader__code"))
    again = vocabulary_import(
        actor=SYSTEM, vocabulary="market-categories", data=TURTLE, file_format="turtle"
    )
    assert (again.created, again.updated) == (0, 0)
    after = list(Category.objects.values_list("code", "name", "names", "broader__code"))
    assert before == after


@pytest.mark.parametrize(
    ("data", "field", "cause"),
    [
        (
            b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\nex:a a skos:Concept",
            "file",
            "not valid",
        ),
        (
            b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<https://x.org/a> a skos:Concept .",
            "skos:prefLabel",
            "no label",
        ),
        (
            b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            b'<https://x.org/a> a skos:Concept ; skos:prefLabel "a"@en ; skos:broader <https://x.org/b> .\n'
            b'<https://x.org/b> a skos:Concept ; skos:prefLabel "b"@en ; skos:broader <https://x.org/a> .',
            "skos:broader",
            "circle",
        ),
        (
            b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            b'<https://x.org/a> a skos:Concept ; skos:prefLabel "a"@en ; skos:notation "bad code!" .',
            "skos:notation",
            "bad code!",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_naming_concept_and_field(
    db: None, data: bytes, field: str, cause: str
) -> None:
    """Nothing of a bad file is imported, and the error says where and why."""
    before = Category.objects.count()
    with translation.override("en"), pytest.raises(DomainError) as error:
        vocabulary_import(
            actor=SYSTEM, vocabulary="market-categories", data=data, file_format="turtle"
        )
    assert error.value.field == field
    assert cause in error.value.message
    assert Category.objects.count() == before


def test_only_the_operator_imports_vocabularies(db: None) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        vocabulary_import(
            actor=factories.person(), vocabulary="regions", data=TURTLE, file_format="turtle"
        )


def test_the_command_reads_a_file_and_refuses_an_unknown_vocabulary(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "crops.ttl"
    path.write_bytes(TURTLE)
    call_command("import_vocabulary", str(path), vocabulary="market-categories")
    assert Category.objects.filter(code="purple-maize").exists()
    with pytest.raises(CommandError, match="unknown vocabulary"):
        call_command("import_vocabulary", str(path), vocabulary="planets")
