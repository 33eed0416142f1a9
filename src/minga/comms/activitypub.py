"""The network's content as ActivityPub objects, out and in.

Out: a public, published bulletin is an ``Article`` (or a ``Note`` for a short note) with
its title, text, language, tags, images (with their descriptions), audio and documents; an
event is an ``Event`` with its start and end, time zone, place and online link; a campaign
is an ``Article`` that other Minga servers recognize by ``mingaKind: campaign`` (with its
dates and goals), which other software shows as an article. Their ids are their pages'
addresses, which answer with the object to ``Accept: application/activity+json``.
:func:`sync` decides after each change whether followers' servers get a Create, an Update
or a Delete: only what is public and published ever leaves.

In: :class:`Inbound` stores what followed actors publish (their bulletins, events and
campaigns, clearly marked as theirs) and replies, boosts and likes of ours.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Model
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from minga.common.markdown import render_markdown
from minga.common.models import Visibility
from minga.federation import activitypub as ap
from minga.federation import selectors as federation
from minga.federation import services as federation_services
from minga.federation.types import PUBLIC

from .models import Bulletin, BulletinMedia, Campaign, Event, Reaction, Tag
from .types import BulletinKind, BulletinStatus, MediaKind, ReactionKind

_TAG = re.compile(r"[^\w-]+", re.UNICODE)


def _addressing(organization: Any) -> dict[str, Any]:
    return {
        "attributedTo": ap.actor_uri(organization),
        "to": [PUBLIC],
        "cc": [ap.followers_uri(organization)],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def _hashtags(names: list[str]) -> list[dict[str, str]]:
    return [
        {"type": "Hashtag", "name": f"#{name}", "href": ap.absolute(f"/comms/tags/{name}/")}
        for name in names
    ]


def bulletin_object(bulletin: Bulletin) -> dict[str, Any]:
    organization = bulletin.organization
    html = bulletin.body_html
    kind = "Note" if bulletin.kind == BulletinKind.NOTE or not bulletin.title else "Article"
    url = ap.absolute(bulletin.get_absolute_url())
    tags = [tag.slug for tag in bulletin.tags.all()]
    attachments: list[dict[str, Any]] = []
    for media in bulletin.media.all():
        item: dict[str, Any] = {
            "type": {"image": "Image", "audio": "Audio"}.get(media.kind, "Document"),
            "mediaType": media.mime,
            "url": ap.absolute(media.file.url) if media.file else media.remote_url,
            "name": media.alt_text or media.title,
        }
        if media.width and media.height:
            item["width"], item["height"] = media.width, media.height
        if media.duration_seconds:
            item["duration"] = f"PT{media.duration_seconds}S"
        attachments.append(item)
    for link in bulletin.video_links:
        attachments.append({"type": "Link", "href": link, "mediaType": "text/html"})
    content = html
    if kind == "Note" and bulletin.title:
        content = f"<p><strong>{bulletin.title}</strong></p>{html}"
    document: dict[str, Any] = {
        "id": url,
        "type": kind,
        "url": url,
        "published": _iso(bulletin.published_at),
        "content": content + (f'<p><a href="{url}">{url}</a></p>' if kind == "Article" else ""),
        "contentMap": {bulletin.language: content},
        "mediaType": "text/html",
        "tag": _hashtags(tags),
        "attachment": attachments,
        "mingaKind": bulletin.kind,
        **_addressing(organization),
    }
    if kind == "Article":
        document["name"] = bulletin.title
    if bulletin.summary:
        document["summary"] = bulletin.summary
    if bulletin.edited_at:
        document["updated"] = _iso(bulletin.edited_at)
    if bulletin.campaign_id and bulletin.campaign and not bulletin.campaign.is_remote:
        document["mingaCampaign"] = ap.absolute(bulletin.campaign.get_absolute_url())
    return document


def event_object(event: Event) -> dict[str, Any]:
    url = ap.absolute(event.get_absolute_url())
    html = str(render_markdown(event.description))
    document: dict[str, Any] = {
        "id": url,
        "type": "Event",
        "url": url,
        "name": event.title,
        "content": html,
        "contentMap": {event.language: html},
        "mediaType": "text/html",
        "startTime": _iso(event.starts_at),
        "endTime": _iso(event.ends_at),
        "timezone": event.time_zone,
        "published": _iso(event.created_at),
        "updated": _iso(event.updated_at),
        "mingaKind": event.kind,
        **_addressing(event.organization),
    }
    if event.place or event.address or event.latitude is not None:
        location: dict[str, Any] = {"type": "Place", "name": event.place or event.address}
        if event.address:
            location["address"] = event.address
        if event.latitude is not None and event.longitude is not None:
            location["latitude"] = float(event.latitude)
            location["longitude"] = float(event.longitude)
        if event.country:
            location["mingaCountry"] = str(event.country)
        document["location"] = location
    if event.online_url:
        document["attachment"] = [
            {"type": "Link", "href": event.online_url, "mediaType": "text/html", "name": "online"}
        ]
    if event.yearly:
        document["mingaRecurrence"] = "FREQ=YEARLY" + (
            f";UNTIL={event.recurrence_until:%Y%m%d}" if event.recurrence_until else ""
        )
    if event.cancelled:
        document["mingaCancelled"] = True
        document["name"] = event.title
    if event.campaign_id and event.campaign and not event.campaign.is_remote:
        document["mingaCampaign"] = ap.absolute(event.campaign.get_absolute_url())
    return document


def campaign_object(campaign: Campaign) -> dict[str, Any]:
    url = ap.absolute(campaign.get_absolute_url())
    html = str(render_markdown(campaign.description))
    goals = str(render_markdown(campaign.goals))
    return {
        "id": url,
        "type": "Article",
        "url": url,
        "name": campaign.title,
        "summary": campaign.summary or None,
        "content": html + goals + f'<p><a href="{url}">{url}</a></p>',
        "contentMap": {campaign.language: html},
        "mediaType": "text/html",
        "published": _iso(campaign.created_at),
        "updated": _iso(campaign.updated_at),
        "mingaKind": "campaign",
        "mingaGoals": goals,
        "mingaStartDate": campaign.starts_on.isoformat(),
        "mingaEndDate": campaign.ends_on.isoformat() if campaign.ends_on else None,
        **_addressing(campaign.organization),
    }


def tombstone(obj: Model, kind: str) -> dict[str, Any]:
    url = ap.absolute(obj.get_absolute_url())  # type: ignore[attr-defined]
    return {"id": url, "type": "Tombstone", "formerType": kind, "deleted": _iso(timezone.now())}


def _should_travel(obj: Any) -> bool:
    if getattr(obj, "remote_actor_id", None) is not None or obj.organization_id is None:
        return False
    if getattr(obj, "audience_id", None) is not None:
        return False  # published for a closed group (a hidden course's sessions)
    if obj.visibility != Visibility.PUBLIC or obj.organization.visibility != Visibility.PUBLIC:
        return False
    if isinstance(obj, Bulletin):
        return bool(obj.status == BulletinStatus.PUBLISHED)
    return True


def sync(obj: Bulletin | Event | Campaign, *, deleted: bool = False) -> str | None:
    """Tell followers' servers about a change (in the caller's transaction): a Create the
    first time a public object goes out, an Update after, a Delete when it is withdrawn,
    restricted or deleted. Returns the verb sent, or None."""
    organization = obj.organization
    if organization is None:  # copies of other servers' objects never travel from here
        return None
    travels = not deleted and _should_travel(obj)
    builders: dict[type, Callable[[Any], dict[str, Any]]] = {
        Bulletin: bulletin_object,
        Event: event_object,
        Campaign: campaign_object,
    }
    builder = builders[type(obj)]
    if travels:
        verb = "Update" if obj.federated_at else "Create"
        federation_services.publish(organization=organization, verb=verb, obj=builder(obj))
        if not obj.federated_at:
            obj.federated_at = timezone.now()
            type(obj).objects.filter(pk=obj.pk).update(federated_at=obj.federated_at)
        return verb
    if obj.federated_at:
        kind = "Event" if isinstance(obj, Event) else "Article"
        federation_services.publish(
            organization=organization, verb="Delete", obj=tombstone(obj, kind)
        )
        obj.federated_at = None
        if not deleted:
            type(obj).objects.filter(pk=obj.pk).update(federated_at=None)
        return "Delete"
    return None


# Incoming -----------------------------------------------------------------------------


def local_object(uri: str) -> Bulletin | Event | Campaign | None:
    """One of our public objects from its address, or None."""
    if not uri.startswith(ap.site() + "/"):
        return None
    try:
        match = resolve(urlsplit(uri).path)
    except Resolver404:
        return None
    name = f"{match.namespace}:{match.url_name}"
    if name == "comms:bulletin":
        return Bulletin.objects.filter(
            uuid=match.kwargs["uuid"], status=BulletinStatus.PUBLISHED, visibility=Visibility.PUBLIC
        ).first()
    if name == "comms:event":
        return Event.objects.filter(uuid=match.kwargs["uuid"], visibility=Visibility.PUBLIC).first()
    if name == "comms:campaign":
        return Campaign.objects.filter(
            slug=match.kwargs["slug"], visibility=Visibility.PUBLIC
        ).first()
    return None


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _html(obj: dict[str, Any]) -> str:
    content = obj.get("content")
    if not isinstance(content, str):
        content_map = obj.get("contentMap")
        if isinstance(content_map, dict) and content_map:
            content = next(iter(content_map.values()))
    return str(render_markdown(content[:100_000])) if isinstance(content, str) else ""


def _language(obj: dict[str, Any], default: str) -> str:
    content_map = obj.get("contentMap")
    if isinstance(content_map, dict) and content_map:
        return str(next(iter(content_map)))[:16]
    return default


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    moment = parse_datetime(value.replace("Z", "+00:00"))
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    return parse_date(value) if isinstance(value, str) else None


def _web_url(value: Any) -> str:
    value = ap.first(value)
    if isinstance(value, dict):
        value = value.get("href")
    if isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= 500:
        return value
    return ""


def _tags(obj: dict[str, Any]) -> list[Tag]:
    found = []
    for tag in obj.get("tag") or []:
        if isinstance(tag, dict) and tag.get("type") == "Hashtag":
            slug = slugify(_TAG.sub("", str(tag.get("name", "")).lstrip("#")), allow_unicode=True)
            if slug:
                found.append(Tag.objects.get_or_create(slug=slug[:60])[0])
    return found[:20]


def _remote_slug(title: str, uri: str) -> str:
    digest = hashlib.sha256(uri.encode()).hexdigest()[:8]
    return f"{slugify(title)[:60] or 'campaign'}-{digest}"


class Inbound:
    """What followed actors publish, and reactions to ours (see ``federation.hooks``)."""

    def create_or_update(
        self, *, actor: Any, obj: dict[str, Any], activity: dict[str, Any]
    ) -> str | None:
        uri = obj.get("id")
        if not isinstance(uri, str):
            return None
        public = ap.addressed_publicly(obj) or ap.addressed_publicly(activity)
        reply_to = ap.id_of(obj.get("inReplyTo"))
        if reply_to:
            target = local_object(reply_to)
            if target is None or not public or isinstance(target, Campaign):
                return None
            Reaction.objects.update_or_create(
                uri=uri[:500],
                defaults={
                    "kind": ReactionKind.REPLY,
                    "actor": actor,
                    "bulletin": target if isinstance(target, Bulletin) else None,
                    "event": target if isinstance(target, Event) else None,
                    "url": _web_url(obj.get("url")),
                    "content_html": _html(obj),
                    "language": _language(obj, ""),
                },
            )
            return "reply received"
        if not public or not federation.is_followed_here(actor):
            return None
        kind = ap.type_of(obj)
        if obj.get("mingaKind") == "campaign":
            return self._campaign(actor, uri, obj)
        if kind == "Event":
            return self._event(actor, uri, obj)
        if kind in ("Note", "Article", "Page"):
            return self._bulletin(actor, uri, obj)
        return None

    def _owned(self, model: type[Any], actor: Any, uri: str) -> Any:
        existing = model.objects.filter(remote_uri=uri).first()
        if existing is not None and existing.remote_actor_id != actor.pk:
            raise PermissionError("someone else's object")
        return existing

    def _bulletin(self, actor: Any, uri: str, obj: dict[str, Any]) -> str | None:
        try:
            bulletin = self._owned(Bulletin, actor, uri)
        except PermissionError:
            return None
        created = bulletin is None
        bulletin = bulletin or Bulletin(remote_uri=uri[:500], remote_actor=actor)
        published = _moment(obj.get("published")) or timezone.now()
        bulletin.kind = BulletinKind.ARTICLE if obj.get("type") == "Article" else BulletinKind.NOTE
        bulletin.title = _text(obj.get("name"), 300)
        bulletin.summary = _text(obj.get("summary"), 500)
        bulletin.body = ""
        bulletin.body_html = _html(obj)
        bulletin.language = _language(obj, "und")
        bulletin.remote_url = _web_url(obj.get("url")) or uri[:500]
        bulletin.visibility = Visibility.PUBLIC
        bulletin.status = BulletinStatus.PUBLISHED
        bulletin.published_at = published if created else bulletin.published_at
        bulletin.edited_at = None if created else timezone.now()
        bulletin.save()
        bulletin.tags.set(_tags(obj))
        bulletin.media.all().delete()
        for position, attachment in enumerate((obj.get("attachment") or [])[:8]):
            if not isinstance(attachment, dict):
                continue
            media_type = str(attachment.get("mediaType", ""))
            kind = (
                MediaKind.IMAGE
                if attachment.get("type") == "Image" or media_type.startswith("image/")
                else MediaKind.AUDIO
                if attachment.get("type") == "Audio" or media_type.startswith("audio/")
                else None
            )
            url = _web_url(attachment.get("url") or attachment.get("href"))
            if kind is None or not url:
                continue
            BulletinMedia.objects.create(
                bulletin=bulletin,
                kind=kind,
                remote_url=url,
                alt_text=_text(attachment.get("name"), 1000),
                mime=media_type[:80],
                position=position,
            )
        return "post stored" if created else "post updated"

    def _event(self, actor: Any, uri: str, obj: dict[str, Any]) -> str | None:
        try:
            event = self._owned(Event, actor, uri)
        except PermissionError:
            return None
        starts = _moment(obj.get("startTime"))
        if starts is None:
            return None
        ends = _moment(obj.get("endTime"))
        created = event is None
        event = event or Event(remote_uri=uri[:500], remote_actor=actor)
        zone = _text(obj.get("timezone"), 64) or "UTC"
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = "UTC"
        event.title = _text(obj.get("name"), 200) or "—"
        event.language = _language(obj, "und")
        event.starts_at = starts
        event.ends_at = ends if ends and ends >= starts else None
        event.time_zone = zone
        event.remote_url = _web_url(obj.get("url")) or uri[:500]
        event.visibility = Visibility.PUBLIC
        event.cancelled = bool(obj.get("mingaCancelled")) or obj.get("ical:status") == "CANCELLED"
        event.yearly = str(obj.get("mingaRecurrence", "")).startswith("FREQ=YEARLY")
        location = obj.get("location")
        location = location[0] if isinstance(location, list) and location else location
        if isinstance(location, dict):
            event.place = _text(location.get("name"), 200)
            address = location.get("address")
            event.address = _text(address if isinstance(address, str) else "", 300)
            event.latitude = _coordinate(location.get("latitude"), 90)
            event.longitude = _coordinate(location.get("longitude"), 180)
            country = _text(location.get("mingaCountry"), 2).upper()
            event.country = country if len(country) == 2 else ""
        for attachment in obj.get("attachment") or []:
            if isinstance(attachment, dict) and attachment.get("type") == "Link":
                event.online_url = _web_url(attachment.get("href"))
        event.sequence = (event.sequence or 0) + (0 if created else 1)
        event.description = _plain(_html(obj))
        event.save()
        return "event stored" if created else "event updated"

    def _campaign(self, actor: Any, uri: str, obj: dict[str, Any]) -> str | None:
        try:
            campaign = self._owned(Campaign, actor, uri)
        except PermissionError:
            return None
        starts = _day(obj.get("mingaStartDate")) or timezone.localdate()
        ends = _day(obj.get("mingaEndDate"))
        created = campaign is None
        title = _text(obj.get("name"), 200) or "—"
        campaign = campaign or Campaign(
            remote_uri=uri[:500], remote_actor=actor, slug=_remote_slug(title, uri)
        )
        campaign.title = title
        campaign.summary = _text(obj.get("summary"), 500)
        campaign.description = _plain(_html(obj))
        campaign.goals = _plain(str(render_markdown(str(obj.get("mingaGoals") or ""))))
        campaign.language = _language(obj, "und")
        campaign.starts_on = starts
        campaign.ends_on = ends if ends and ends >= starts else None
        campaign.remote_url = _web_url(obj.get("url")) or uri[:500]
        campaign.visibility = Visibility.PUBLIC
        campaign.save()
        return "campaign stored" if created else "campaign updated"

    def delete(self, *, actor: Any, uri: str) -> str | None:
        for model in (Bulletin, Event, Campaign):
            deleted, _rows = model.objects.filter(remote_uri=uri, remote_actor=actor).delete()
            if deleted:
                return f"{model._meta.model_name} deleted"
        deleted, _rows = Reaction.objects.filter(uri=uri, actor=actor).delete()
        return "reaction deleted" if deleted else None

    def delete_actor(self, *, actor: Any) -> None:
        for model in (Bulletin, Event, Campaign):
            model.objects.filter(remote_actor=actor).delete()
        Reaction.objects.filter(actor=actor).delete()

    def react(
        self, *, actor: Any, kind: str, target_uri: str, activity: dict[str, Any]
    ) -> str | None:
        target = local_object(target_uri)
        activity_id = activity.get("id")
        if target is None or isinstance(target, Campaign) or not isinstance(activity_id, str):
            return None
        Reaction.objects.update_or_create(
            uri=activity_id[:500],
            defaults={
                "kind": ReactionKind.BOOST if kind == "boost" else ReactionKind.LIKE,
                "actor": actor,
                "bulletin": target if isinstance(target, Bulletin) else None,
                "event": target if isinstance(target, Event) else None,
            },
        )
        return f"{kind} received"


def _coordinate(value: Any, limit: int) -> Decimal | None:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return number if -limit <= number <= limit else None


def _plain(html: str) -> str:
    """Sanitized HTML kept as text for fields shown as Markdown (tags dropped)."""
    import nh3

    text = nh3.clean(html.replace("</p>", "</p>\n\n").replace("<br>", "\n"), tags=set())
    return text.strip()


def outbox_items(organization: Any, page: int, size: int) -> tuple[int, list[dict[str, Any]]]:
    """The organization's public bulletins as Create activities, newest first."""
    bulletins = (
        Bulletin.objects.filter(
            organization=organization,
            status=BulletinStatus.PUBLISHED,
            visibility=Visibility.PUBLIC,
        )
        .select_related("organization", "campaign")
        .prefetch_related("tags", "media")
        .order_by("-published_at", "-id")
    )
    total = bulletins.count()
    items = []
    for bulletin in bulletins[(page - 1) * size : page * size]:
        obj = bulletin_object(bulletin)
        items.append(
            {
                "id": f"{obj['id']}#create",
                "type": "Create",
                "actor": obj["attributedTo"],
                "published": obj["published"],
                "to": obj["to"],
                "cc": obj["cc"],
                "object": obj,
            }
        )
    return total, items


def uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None
