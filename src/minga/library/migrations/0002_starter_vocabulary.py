"""Seed the library's starter vocabulary (crops, practices, topics in es/en/pt/fr/ht) from the
SKOS file shipped with the project. It is data: more concepts come with
``minga import vocabulary FILE --vocabulary library-subjects``."""

from pathlib import Path

from django.db import migrations

STARTER = Path(__file__).resolve().parent.parent / "vocabulary" / "starter-subjects.ttl"


def seed(apps, schema_editor):
    import rdflib
    from rdflib.namespace import RDF, SKOS

    Subject = apps.get_model("library", "Subject")
    graph = rdflib.Graph()
    graph.parse(STARTER, format="turtle")
    concepts = sorted(str(node) for node in graph.subjects(RDF.type, SKOS.Concept))
    terms = {}
    for position, uri in enumerate(concepts):
        node = rdflib.URIRef(uri)
        code = str(next(graph.objects(node, SKOS.notation)))
        names = {label.language: str(label) for label in graph.objects(node, SKOS.prefLabel)}
        terms[uri] = Subject.objects.update_or_create(
            code=code,
            defaults={"name": names["es"], "names": names, "uri": uri, "position": position},
        )[0]
    for uri, term in terms.items():
        broader = next(graph.objects(rdflib.URIRef(uri), SKOS.broader), None)
        term.broader = terms.get(str(broader)) if broader is not None else None
        term.save(update_fields=["broader"])


class Migration(migrations.Migration):
    dependencies = [("library", "0001_items_protocols_collections")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
