"""Inserting many rows of one model fast: one prepared INSERT run with ``executemany``.

``QuerySet.bulk_create`` compiles every value of every row through the field machinery and
builds one statement text per batch; for a file of hundreds of thousands of rows that costs
several times the validation itself. :class:`RowInserter` prepares the statement once, gives
each row the model's defaults (callable defaults such as ``uuid4`` per row, ``auto_now`` and
``auto_now_add`` the same moment for all) and converts only the columns whose Python value
is not already what the database takes (UUIDs, dates and times, JSON, decimals). The
database's own constraints (NOT NULL, unique, foreign keys) still refuse a bad row; model
``save`` hooks and signals do not run, as with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

# Fields whose Python values the database drivers take as they are.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.FloatField,
    models.BooleanField,
)


def _converter(field: models.Field[Any, Any], database: Any) -> Callable[[Any], Any] | None:
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return None if isinstance(target, _PLAIN) else _converter(target, database)
    if isinstance(field, _PLAIN) and not isinstance(field, models.AutoField):
        return None
    return lambda value: field.get_db_prep_save(value, connection=database)


class RowInserter:
    """Rows of ``model`` given as mappings of field names (``bank_id`` or ``bank`` for a
    foreign key's key) to Python values; every other concrete field takes its default.

    A field with neither a value nor a default (nor NULL allowed) is refused when the
    inserter is made, naming the field, rather than by the database on the first row.
    """

    def __init__(self, model: type[models.Model], names: Iterable[str]) -> None:
        database = connections[DEFAULT_DB_ALIAS]
        given = list(dict.fromkeys(names))
        by_name = {}
        for field in model._meta.concrete_fields:
            by_name[field.name] = by_name[field.attname] = field
        unknown = [name for name in given if name not in by_name]
        if unknown:
            raise ValueError(f"{model.__name__} has no field {unknown[0]}")
        now = timezone.now()

        def automatic(field: models.Field[Any, Any]) -> bool:
            return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))

        # ``auto_now`` and ``auto_now_add`` fields take the moment of the insert, as in save().
        given = [name for name in given if not automatic(by_name[name])]
        given_fields = [by_name[name] for name in given]
        # The statement's columns: the given values first, then those made per row, then
        # the constants; a row's parameters are built in the same order.
        made: list[tuple[models.Field[Any, Any], Callable[[], Any]]] = []
        constants: list[tuple[models.Field[Any, Any], Any]] = []
        for field in model._meta.concrete_fields:
            if field in given_fields or (field.primary_key and isinstance(field, models.AutoField)):
                continue
            if automatic(field):
                constants.append((field, now))
            elif field.has_default() and callable(field.default):
                made.append((field, field.default))
            elif field.has_default() or field.empty_strings_allowed or field.null:
                constants.append((field, field.get_default()))
            else:
                raise ValueError(f"{model.__name__}.{field.name} has no value and no default")
        self._get = itemgetter(*given) if len(given) > 1 else (lambda row: (row[given[0]],))
        self._factories = [factory for _field, factory in made]
        self._constants = []
        for field, value in constants:
            convert = _converter(field, database)
            self._constants.append(value if convert is None or value is None else convert(value))
        fields = [*given_fields, *(field for field, _ in made)]
        self._converters = [
            (index, convert)
            for index, field in enumerate(fields)
            if (convert := _converter(field, database)) is not None
        ]
        self.fields = [*fields, *(field for field, _ in constants)]
        quote = database.ops.quote_name
        columns = ", ".join(quote(str(field.column)) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Only names from the model's own metadata go into the text; values are parameters.
        self.statement = (
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        )

    def parameters(self, row: Mapping[str, Any]) -> list[Any]:
        values = list(self._get(row))
        values.extend([factory() for factory in self._factories])
        for index, convert in self._converters:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        values.extend(self._constants)
        return values

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert the rows in one ``executemany``; returns how many."""
        parameters = [self.parameters(row) for row in rows]
        if parameters:
            with connection.cursor() as cursor:
                cursor.executemany(self.statement, parameters)
        return len(parameters)
