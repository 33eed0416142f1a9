"""Organizations to and from CSV and JSON files.

Parsing checks the form of every field and names the line of any fault; the import service
then applies all rows in one transaction, so a file is imported whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse

from minga.common.models import Visibility

from .models import ContactKind, Organization, OrganizationKind, OrganizationStatus
from .services import OrganizationData

TRANSLATED_NAME_LANGUAGES = ("es", "en", "pt", "fr", "ht")
CSV_COLUMNS = [
    "slug", "kind", "name", "name_language",
    *[f"name_{language}" for language in TRANSLATED_NAME_LANGUAGES],
    "country", "region", "area", "latitude", "longitude", "languages", "description",
    "description_language", "founded_on", "registry_number", "status", "email", "phone", "website",
]  # fmt: skip
REQUIRED = ("name", "kind", "country", "region")
CONTACT_COLUMNS = {
    "email": (ContactKind.EMAIL, Visibility.PUBLIC),
    "website": (ContactKind.WEBSITE, Visibility.PUBLIC),
    # Phone numbers are personal more often than not: members only.
    "phone": (ContactKind.PHONE, Visibility.ORGANIZATIONS),
}


class ImportFileError(Exception):
    """A fault in an import file, with where it is."""

    def __init__(self, line: int, field: str | None, message: str) -> None:
        where = f"line {line}" + (f", field {field}" if field else "")
        super().__init__(f"{where}: {message}")
        self.line = line
        self.field = field
        self.message = message


@dataclass
class ImportRecord:
    line: int
    data: OrganizationData


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def record_from_mapping(row: dict[str, Any], line: int) -> ImportRecord:
    """One row (from CSV or JSON) into validated organization data."""
    for name in REQUIRED:
        if not _text(row.get(name)):
            raise ImportFileError(line, name, "is required")
    kind = _text(row["kind"])
    if kind not in OrganizationKind.values:
        raise ImportFileError(
            line, "kind", f"unknown type {kind!r}; use one of {', '.join(OrganizationKind.values)}"
        )
    status = _text(row.get("status")) or OrganizationStatus.ACTIVE
    if status not in OrganizationStatus.values:
        raise ImportFileError(line, "status", f"unknown status {status!r}")
    country = _text(row["country"]).upper()
    from django_countries import countries

    if country not in dict(countries):
        raise ImportFileError(line, "country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    coordinates: dict[str, Decimal | None] = {}
    for name, limit in (("latitude", 90), ("longitude", 180)):
        raw = _text(row.get(name))
        if not raw:
            coordinates[name] = None
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ImportFileError(line, name, f"{raw!r} is not a number") from None
        if not (-limit <= value <= limit):
            raise ImportFileError(line, name, f"{raw} is outside -{limit}..{limit}")
        coordinates[name] = value.quantize(Decimal("0.000001"))
    founded_raw = _text(row.get("founded_on"))
    founded_on = None
    if founded_raw:
        try:
            founded_on = date.fromisoformat(founded_raw)
        except ValueError:
            raise ImportFileError(
                line, "founded_on", f"{founded_raw!r} is not a date (YYYY-MM-DD)"
            ) from None
    languages_value = row.get("languages") or []
    languages = (
        [_text(code) for code in languages_value]
        if isinstance(languages_value, list)
        else _text(languages_value).replace(",", " ").split()
    )
    names = dict(row["names"]) if isinstance(row.get("names"), dict) else {}
    for language in TRANSLATED_NAME_LANGUAGES:
        if _text(row.get(f"name_{language}")):
            names[language] = _text(row[f"name_{language}"])
    contacts = [
        (str(kind), _text(row[column]), str(visibility))
        for column, (kind, visibility) in CONTACT_COLUMNS.items()
        if _text(row.get(column))
    ]
    return ImportRecord(
        line=line,
        data=OrganizationData(
            slug=_text(row.get("slug")),
            name=_text(row["name"]),
            name_language=_text(row.get("name_language")) or "es",
            names=names,
            kind=kind,
            country=country,
            region=_text(row["region"]),
            area=_text(row.get("area")),
            latitude=coordinates["latitude"],
            longitude=coordinates["longitude"],
            languages=languages,
            description=_text(row.get("description")),
            description_language=_text(row.get("description_language")) or "es",
            founded_on=founded_on,
            registry_number=_text(row.get("registry_number")),
            status=status,
            contacts=contacts,
        ),
    )


def parse_csv(text: str) -> list[ImportRecord]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise ImportFileError(1, None, "the file is empty")
    unknown = [name for name in reader.fieldnames if name not in CSV_COLUMNS]
    if unknown:
        raise ImportFileError(
            1, unknown[0], f"unknown column; columns are {', '.join(CSV_COLUMNS)}"
        )
    records = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise ImportFileError(line, None, "more values than columns")
        record = record_from_mapping(row, line)
        _check_duplicate(record, seen)
        records.append(record)
    return records


def parse_json(text: str) -> list[ImportRecord]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(error.lineno, None, f"invalid JSON: {error.msg}") from None
    if isinstance(items, dict):
        items = items.get("organizations")
    if not isinstance(items, list):
        raise ImportFileError(1, None, "expected a list of organizations")
    # JSON has no row numbers; the line where each object starts is the useful pointer.
    starts = _object_start_lines(text, len(items))
    records = []
    seen: dict[str, int] = {}
    for position, item in enumerate(items):
        line = starts[position]
        if not isinstance(item, dict):
            raise ImportFileError(line, None, "expected an object")
        record = record_from_mapping(item, line)
        _check_duplicate(record, seen)
        records.append(record)
    return records


def _check_duplicate(record: ImportRecord, seen: dict[str, int]) -> None:
    slug = record.data.slug
    if slug:
        if slug in seen:
            raise ImportFileError(
                record.line, "slug", f"{slug!r} already appears on line {seen[slug]}"
            )
        seen[slug] = record.line


def _object_start_lines(text: str, count: int) -> list[int]:
    decoder = json.JSONDecoder()
    lines: list[int] = []
    start = text.index("[") + 1 if "[" in text else 0
    position = start
    while len(lines) < count:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        lines.append(text.count("\n", 0, position) + 1)
        try:
            _value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            break
        position = end
    lines.extend([lines[-1] if lines else 1] * (count - len(lines)))
    return lines


def parse_file(name: str, content: bytes) -> list[ImportRecord]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportFileError(line, None, "the file is not UTF-8 text") from None
    if name.lower().endswith(".json"):
        return parse_json(text)
    return parse_csv(text)


def organization_row(organization: Organization) -> dict[str, Any]:
    """An organization as an export row; only public contact channels leave the server."""
    contacts = {
        column: next(
            (
                c.value
                for c in organization.contact_channels.all()
                if c.kind == kind and c.visibility == Visibility.PUBLIC
            ),
            "",
        )
        for column, (kind, _visibility) in CONTACT_COLUMNS.items()
    }
    return {
        "slug": organization.slug,
        "kind": organization.kind,
        "name": organization.name,
        "name_language": organization.name_language,
        "names": organization.names,
        "country": str(organization.country),
        "region": organization.region.code,
        "area": organization.area,
        "latitude": str(organization.latitude) if organization.latitude is not None else "",
        "longitude": str(organization.longitude) if organization.longitude is not None else "",
        "languages": [language.code for language in organization.languages.all()],
        "description": organization.description,
        "description_language": organization.description_language,
        "founded_on": organization.founded_on.isoformat() if organization.founded_on else "",
        "registry_number": organization.registry_number,
        "status": organization.status,
        **contacts,
    }


def export_rows(organizations: QuerySet[Organization]) -> Iterator[dict[str, Any]]:
    queryset = organizations.select_related("region").prefetch_related(
        "languages", "contact_channels"
    )
    for organization in queryset.order_by("id").iterator(chunk_size=1000):
        yield organization_row(organization)


def write_csv(rows: Iterable[dict[str, Any]], stream: io.TextIOBase | Any) -> int:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        flat = dict(row)
        for language in TRANSLATED_NAME_LANGUAGES:
            flat[f"name_{language}"] = row["names"].get(language, "")
        flat["languages"] = " ".join(row["languages"])
        writer.writerow(flat)
        count += 1
    return count


def write_json(rows: Iterable[dict[str, Any]], stream: io.TextIOBase | Any) -> int:
    items = list(rows)
    json.dump({"organizations": items}, stream, ensure_ascii=False, indent=1)
    return len(items)


def export_response(organizations: QuerySet[Organization], file_format: str) -> HttpResponse:
    content_type = "text/csv" if file_format == "csv" else "application/json"
    response = HttpResponse(content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="organizations.{file_format}"'
    (write_csv if file_format == "csv" else write_json)(export_rows(organizations), response)
    return response
