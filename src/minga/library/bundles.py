"""Bundles: items carried offline between servers, as one zip file.

A bundle holds ``manifest.json`` (format, version, and the SHA-256 of every other member),
one ``items/<uuid>.json`` per item (its content as a version snapshot, who may read it,
consent records, translations, links, the list of its files) and the files themselves
under ``files/``. Reading checks everything before anything is imported: a bundle with a
missing member, a changed file, broken JSON or an archive that would expand beyond reason
is refused whole, with a message naming what is wrong.

Exports go through the visibility rule: a person exports only items they may read, and an
item under a strict protocol only if they are a steward of each of its strict protocols
(its community decides whether its knowledge leaves the server); every such export is
logged for the stewards.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common.errors import DomainError
from minga.common.permissions import SYSTEM

from . import selectors
from .content import snapshot
from .models import Item
from .types import AccessChannel, ProtocolKind
from .uploads import upload_limits

FORMAT = "minga-library-bundle"
VERSION = 1
MAX_MEMBERS = 20_000
MAX_RATIO = 200
MAX_JSON_BYTES = 5 * 1024 * 1024
CHUNK = 1024 * 1024


def _damaged(message: str, field: str = "bundle") -> DomainError:
    return DomainError(
        _("This bundle cannot be imported: %(problem)s Nothing was imported.")
        % {"problem": message},
        field,
        code="damaged_bundle",
    )


# Writing -------------------------------------------------------------------------------


def exportable_items(user: Any, items: Any) -> list[Item]:
    """The items of ``items`` the user may carry away: those they may read, and of those
    under strict protocols only the ones whose every strict protocol they steward."""
    visible = items if user is SYSTEM else items.filter(pk__in=selectors.visible_items(user))
    chosen = []
    for item in visible.select_related("organization").prefetch_related("protocols__community"):
        strict = [p for p in item.protocols.all() if p.kind == ProtocolKind.STRICT]
        if user is SYSTEM or all(selectors.is_steward(user, p) for p in strict):
            chosen.append(item)
    return chosen


def _file_path(attachment: Any) -> str:
    extension = (attachment.file.name or "").rsplit(".", 1)[-1]
    return f"files/{attachment.uuid}.{extension}"


def _item_record(user: Any, item: Item) -> dict[str, Any]:
    item = selectors.item_detail(item)
    links = item.links_out.select_related("target")
    if user is not SYSTEM:
        # Only links to items the exporter may read: a link names its target.
        links = links.filter(target__in=selectors.visible_items(user))
    return {
        "uuid": str(item.uuid),
        "created_at": item.created_at.isoformat(),
        "version": item.version,
        "organization": {
            "uuid": str(item.organization.uuid),
            "slug": item.organization.slug,
            "name": item.organization.name,
        },
        "content": snapshot(item),
        "access": {
            "visibility": item.visibility,
            "protocol_rule": item.protocol_rule,
            "protocols": [
                {
                    "uuid": str(protocol.uuid),
                    "name": protocol.name,
                    "description": protocol.description,
                    "kind": protocol.kind,
                    "include_community_members": protocol.include_community_members,
                    "listed": protocol.listed,
                    "community": {
                        "uuid": str(protocol.community.uuid),
                        "slug": protocol.community.slug,
                    },
                }
                for protocol in item.protocols.all()
            ],
        },
        "consents": [
            {
                "given_by": consent.given_by,
                "given_on": consent.given_on.isoformat(),
                "method": consent.method,
                "scope": consent.scope,
                "expires_on": consent.expires_on.isoformat() if consent.expires_on else None,
            }
            for consent in item.consents.all()
        ],
        "translations": [
            {
                "language": translation.language,
                "title": translation.title,
                "summary": translation.summary,
                "text": translation.text,
                "stage": translation.stage,
                "machine": translation.machine,
                "reviewed": translation.reviewed_at is not None,
            }
            for translation in item.translations.all()
        ],
        "links": [{"target": str(link.target.uuid), "relation": link.relation} for link in links],
        "attachments": [
            {
                "uuid": str(attachment.uuid),
                "path": _file_path(attachment),
                "title": attachment.title,
                "description": attachment.description,
                "language": attachment.language,
                "original_name": attachment.original_name,
            }
            for attachment in item.attachments.all()
        ],
    }


def write_bundle(user: Any, items: Iterable[Item], out: IO[bytes]) -> int:
    """Write the bundle of these (already chosen) items to ``out``; how many went in."""
    from .services.protocols import access_record

    checksums: dict[str, str] = {}
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            record = _item_record(user, item)
            for attachment in item.attachments.all():
                path = _file_path(attachment)
                digest = hashlib.sha256()
                with (
                    attachment.file.open("rb") as source,
                    archive.open(path, "w", force_zip64=True) as target,
                ):
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        target.write(chunk)
                checksums[path] = digest.hexdigest()
            data = json.dumps(record, ensure_ascii=False, indent=1).encode()
            name = f"items/{item.uuid}.json"
            archive.writestr(name, data)
            checksums[name] = hashlib.sha256(data).hexdigest()
            if user is not SYSTEM:
                access_record(actor=user, item=item, channel=AccessChannel.EXPORT)
            count += 1
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": timezone.now().isoformat(),
            "server": settings.SITE_URL,
            "items": count,
            "checksums": checksums,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return count


# Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bundle:
    records: list[dict[str, Any]]
    archive: zipfile.ZipFile


def read_bundle(stream: IO[bytes]) -> Bundle:
    """Open and check a whole bundle; a DomainError naming what is wrong otherwise."""
    try:
        archive = zipfile.ZipFile(stream)
        members = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _damaged(_("it is not a zip file, or the zip is cut short.")) from error
    if len(members) > MAX_MEMBERS:
        raise _damaged(_("it holds too many files."))
    biggest = max(upload_limits().values())
    for info in members.values():
        if info.file_size > biggest or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise _damaged(
                _("“%(name)s” would expand far beyond its size.") % {"name": info.filename}
            )
    manifest = _json(archive, members, "manifest.json")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(_("manifest.json does not describe a library bundle."), "manifest.json")
    if manifest.get("version") != VERSION:
        raise _damaged(
            _("it is of version %(version)s, which this server does not read.")
            % {"version": manifest.get("version")},
            "manifest.json",
        )
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict):
        raise _damaged(_("manifest.json lists no checksums."), "manifest.json")
    for name in sorted(set(members) - {"manifest.json"} - set(checksums)):
        raise _damaged(_("“%(name)s” is not listed in the manifest.") % {"name": name}, name)
    for name, expected in sorted(checksums.items()):
        if name not in members:
            raise _damaged(_("“%(name)s” is missing.") % {"name": name}, name)
        digest = hashlib.sha256()
        try:
            with archive.open(name) as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise _damaged(_("“%(name)s” cannot be read.") % {"name": name}, name) from error
        if digest.hexdigest() != expected:
            raise _damaged(
                _("“%(name)s” is not the file that was exported (its checksum differs).")
                % {"name": name},
                name,
            )
    records = []
    for name in sorted(checksums):
        if name.startswith("items/") and name.endswith(".json"):
            record = _json(archive, members, name)
            if not isinstance(record, dict) or "uuid" not in record or "content" not in record:
                raise _damaged(_("“%(name)s” does not describe an item.") % {"name": name}, name)
            for attachment in record.get("attachments", []):
                if attachment.get("path") not in members:
                    raise _damaged(
                        _("the file of an attachment of “%(name)s” is missing.") % {"name": name},
                        name,
                    )
            records.append(record)
    if len(records) != manifest.get("items"):
        raise _damaged(_("the manifest counts another number of items."), "manifest.json")
    return Bundle(records=records, archive=archive)


def _json(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str) -> Any:
    info = members.get(name)
    if info is None:
        raise _damaged(_("“%(name)s” is missing.") % {"name": name}, name)
    if info.file_size > MAX_JSON_BYTES:
        raise _damaged(_("“%(name)s” is too large.") % {"name": name}, name)
    try:
        return json.loads(archive.read(name).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as error:
        raise _damaged(_("“%(name)s” is not valid JSON.") % {"name": name}, name) from error
