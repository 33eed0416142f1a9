"""``minga import vocabulary FILE --vocabulary NAME``: terms of a vocabulary from a SKOS file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM
from minga.common.vocabulary import vocabularies, vocabulary_import

FORMATS = {".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".nt": "nt"}


class Command(BaseCommand):
    help = "Import a controlled vocabulary from SKOS (RDF/XML or Turtle); all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--vocabulary", required=True, help="Which vocabulary, e.g. regions.")
        parser.add_argument(
            "--format",
            choices=sorted(set(FORMATS.values())),
            help="The file's RDF syntax; by default from its extension.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["vocabulary"] not in vocabularies():
            known = ", ".join(sorted(vocabularies()))
            raise CommandError(f"unknown vocabulary {options['vocabulary']!r}; known: {known}")
        file_format = options["format"] or FORMATS.get(path.suffix.lower())
        if file_format is None:
            raise CommandError(f"{path}: say its syntax with --format (turtle or xml)")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = vocabulary_import(
                actor=SYSTEM,
                vocabulary=options["vocabulary"],
                data=path.read_bytes(),
                file_format=file_format,
            )
        except DomainError as error:
            raise CommandError(f"{path}: {error.message} Nothing was imported.") from error
        self.stdout.write(
            self.style.SUCCESS(f"{path}: {result.created} terms created, {result.updated} updated.")
        )
