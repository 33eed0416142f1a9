"""Importing a bundle (``library.bundles``): all or nothing, and twice changes nothing.

Items are matched by their identifier: an item already here is brought up to the bundle's
content (a new version only when something differs); its files, translations, consent
records and links are added when missing. Organizations and protocols are matched by
identifier, then by short code; a protocol that does not exist here is created under its
community, which must exist. The importer needs the right to contribute for every
organization named, and to create protocols for every community whose protocol is new.
"""

from __future__ import annotations

import contextlib
import uuid as uuid_lib
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import check_upload
from minga.common.permissions import SYSTEM, guarded, has_perm
from minga.common.translation import TranslationStage
from minga.registry.selectors import visible_organizations

from ..audit_events import LibraryEvent
from ..bundles import read_bundle
from ..content import AccessData, ConsentData, data_from_snapshot
from ..models import Attachment, ConsentRecord, Item, ItemLink, ItemTranslation, Protocol
from ..types import LinkRelation, ProtocolKind
from ..uploads import ACCEPTED, upload_limits
from .attachments import attachment_add
from .items import _reindex_on_commit, item_create, item_update, refresh_access
from .protocols import protocol_create


@dataclass(frozen=True)
class BundleImport:
    created: int
    updated: int
    unchanged: int
    files: int


def _fail(record: dict[str, Any], error: DomainError) -> DomainError:
    return DomainError(
        _("Item %(uuid)s, %(field)s: %(message)s Nothing was imported.")
        % {"uuid": record.get("uuid"), "field": error.field or "-", "message": error.message},
        error.field,
        code=error.code,
        status=error.status,
    )


def _organization(actor: Any, reference: dict[str, Any], record: dict[str, Any]) -> Any:
    """The organization a bundle names, by identifier or else by short code, among those
    the importer may see (the command line sees them all)."""
    candidates = visible_organizations(_Operator() if actor is SYSTEM else actor)
    found = None
    with contextlib.suppress(ValueError):
        found = candidates.filter(uuid=uuid_lib.UUID(str(reference.get("uuid")))).first()
    if found is None and reference.get("slug"):
        found = candidates.filter(slug=str(reference["slug"])).first()
    if found is None:
        raise _fail(
            record,
            DomainError(
                _("the organization “%(name)s” does not exist on this server.")
                % {"name": reference.get("slug") or reference.get("uuid")},
                "organization",
                code="unknown_organization",
            ),
        )
    return found


class _Operator:
    """The server's operator, who reads every organization (for the command line)."""

    is_authenticated = True
    is_superuser = True
    pk = None

    def __init__(self) -> None:
        from minga.common.visibility import Viewer

        self._minga_viewer = Viewer(
            user_id=None, is_authenticated=True, sees_everything=True, organization_ids=frozenset()
        )


def _protocols(actor: Any, access: dict[str, Any], record: dict[str, Any]) -> list[Protocol]:
    found = []
    for entry in access.get("protocols", []):
        protocol = Protocol.objects.filter(uuid=entry.get("uuid")).first()
        if protocol is None:
            community = _organization(actor, entry.get("community", {}), record)
            protocol = Protocol.objects.filter(community=community, name=entry.get("name")).first()
            if protocol is None:
                if not has_perm(actor, "library.protocol.create", community):
                    raise _fail(
                        record,
                        DomainError(
                            _(
                                "its protocol “%(name)s” is new here, and only a coordinator "
                                "of %(community)s may create it."
                            )
                            % {"name": entry.get("name"), "community": community.display_name},
                            "access.protocols",
                            code="protocol_not_importable",
                            status=403,
                        ),
                    )
                protocol = protocol_create(
                    actor=actor,
                    community=community,
                    name=str(entry.get("name") or ""),
                    description=str(entry.get("description") or ""),
                    kind=str(entry.get("kind") or ProtocolKind.STRICT),
                    include_community_members=bool(entry.get("include_community_members")),
                    listed=bool(entry.get("listed", True)),
                )
                Protocol.objects.filter(pk=protocol.pk).update(uuid=entry.get("uuid"))
                protocol.refresh_from_db()
        found.append(protocol)
    return found


def _import_record(actor: Any, bundle: Any, record: dict[str, Any], counts: dict[str, int]) -> Item:
    organization = _organization(actor, record.get("organization", {}), record)
    if not has_perm(actor, "library.item.create", organization):
        raise _fail(
            record,
            DomainError(
                _("you may not contribute items for %(name)s.")
                % {"name": organization.display_name},
                "organization",
                code="organization_not_yours",
                status=403,
            ),
        )
    try:
        data = data_from_snapshot(record["content"])
    except (TypeError, ValueError, KeyError) as error:
        raise _fail(
            record,
            DomainError(_("its content cannot be read."), "content", code="invalid_bundle_item"),
        ) from error
    access_record = record.get("access", {})
    access = AccessData(
        visibility=str(access_record.get("visibility", "public")),
        protocols=_protocols(actor, access_record, record),
        protocol_rule=str(access_record.get("protocol_rule", "any")),
    )
    consents = [
        ConsentData(
            given_by=str(row.get("given_by", "")),
            given_on=date.fromisoformat(row["given_on"]),
            method=str(row.get("method", "")),
            scope=str(row.get("scope", "")),
            expires_on=date.fromisoformat(row["expires_on"]) if row.get("expires_on") else None,
        )
        for row in record.get("consents", [])
    ]
    item = Item.objects.filter(uuid=record["uuid"]).first()
    try:
        if item is None:
            item = item_create(
                actor=actor,
                organization=organization,
                data=data,
                access=access,
                consent=consents[-1] if consents else None,
                uuid=uuid_lib.UUID(str(record["uuid"])),
            )
            counts["created"] += 1
        else:
            version = item.version
            item = item_update(
                actor=actor,
                item=item,
                data=data,
                note=_("Imported from a bundle"),
            )
            counts["updated" if item.version != version else "unchanged"] += 1
    except DomainError as error:
        raise _fail(record, error) from error
    for consent in consents:
        if not ConsentRecord.objects.filter(
            item=item, given_by=consent.given_by, given_on=consent.given_on
        ).exists():
            ConsentRecord.objects.create(
                item=item,
                given_by=consent.given_by,
                given_on=consent.given_on,
                method=consent.method,
                scope=consent.scope,
                expires_on=consent.expires_on,
            )
    for row in record.get("translations", []):
        language = str(row.get("language", ""))[:16]
        if not language or ItemTranslation.objects.filter(item=item, language=language).exists():
            continue
        stage = row.get("stage")
        ItemTranslation.objects.create(
            item=item,
            language=language,
            title=str(row.get("title", ""))[:300],
            summary=str(row.get("summary", "")),
            text=str(row.get("text", "")),
            stage=stage if stage in TranslationStage.values else TranslationStage.REQUESTED,
            machine=bool(row.get("machine")),
        )
    for row in record.get("attachments", []):
        if Attachment.objects.filter(uuid=row.get("uuid")).exists():
            continue
        with bundle.archive.open(row["path"]) as handle:
            data = handle.read()
        upload = File(_Seekable(data), name=str(row.get("original_name") or row["path"]))  # type: ignore[arg-type]
        upload.size = len(data)
        try:
            check_upload(
                upload, allowed=ACCEPTED, max_bytes=max(upload_limits().values()), field="file"
            )
            attachment = attachment_add(
                actor=actor,
                item=item,
                upload=upload,
                title=str(row.get("title", "")),
                description=str(row.get("description", "")),
                language=str(row.get("language", "")),
            )
        except DomainError as error:
            raise _fail(record, error) from error
        Attachment.objects.filter(pk=attachment.pk).update(uuid=row.get("uuid"))
        counts["files"] += 1
    return item


class _Seekable:
    """Bytes read from the archive, as the file object the upload checks expect."""

    def __init__(self, data: bytes) -> None:
        import io

        self.data = data
        self._buffer = io.BytesIO(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._buffer, name)


@guarded("library.bundle.import")
@transaction.atomic
def bundle_import(*, actor: Any, stream: IO[bytes], name: str = "bundle") -> BundleImport:
    """Import a bundle whole, or nothing of it."""
    bundle = read_bundle(stream)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "files": 0}
    items: dict[str, Item] = {}
    for record in bundle.records:
        items[str(record["uuid"])] = _import_record(actor, bundle, record, counts)
    for record in bundle.records:
        source = items[str(record["uuid"])]
        for link in record.get("links", []):
            target = Item.objects.filter(uuid=link.get("target")).first()
            if target is not None and link.get("relation") in LinkRelation.values:
                ItemLink.objects.get_or_create(
                    source=source, target=target, relation=link["relation"]
                )
    refresh_access([item.pk for item in items.values()])
    _reindex_on_commit(*[item.pk for item in items.values()])
    for item in items.values():
        audit.record(actor=actor, action=LibraryEvent.BUNDLE_IMPORT, target=item, reason=name[:200])
    return BundleImport(
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        files=counts["files"],
    )
