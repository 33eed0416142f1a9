"""Registering accessions, one by one from a page or all at once from an MCPD file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.bulk import RowInserter
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.permissions import SYSTEM, guarded
from minga.common.translation import LANGUAGE_TAG
from minga.core.mcpd.fields import McpdError
from minga.library import selectors as library_selectors

from .. import tally
from ..audit_events import SeedsEvent
from ..mcpd import MODEL_FIELDS, accession_row, clean_row, mcpd_message
from ..models import Accession, Lot, SeedBank
from .lots import _refresh_risk

# Who may read an accession: everyone, people signed in, or the bank's organization. (Named
# custodians alone would hide it from the bank's own keepers.)
VISIBILITIES = (Visibility.PUBLIC, Visibility.SERVER, Visibility.ORGANIZATIONS)


@dataclass
class AccessionData:
    """MCPD fields by their standard names (text as typed) and the community's own fields."""

    mcpd: Mapping[str, str]
    local_names: Mapping[str, str] = field(default_factory=dict)
    custodian: str = ""
    story: str = ""
    sharing_conditions: str = ""
    visibility: str = Visibility.PUBLIC


def _mcpd_values(bank: SeedBank, mcpd: Mapping[str, str], line: int) -> dict[str, Any]:
    row = {name.upper(): (value or "") for name, value in mcpd.items()}
    if not row.get("INSTCODE"):
        row["INSTCODE"] = bank.instcode
    try:
        return clean_row(row, line=line)
    except McpdError as error:
        message = mcpd_message(error, with_line=False)
        raise DomainError(message, error.field.lower(), code="invalid_mcpd") from error


def _check_extra(data: AccessionData) -> None:
    for tag in data.local_names:
        if not LANGUAGE_TAG.match(tag):
            raise DomainError(
                _("Unknown language tag “%(tag)s”.") % {"tag": tag},
                "local_names",
                code="unknown_language",
            )
    if data.visibility not in VISIBILITIES:
        raise DomainError(_("Unknown visibility."), "visibility", code="unknown_visibility")


def _number_taken(number: str) -> DomainError:
    return DomainError(
        _("This bank already has an accession numbered %(number)s.") % {"number": number},
        "accenumb",
        code="duplicate_accession",
        status=409,
    )


@guarded("seeds.bank.manage", on="bank")
@transaction.atomic
def accession_create(*, actor: Any, bank: SeedBank, data: AccessionData) -> Accession:
    values = _mcpd_values(bank, data.mcpd, 0)
    _check_extra(data)
    if bank.accessions.filter(accenumb=values["accenumb"]).exists():
        raise _number_taken(values["accenumb"])
    accession = Accession.objects.create(
        bank=bank,
        local_names=dict(data.local_names),
        custodian=data.custodian.strip(),
        story=data.story.strip(),
        sharing_conditions=data.sharing_conditions.strip(),
        visibility=data.visibility,
        **values,
    )
    if data.visibility == Visibility.ORGANIZATIONS:
        accession.visible_to_organizations.set([bank.organization])
    tally.add_new([accession.pk])
    audit.record(actor=actor, action=SeedsEvent.ACCESSION_CREATE, target=accession)
    return accession


@dataclass
class AccessionEdit:
    """A change of passport data: the MCPD fields given (by their standard names, as text;
    an empty text clears the field) replace the current ones, the others stay; the
    community's fields left at ``None`` stay too."""

    mcpd: Mapping[str, str] = field(default_factory=dict)
    local_names: Mapping[str, str] | None = None
    custodian: str | None = None
    story: str | None = None
    sharing_conditions: str | None = None
    visibility: str | None = None


# What an edit may change besides the MCPD fields (INSTCODE stays the bank's).
EXTRA_FIELDS = ("local_names", "custodian", "story", "sharing_conditions", "visibility")
# Fields the viability prediction and the risk rows depend on.
_TAXON = ("genus", "species")


@guarded("seeds.bank.manage", on="accession", via=lambda accession: accession.bank)
@transaction.atomic
def accession_update(*, actor: Any, accession: Accession, data: AccessionEdit) -> dict[str, Any]:
    """Change an accession's passport data; returns the changes ``{field: [old, new]}``.

    The whole row is checked against MCPD as on registration (errors name the field); an
    edit that gives the current values changes nothing and writes no audit entry, so
    sending it again is harmless. A new genus or species recomputes the lots' regeneration
    dates; a safety duplicate added or removed moves the accession in the risk tallies.
    """
    accession = Accession.objects.select_for_update().get(pk=accession.pk)
    row = accession_row(accession, full=True)
    given = {name.upper(): (value or "").strip() for name, value in data.mcpd.items()}
    given.pop("INSTCODE", None)
    unknown = sorted(set(given) - set(row))
    if unknown:
        raise DomainError(
            _("Unknown MCPD field %(field)s.") % {"field": unknown[0]},
            unknown[0].lower(),
            code="unknown_field",
        )
    row.update(given)
    values = _mcpd_values(accession.bank, row, 0)
    extra = AccessionData(
        mcpd={},
        local_names=accession.local_names if data.local_names is None else data.local_names,
        custodian=accession.custodian if data.custodian is None else data.custodian.strip(),
        story=accession.story if data.story is None else data.story.strip(),
        sharing_conditions=(
            accession.sharing_conditions
            if data.sharing_conditions is None
            else data.sharing_conditions.strip()
        ),
        visibility=accession.visibility if data.visibility is None else data.visibility,
    )
    _check_extra(extra)
    new = {**values, **{name: getattr(extra, name) for name in EXTRA_FIELDS}}
    new["local_names"] = dict(new["local_names"])
    names = list(new)
    before = {name: getattr(accession, name) for name in names}
    changes = audit.field_changes(before, new)
    if not changes:
        return {}
    if "accenumb" in changes and (
        Accession.objects.filter(bank_id=accession.bank_id, accenumb=new["accenumb"])
        .exclude(pk=accession.pk)
        .exists()
    ):
        raise _number_taken(new["accenumb"])
    with tally.kept([accession.pk]):
        for name in changes:
            setattr(accession, name, new[name])
        accession.save(update_fields=[*changes, "updated_at"])
    if "visibility" in changes:
        shared_with = (
            [accession.bank.organization] if extra.visibility == Visibility.ORGANIZATIONS else []
        )
        accession.visible_to_organizations.set(shared_with)
    if any(name in changes for name in _TAXON):
        tested = Lot.objects.filter(accession=accession, tests__isnull=False).distinct()
        _refresh_risk(tested.select_related("accession__bank"))
    audit.record(actor=actor, action=SeedsEvent.ACCESSION_UPDATE, target=accession, changes=changes)
    return changes


# Rows validated, then written, at a time: memory stays that of a chunk whatever the file.
IMPORT_CHUNK = 2000


@guarded("seeds.bank.manage", on="bank")
@transaction.atomic
def accessions_import(
    *,
    actor: Any,
    bank: SeedBank,
    rows: Iterable[tuple[int, Mapping[str, str]]],
    visibility: str = Visibility.PUBLIC,
) -> int:
    """Accessions from MCPD rows, each given with its line in the file; returns how many.

    All the rows or none: the rows are read, checked and written a chunk at a time inside
    one transaction, and the first fault (naming the file's line and the MCPD field) undoes
    everything. Sending the same file again changes nothing: when every accession number is
    already in the bank the refusal says so (``already_imported``). The rows may be a
    stream (see ``mcpd.csv_rows``): a file of any size takes the memory of one chunk.
    """
    if visibility not in VISIBILITIES:
        raise DomainError(_("Unknown visibility."), "visibility", code="unknown_visibility")
    existing = set(bank.accessions.values_list("accenumb", flat=True))
    seen: dict[str, int] = {}
    repeated: list[tuple[int, str]] = []
    inserter = RowInserter(Accession, ["bank_id", "visibility", *MODEL_FIELDS])
    common = {"bank_id": bank.pk, "visibility": visibility}
    chunk: list[dict[str, Any]] = []
    count = 0
    for line, row in rows:
        try:
            values = clean_row(row, line=line)
        except McpdError as error:
            message = mcpd_message(error)
            raise DomainError(message, error.field.lower(), code="invalid_mcpd") from error
        number = values["accenumb"]
        if number in seen:
            raise DomainError(
                _("Line %(line)d, ACCENUMB: %(number)s is also on line %(other)d.")
                % {"line": line, "number": number, "other": seen[number]},
                "accenumb",
                code="duplicate_accession",
                status=409,
            )
        seen[number] = line
        count += 1
        if number in existing:
            repeated.append((line, number))
        if repeated:
            continue  # the import will be refused; read on only to say why
        values.update(common)
        chunk.append(values)
        if len(chunk) >= IMPORT_CHUNK:
            _write_chunk(inserter, bank, chunk, visibility)
            chunk = []
    if not count:
        raise DomainError(
            _("The file has no accession under its header."), "file", code="empty_file"
        )
    if repeated and len(repeated) == count:
        raise DomainError(
            _("Every accession of this file is already in the bank: it was imported before. "
              "Nothing was changed."),
            "file",
            code="already_imported",
            status=409,
        )  # fmt: skip
    if repeated:
        line, number = repeated[0]
        raise DomainError(
            _("Line %(line)d, ACCENUMB: %(number)s is already in this bank.")
            % {"line": line, "number": number},
            "accenumb",
            code="duplicate_accession",
            status=409,
        )
    _write_chunk(inserter, bank, chunk, visibility)
    audit.record(
        actor=actor,
        action=SeedsEvent.ACCESSION_IMPORT,
        target=bank,
        changes={"accessions": [0, count]},
    )
    return count


def _write_chunk(
    inserter: RowInserter, bank: SeedBank, chunk: Sequence[Mapping[str, Any]], visibility: str
) -> None:
    inserter.insert(chunk)
    if not chunk:
        return
    numbers = [values["accenumb"] for values in chunk]
    ids = list(bank.accessions.filter(accenumb__in=numbers).values_list("pk", flat=True))
    tally.add_new(ids)
    if visibility == Visibility.ORGANIZATIONS:
        through = Accession.visible_to_organizations.through
        through.objects.bulk_create(
            [through(accession_id=pk, organization_id=bank.organization_id) for pk in ids]
        )


@guarded("seeds.bank.manage", on="accession", via=lambda accession: accession.bank)
@transaction.atomic
def accession_link_item(*, actor: Any, accession: Accession, item: Any) -> None:
    """Link a library item (a story, a recipe, a growing guide) to the variety. Only an item
    the actor may read; readers of the accession see it only if they may read it too."""
    if actor is not SYSTEM and not library_selectors.can_view_item(actor, item):
        raise DomainError(
            _("No library item you may read has this address."), "item", code="unknown_item"
        )
    accession.library_items.add(item)
    audit.record(
        actor=actor,
        action=SeedsEvent.ACCESSION_LINK,
        target=accession,
        changes={"item": [None, str(item.uuid)]},
    )


@guarded("seeds.bank.manage", on="accession", via=lambda accession: accession.bank)
@transaction.atomic
def accession_unlink_item(*, actor: Any, accession: Accession, item: Any) -> None:
    accession.library_items.remove(item)
    audit.record(
        actor=actor,
        action=SeedsEvent.ACCESSION_UNLINK,
        target=accession,
        changes={"item": [str(item.uuid), None]},
    )
