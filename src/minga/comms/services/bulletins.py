"""Bulletins: written as drafts, reviewed by editors, published now or at a chosen time,
edited, withdrawn; their images (with descriptions), audio and documents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import AUDIO, DOCUMENTS, IMAGES, check_upload, server_name
from minga.common.markdown import render_markdown
from minga.common.models import Visibility
from minga.common.permissions import guarded, unguarded

from .. import activitypub
from ..audit_events import CommsEvent
from ..models import Bulletin, BulletinMedia, Campaign, Programme, PublicationSchedule, Tag
from ..types import BulletinKind, BulletinStatus, MediaKind

if TYPE_CHECKING:
    from minga.registry.models import Organization

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_AUDIO_BYTES = 200 * 1024 * 1024
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
MAX_TAGS = 12
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
VIDEO_LINK = re.compile(r"^https://\S+$")


@dataclass
class BulletinData:
    """What a writer fills in; the organization and status are not theirs to choose here."""

    title: str = ""
    body: str = ""
    language: str = "es"
    kind: str = BulletinKind.ARTICLE
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    region: Any = None
    country: str = ""
    campaign: Campaign | None = None
    programme: Programme | None = None
    video_links: list[str] = field(default_factory=list)
    visibility: str = Visibility.PUBLIC
    visible_to: list[Any] = field(default_factory=list)


def _person_or_none(actor: Any) -> Any:
    """The person acting, or None for the server itself (the worker, the command line)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _clean_language(code: str, field_name: str = "language") -> str:
    code = (code or "").strip()
    if not LANGUAGE.match(code):
        raise DomainError(
            _("Write a language code such as es, pt or ht."), field_name, code="bad_language"
        )
    return code


def _tag_slugs(names: list[str]) -> list[str]:
    slugs = []
    for name in names:
        slug = slugify(name.strip().lstrip("#"), allow_unicode=True)[:60]
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_TAGS:
        raise DomainError(
            _("At most %(count)d tags.") % {"count": MAX_TAGS}, "tags", code="too_many_tags"
        )
    return slugs


def _validate(data: BulletinData, organization: Organization | None) -> None:
    if data.kind not in BulletinKind.values:
        raise DomainError(_("Choose an article or a short note."), "kind", code="bad_kind")
    if data.kind == BulletinKind.ARTICLE and not data.title.strip():
        raise DomainError(_("An article needs a title."), "title", code="title_required")
    if not data.body.strip():
        raise DomainError(_("Write the text of the bulletin."), "body", code="body_required")
    _clean_language(data.language)
    if data.visibility not in Visibility.values:
        raise DomainError(_("Choose who may read it."), "visibility", code="bad_visibility")
    if data.visibility == Visibility.ORGANIZATIONS and not data.visible_to:
        raise DomainError(
            _("Name the organizations whose members may read it."),
            "visible_to",
            code="visible_to_required",
        )
    for link in data.video_links:
        if not VIDEO_LINK.match(link):
            raise DomainError(
                _("Video links are https addresses, one a line."), "video_links", code="bad_link"
            )
    if data.programme is not None and data.programme.organization_id != getattr(
        organization, "pk", None
    ):
        raise DomainError(
            _("The programme belongs to another organization."), "programme", code="bad_programme"
        )


def _apply(bulletin: Bulletin, data: BulletinData) -> None:
    bulletin.kind = data.kind
    bulletin.title = data.title.strip()
    bulletin.summary = data.summary.strip()
    bulletin.body = data.body
    bulletin.body_html = str(render_markdown(data.body))
    bulletin.language = data.language
    bulletin.region = data.region
    bulletin.country = data.country or ""
    bulletin.campaign = data.campaign
    bulletin.programme = data.programme
    bulletin.video_links = list(data.video_links)
    bulletin.visibility = data.visibility


def _relations(bulletin: Bulletin, data: BulletinData) -> None:
    bulletin.tags.set([Tag.objects.get_or_create(slug=slug)[0] for slug in _tag_slugs(data.tags)])
    bulletin.visible_to_organizations.set(
        data.visible_to if data.visibility == Visibility.ORGANIZATIONS else []
    )


@guarded("comms.bulletin.create", on="organization")
@transaction.atomic
def bulletin_create(*, actor: Any, organization: Organization, data: BulletinData) -> Bulletin:
    """A new draft of the organization, written by the actor."""
    _validate(data, organization)
    bulletin = Bulletin(
        organization=organization, author=_person_or_none(actor), status=BulletinStatus.DRAFT
    )
    _apply(bulletin, data)
    bulletin.save()
    _relations(bulletin, data)
    audit.record(actor=actor, action=CommsEvent.BULLETIN_CREATE, target=bulletin)
    return bulletin


def _locked(bulletin: Bulletin) -> Bulletin:
    return (
        Bulletin.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=bulletin.pk)
    )


@guarded("comms.bulletin.change", on="bulletin")
@transaction.atomic
def bulletin_update(*, actor: Any, bulletin: Bulletin, data: BulletinData) -> Bulletin:
    """Change the text and details; a published bulletin shows that it was edited, and its
    followers' servers get the new version."""
    bulletin = _locked(bulletin)
    if bulletin.status == BulletinStatus.WITHDRAWN:
        raise DomainError(
            _("A withdrawn bulletin cannot be edited."),
            "status",
            code="bulletin_withdrawn",
            status=409,
        )
    _validate(data, bulletin.organization)
    _apply(bulletin, data)
    if bulletin.status == BulletinStatus.PUBLISHED:
        bulletin.edited_at = timezone.now()
    bulletin.save()
    _relations(bulletin, data)
    audit.record(actor=actor, action=CommsEvent.BULLETIN_UPDATE, target=bulletin)
    if bulletin.status == BulletinStatus.PUBLISHED:
        activitypub.sync(bulletin)
    return bulletin


@guarded("comms.bulletin.change", on="bulletin")
@transaction.atomic
def bulletin_submit(*, actor: Any, bulletin: Bulletin) -> Bulletin:
    """Send a draft to the organization's editors for review."""
    bulletin = _locked(bulletin)
    if bulletin.status != BulletinStatus.DRAFT:
        raise DomainError(
            _("Only a draft can be sent for review."), "status", code="not_a_draft", status=409
        )
    bulletin.status = BulletinStatus.IN_REVIEW
    bulletin.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=CommsEvent.BULLETIN_SUBMIT, target=bulletin)
    return bulletin


@guarded("comms.bulletin.publish", on="bulletin")
@transaction.atomic
def bulletin_return(*, actor: Any, bulletin: Bulletin, note: str = "") -> Bulletin:
    """Send a bulletin waiting for review (or scheduled) back to its author, with a note."""
    bulletin = _locked(bulletin)
    if bulletin.status not in (BulletinStatus.IN_REVIEW, BulletinStatus.SCHEDULED):
        raise DomainError(
            _("Only a bulletin waiting for review or scheduled can be sent back."),
            "status",
            code="not_in_review",
            status=409,
        )
    bulletin.status = BulletinStatus.DRAFT
    bulletin.review_note = note.strip()
    bulletin.publish_at = None
    bulletin.save(update_fields=["status", "review_note", "publish_at", "updated_at"])
    PublicationSchedule.objects.filter(bulletin=bulletin, state="waiting").update(
        state="cancelled", next_attempt_at=None
    )
    audit.record(actor=actor, action=CommsEvent.BULLETIN_RETURN, target=bulletin, reason=note)
    return bulletin


def _check_publishable(bulletin: Bulletin) -> None:
    if bulletin.status in (BulletinStatus.PUBLISHED, BulletinStatus.WITHDRAWN):
        raise DomainError(
            _("This bulletin is already published or withdrawn."),
            "status",
            code="already_published",
            status=409,
        )
    missing = bulletin.media.filter(kind=MediaKind.IMAGE, alt_text="").exists()
    if missing:
        raise DomainError(
            _("Describe every image for people who cannot see it before publishing."),
            "alt_text",
            code="alt_text_required",
        )


@guarded("comms.bulletin.publish", on="bulletin")
@transaction.atomic
def bulletin_publish(*, actor: Any, bulletin: Bulletin, at: datetime | None = None) -> Bulletin:
    """Publish now, or schedule for ``at``; the worker publishes scheduled bulletins on time."""
    bulletin = _locked(bulletin)
    _check_publishable(bulletin)
    now = timezone.now()
    bulletin.reviewed_by = _person_or_none(actor)
    if at is not None and at > now:
        bulletin.status = BulletinStatus.SCHEDULED
        bulletin.publish_at = at
        bulletin.save(update_fields=["status", "publish_at", "reviewed_by", "updated_at"])
        schedule, _created = PublicationSchedule.objects.get_or_create(
            bulletin=bulletin, defaults={"state": "waiting", "next_attempt_at": at}
        )
        schedule.move_to("waiting", at=at)
        schedule.save()
        audit.record(
            actor=actor,
            action=CommsEvent.BULLETIN_SCHEDULE,
            target=bulletin,
            changes={"publish_at": at.isoformat()},
        )
        return bulletin
    _publish(bulletin, now)
    audit.record(actor=actor, action=CommsEvent.BULLETIN_PUBLISH, target=bulletin)
    return bulletin


def _publish(bulletin: Bulletin, now: datetime) -> None:
    bulletin.status = BulletinStatus.PUBLISHED
    bulletin.published_at = now
    bulletin.publish_at = None
    bulletin.save(
        update_fields=["status", "published_at", "publish_at", "reviewed_by", "updated_at"]
    )
    PublicationSchedule.objects.filter(bulletin=bulletin, state="waiting").update(
        state="done", next_attempt_at=None
    )
    activitypub.sync(bulletin)


@unguarded("the worker publishes a bulletin at the time one of its editors chose")
def publish_scheduled(schedule: PublicationSchedule) -> str:
    bulletin = _locked(schedule.bulletin)
    if bulletin.status != BulletinStatus.SCHEDULED:
        return "cancelled"
    # The worker runs this once the schedule is due (its time moves with the bulletin's).
    _publish(bulletin, bulletin.publish_at or timezone.now())
    audit.record(actor=None, action=CommsEvent.BULLETIN_PUBLISH, target=bulletin)
    return "done"


@guarded("comms.bulletin.publish", on="bulletin")
@transaction.atomic
def bulletin_withdraw(*, actor: Any, bulletin: Bulletin, reason: str = "") -> Bulletin:
    """Take a bulletin down; followers' servers are told to delete it."""
    bulletin = _locked(bulletin)
    if bulletin.status == BulletinStatus.WITHDRAWN:
        return bulletin
    bulletin.status = BulletinStatus.WITHDRAWN
    bulletin.save(update_fields=["status", "updated_at"])
    PublicationSchedule.objects.filter(bulletin=bulletin, state="waiting").update(
        state="cancelled", next_attempt_at=None
    )
    activitypub.sync(bulletin)
    audit.record(actor=actor, action=CommsEvent.BULLETIN_WITHDRAW, target=bulletin, reason=reason)
    return bulletin


def _audio_duration(upload: Any) -> int | None:
    """Seconds of audio, read from the file's own headers (None when they do not say)."""
    import mutagen

    upload.seek(0)
    try:
        found = mutagen.File(upload)
    except Exception:  # mutagen raises many kinds of errors on damaged files
        found = None
    finally:
        upload.seek(0)
    length = getattr(getattr(found, "info", None), "length", None)
    return round(length) if length else None


def _image_size(upload: Any) -> tuple[int | None, int | None]:
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            return image.width, image.height
    except OSError:
        return None, None
    finally:
        upload.seek(0)


@guarded("comms.bulletin.change", on="bulletin")
@transaction.atomic
def media_add(
    *, actor: Any, bulletin: Bulletin, upload: Any, alt_text: str = "", title: str = ""
) -> BulletinMedia:
    """Attach an image (its description is required), an audio recording or a document."""
    bulletin = _locked(bulletin)
    kind = check_upload(
        upload,
        allowed=IMAGES | AUDIO | DOCUMENTS,
        max_bytes=MAX_AUDIO_BYTES,
        field="file",
    )
    limit = {"image": MAX_IMAGE_BYTES, "audio": MAX_AUDIO_BYTES}.get(
        kind.family, MAX_DOCUMENT_BYTES
    )
    size = int(getattr(upload, "size", 0) or 0)
    if size > limit:
        raise DomainError(
            _("The file is larger than %(size)s.") % {"size": f"{limit // (1024 * 1024)} MB"},
            "file",
            code="file_too_large",
        )
    family = {"image": MediaKind.IMAGE, "audio": MediaKind.AUDIO}.get(
        kind.family, MediaKind.DOCUMENT
    )
    if family == MediaKind.IMAGE and not alt_text.strip():
        raise DomainError(
            _("Describe the image for people who cannot see it."),
            "alt_text",
            code="alt_text_required",
        )
    media = BulletinMedia(
        bulletin=bulletin,
        kind=family,
        alt_text=alt_text.strip(),
        title=title.strip(),
        mime=kind.mime,
        size_bytes=size,
        position=bulletin.media.count(),
    )
    if family == MediaKind.IMAGE:
        media.width, media.height = _image_size(upload)
    elif family == MediaKind.AUDIO:
        media.duration_seconds = _audio_duration(upload)
    media.file.save(server_name(kind), File(upload), save=False)
    media.save()
    audit.record(actor=actor, action=CommsEvent.MEDIA_ADD, target=bulletin)
    if bulletin.status == BulletinStatus.PUBLISHED:
        activitypub.sync(bulletin)
    return media


@guarded("comms.bulletin.change", on="media", via=lambda media: media.bulletin)
@transaction.atomic
def media_remove(*, actor: Any, media: BulletinMedia) -> None:
    bulletin = _locked(media.bulletin)
    media.file.delete(save=False)
    media.delete()
    audit.record(actor=actor, action=CommsEvent.MEDIA_REMOVE, target=bulletin)
    if bulletin.status == BulletinStatus.PUBLISHED:
        activitypub.sync(bulletin)
