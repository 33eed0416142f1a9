"""Campaigns (with the organizations taking part and their materials), radio programmes,
and events: days of mobilization, actions, broadcasts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import AUDIO, DOCUMENTS, IMAGES, check_upload, server_name
from minga.common.models import Visibility
from minga.common.permissions import guarded

from .. import activitypub
from ..audit_events import CommsEvent
from ..models import Campaign, CampaignMaterial, CampaignParticipation, Event, Programme
from ..types import EventKind, MaterialKind
from .bulletins import _clean_language, _person_or_none

if TYPE_CHECKING:
    from minga.registry.models import Organization

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
MAX_MATERIAL_BYTES = 100 * 1024 * 1024


def _visibility(visibility: str, visible_to: list[Any]) -> None:
    if visibility not in Visibility.values:
        raise DomainError(_("Choose who may read it."), "visibility", code="bad_visibility")
    if visibility == Visibility.ORGANIZATIONS and not visible_to:
        raise DomainError(
            _("Name the organizations whose members may read it."),
            "visible_to",
            code="visible_to_required",
        )


@dataclass
class CampaignData:
    title: str
    starts_on: date
    slug: str = ""
    summary: str = ""
    description: str = ""
    goals: str = ""
    language: str = "es"
    ends_on: date | None = None
    region: Any = None
    visibility: str = Visibility.PUBLIC
    visible_to: list[Any] = field(default_factory=list)


def _validate_campaign(data: CampaignData) -> None:
    if not data.title.strip():
        raise DomainError(_("A campaign needs a title."), "title", code="title_required")
    if data.ends_on and data.ends_on < data.starts_on:
        raise DomainError(
            _("A campaign cannot end before it starts."), "ends_on", code="ends_before_start"
        )
    _clean_language(data.language)
    _visibility(data.visibility, data.visible_to)


def _apply_campaign(campaign: Campaign, data: CampaignData) -> None:
    campaign.title = data.title.strip()
    campaign.summary = data.summary.strip()
    campaign.description = data.description
    campaign.goals = data.goals
    campaign.language = data.language
    campaign.starts_on = data.starts_on
    campaign.ends_on = data.ends_on
    campaign.region = data.region
    campaign.visibility = data.visibility


@guarded("comms.campaign.create", on="organization")
@transaction.atomic
def campaign_create(*, actor: Any, organization: Organization, data: CampaignData) -> Campaign:
    """A new campaign promoted by the organization, which takes part in it from the start."""
    _validate_campaign(data)
    slug = data.slug.strip().lower() or slugify(data.title)[:70]
    if not SLUG.match(slug):
        raise DomainError(
            _("A short code has lowercase letters, digits and dashes."), "slug", code="bad_slug"
        )
    if Campaign.objects.filter(slug=slug).exists():
        raise DomainError(_("This short code is taken."), "slug", code="slug_taken", status=409)
    campaign = Campaign(organization=organization, slug=slug)
    _apply_campaign(campaign, data)
    campaign.save()
    campaign.visible_to_organizations.set(
        data.visible_to if data.visibility == Visibility.ORGANIZATIONS else []
    )
    CampaignParticipation.objects.create(
        campaign=campaign, organization=organization, joined_by=_person_or_none(actor)
    )
    audit.record(actor=actor, action=CommsEvent.CAMPAIGN_CREATE, target=campaign)
    activitypub.sync(campaign)
    return campaign


@guarded("comms.campaign.change", on="campaign")
@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, data: CampaignData) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=campaign.pk)
    )
    _validate_campaign(data)
    _apply_campaign(campaign, data)
    campaign.save()
    campaign.visible_to_organizations.set(
        data.visible_to if data.visibility == Visibility.ORGANIZATIONS else []
    )
    audit.record(actor=actor, action=CommsEvent.CAMPAIGN_UPDATE, target=campaign)
    activitypub.sync(campaign)
    return campaign


def _open_campaign(campaign: Campaign) -> None:
    if campaign.is_remote:
        raise DomainError(
            _("This campaign is run from another server; join it there."),
            "campaign",
            code="campaign_remote",
        )
    if campaign.ends_on and campaign.ends_on < timezone.localdate():
        raise DomainError(
            _("This campaign has ended."), "campaign", code="campaign_ended", status=409
        )


@guarded("comms.campaign.take_part", on="organization")
@transaction.atomic
def campaign_join(
    *, actor: Any, campaign: Campaign, organization: Organization
) -> CampaignParticipation:
    """The organization takes part in the campaign (joining twice is joining once)."""
    _open_campaign(campaign)
    existing = CampaignParticipation.objects.filter(
        campaign=campaign, organization=organization, left_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            participation = CampaignParticipation.objects.create(
                campaign=campaign, organization=organization, joined_by=_person_or_none(actor)
            )
    except IntegrityError:
        return CampaignParticipation.objects.get(
            campaign=campaign, organization=organization, left_at__isnull=True
        )
    audit.record(actor=actor, action=CommsEvent.CAMPAIGN_JOIN, target=participation)
    return participation


@guarded("comms.campaign.take_part", on="organization")
@transaction.atomic
def campaign_leave(*, actor: Any, campaign: Campaign, organization: Organization) -> None:
    """The organization stops taking part; its participation stays in the history."""
    participation = (
        CampaignParticipation.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, organization=organization, left_at__isnull=True)
        .first()
    )
    if participation is None:
        return
    if campaign.organization_id == organization.pk:
        raise DomainError(
            _("The organization that promotes a campaign cannot leave it."),
            "organization",
            code="promoter_cannot_leave",
            status=409,
        )
    participation.left_at = timezone.now()
    participation.save(update_fields=["left_at"])
    audit.record(actor=actor, action=CommsEvent.CAMPAIGN_LEAVE, target=participation)


@dataclass
class MaterialData:
    kind: str
    title: str
    link: str = ""
    alt_text: str = ""
    language: str = "es"


@guarded("comms.campaign.add_material", on="campaign")
@transaction.atomic
def material_add(
    *, actor: Any, campaign: Campaign, data: MaterialData, upload: Any = None
) -> CampaignMaterial:
    """A poster, text, audio or video for the campaign: a file, or a link to one."""
    if data.kind not in MaterialKind.values:
        raise DomainError(_("Choose what kind of material it is."), "kind", code="bad_kind")
    if not data.title.strip():
        raise DomainError(_("Give the material a title."), "title", code="title_required")
    if upload is None and not data.link.startswith("https://"):
        raise DomainError(
            _("Attach a file or give an https link."), "file", code="material_required"
        )
    _clean_language(data.language)
    material = CampaignMaterial(
        campaign=campaign,
        kind=data.kind,
        title=data.title.strip(),
        link=data.link if upload is None else "",
        alt_text=data.alt_text.strip(),
        language=data.language,
        added_by=_person_or_none(actor),
    )
    if upload is not None:
        kind = check_upload(
            upload, allowed=IMAGES | AUDIO | DOCUMENTS, max_bytes=MAX_MATERIAL_BYTES, field="file"
        )
        if kind.family == "image" and not data.alt_text.strip():
            raise DomainError(
                _("Describe the image for people who cannot see it."),
                "alt_text",
                code="alt_text_required",
            )
        material.file.save(server_name(kind), File(upload), save=False)
    material.save()
    audit.record(actor=actor, action=CommsEvent.MATERIAL_ADD, target=campaign)
    return material


@dataclass
class ProgrammeData:
    title: str
    slug: str = ""
    description: str = ""
    language: str = "es"
    category: str = "News"


@guarded("comms.programme.manage", on="organization")
@transaction.atomic
def programme_save(
    *,
    actor: Any,
    organization: Organization,
    data: ProgrammeData,
    programme: Programme | None = None,
) -> Programme:
    """Create (or change) a community-radio programme of the organization."""
    if not data.title.strip():
        raise DomainError(_("A programme needs a title."), "title", code="title_required")
    _clean_language(data.language)
    slug = data.slug.strip().lower() or slugify(data.title)[:70]
    if not SLUG.match(slug):
        raise DomainError(
            _("A short code has lowercase letters, digits and dashes."), "slug", code="bad_slug"
        )
    if programme is not None and programme.organization_id != organization.pk:
        raise DomainError(
            _("The programme belongs to another organization."), "programme", code="bad_programme"
        )
    clash = Programme.objects.filter(organization=organization, slug=slug)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise DomainError(_("This short code is taken."), "slug", code="slug_taken", status=409)
    programme = programme or Programme(organization=organization)
    programme.slug = slug
    programme.title = data.title.strip()
    programme.description = data.description
    programme.language = data.language
    programme.category = data.category.strip()[:80] or "News"
    programme.save()
    audit.record(actor=actor, action=CommsEvent.PROGRAMME_SAVE, target=programme)
    return programme


@dataclass
class EventData:
    title: str
    starts_at: datetime
    time_zone: str = "UTC"
    ends_at: datetime | None = None
    kind: str = EventKind.EVENT
    description: str = ""
    language: str = "es"
    all_day: bool = False
    place: str = ""
    address: str = ""
    country: str = ""
    region: Any = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    campaign: Campaign | None = None
    yearly: bool = False
    recurrence_until: date | None = None
    co_organizers: list[Any] = field(default_factory=list)
    visibility: str = Visibility.PUBLIC
    visible_to: list[Any] = field(default_factory=list)


def _validate_event(data: EventData, organization: Organization | None) -> None:
    if not data.title.strip():
        raise DomainError(_("An event needs a title."), "title", code="title_required")
    if data.kind not in EventKind.values:
        raise DomainError(_("Choose what kind of event it is."), "kind", code="bad_kind")
    if data.starts_at.tzinfo is None:
        raise DomainError(_("Give the time with its time zone."), "starts_at", code="naive_time")
    try:
        ZoneInfo(data.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(
            _("Choose a time zone such as America/Caracas."), "time_zone", code="bad_time_zone"
        ) from error
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise DomainError(
            _("An event cannot end before it starts."), "ends_at", code="ends_before_start"
        )
    if not (data.place.strip() or data.address.strip() or data.online_url.strip()):
        raise DomainError(
            _("Say where it happens: a place, an address or an online link."),
            "place",
            code="place_required",
        )
    if data.online_url and not data.online_url.startswith(("https://", "http://")):
        raise DomainError(
            _("The online link must be a web address."), "online_url", code="bad_link"
        )
    if (data.latitude is None) != (data.longitude is None):
        raise DomainError(
            _("Give both the latitude and the longitude, or neither."),
            "latitude",
            code="coordinates_incomplete",
        )
    if data.latitude is not None and not (-90 <= data.latitude <= 90):
        raise DomainError(_("Latitude is between -90 and 90."), "latitude", code="bad_latitude")
    if data.longitude is not None and not (-180 <= data.longitude <= 180):
        raise DomainError(
            _("Longitude is between -180 and 180."), "longitude", code="bad_longitude"
        )
    if data.recurrence_until and not data.yearly:
        raise DomainError(
            _("Only a yearly event repeats until a date."),
            "recurrence_until",
            code="recurrence_without_rule",
        )
    if data.campaign is not None and data.campaign.is_remote:
        raise DomainError(
            _("Events of a campaign run elsewhere are announced there."),
            "campaign",
            code="campaign_remote",
        )
    if any(org.pk == getattr(organization, "pk", None) for org in data.co_organizers):
        raise DomainError(
            _("The organizer is already listed."), "co_organizers", code="organizer_twice"
        )
    _clean_language(data.language)
    _visibility(data.visibility, data.visible_to)


def _apply_event(event: Event, data: EventData) -> None:
    for name in (
        "title",
        "kind",
        "description",
        "language",
        "starts_at",
        "ends_at",
        "time_zone",
        "all_day",
        "place",
        "address",
        "country",
        "region",
        "latitude",
        "longitude",
        "online_url",
        "campaign",
        "yearly",
        "recurrence_until",
        "visibility",
    ):
        setattr(event, name, getattr(data, name))
    event.title = event.title.strip()


def _event_relations(event: Event, data: EventData) -> None:
    event.co_organizers.set(data.co_organizers)
    event.visible_to_organizations.set(
        data.visible_to if data.visibility == Visibility.ORGANIZATIONS else []
    )


@guarded("comms.event.create", on="organization")
@transaction.atomic
def event_create(*, actor: Any, organization: Organization, data: EventData) -> Event:
    """Announce an event; a public one reaches the organization's followers elsewhere."""
    _validate_event(data, organization)
    event = Event(organization=organization)
    _apply_event(event, data)
    event.save()
    _event_relations(event, data)
    audit.record(actor=actor, action=CommsEvent.EVENT_CREATE, target=event)
    activitypub.sync(event)
    return event


def _refuse_if_published_elsewhere(event: Event) -> None:
    """An event another app published (a course's session) is changed in that app only."""
    if event.source_key:
        raise DomainError(
            _("This event belongs to another part of the platform; change it there."),
            "event",
            code="event_published_elsewhere",
            status=409,
        )


@guarded("comms.event.change", on="event")
@transaction.atomic
def event_update(*, actor: Any, event: Event, data: EventData) -> Event:
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=event.pk)
    )
    _refuse_if_published_elsewhere(event)
    _validate_event(data, event.organization)
    _apply_event(event, data)
    event.sequence += 1
    event.save()
    _event_relations(event, data)
    audit.record(actor=actor, action=CommsEvent.EVENT_UPDATE, target=event)
    activitypub.sync(event)
    return event


@guarded("comms.event.change", on="event")
@transaction.atomic
def event_cancel(*, actor: Any, event: Event, reason: str = "") -> Event:
    """Mark the event cancelled; it stays on the calendar, struck through."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=event.pk)
    )
    _refuse_if_published_elsewhere(event)
    if event.cancelled:
        return event
    event.cancelled = True
    event.sequence += 1
    event.save(update_fields=["cancelled", "sequence", "updated_at"])
    audit.record(actor=actor, action=CommsEvent.EVENT_CANCEL, target=event, reason=reason)
    activitypub.sync(event)
    return event
