"""Files of items: checked from their content, stored under a name the server chooses,
images with a thumbnail. They follow their item's protocols (``selectors``)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import KINDS, check_upload, server_name
from minga.common.permissions import guarded

from ..audit_events import LibraryEvent
from ..models import Attachment, Item
from ..uploads import (
    ACCEPTED,
    MAX_ATTACHMENTS,
    delete_stored,
    human_size,
    thumbnail,
    upload_limits,
)


@guarded("library.item.change", on="item")
@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    item: Item,
    upload: Any,
    title: str = "",
    description: str = "",
    language: str = "",
) -> Attachment:
    """Attach a file to an item. Its kind is read from its content (never its name); each
    family has its own size limit; programs, scripts and archive bombs are refused."""
    limits = upload_limits()
    kind = check_upload(upload, allowed=ACCEPTED, max_bytes=max(limits.values()), field="file")
    size = int(getattr(upload, "size", 0) or 0)
    if size > limits[kind.family]:
        raise DomainError(
            _("A file of this kind may be at most %(size)s.")
            % {"size": human_size(limits[kind.family])},
            "file",
            code="file_too_large",
        )
    if item.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(
            _("An item has at most %(count)d files.") % {"count": MAX_ATTACHMENTS},
            "file",
            code="too_many_files",
        )
    attachment = Attachment(
        item=item,
        file_kind=kind.name,
        family=kind.family,
        original_name=str(getattr(upload, "name", "") or "")[-255:],
        size=size,
        title=(title or "").strip()[:300],
        description=(description or "").strip(),
        language=(language or "").strip()[:16],
        position=item.attachments.count(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    upload.seek(0)
    attachment.file.save(server_name(kind), upload, save=False)
    if kind.family == "image":
        made = thumbnail(upload)
        if made is not None:
            data, attachment.width, attachment.height = made
            attachment.thumbnail.save(server_name(KINDS["jpeg"]), ContentFile(data), save=False)
    # Every check ran before the file was stored. Should the transaction still fail, the
    # stored file is named by no row, and common.media serves no such file.
    attachment.save()
    audit.record(
        actor=actor,
        action=LibraryEvent.ATTACHMENT_ADD,
        target=item,
        changes={"file": [None, attachment.original_name]},
    )
    return attachment


@guarded("library.item.change", on="attachment", via=lambda attachment: attachment.item)
@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    """Remove a file; it leaves the disk once the removal is committed."""
    attachment = Attachment.objects.select_related("item").get(pk=attachment.pk)
    files = [(f.storage, f.name) for f in (attachment.file, attachment.thumbnail) if f]
    item = attachment.item
    attachment.delete()
    audit.record(
        actor=actor,
        action=LibraryEvent.ATTACHMENT_REMOVE,
        target=item,
        changes={"file": [attachment.original_name, None]},
    )
    transaction.on_commit(lambda: delete_stored(files))
