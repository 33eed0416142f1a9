"""Events, days of action and the calendar through the API."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from minga.common.api import MAX_PAGE, ErrorOut, FieldError, caller, signed_in
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..calendar import Occurrence
from ..models import Event
from ..types import EventKind

router = Router(tags=["comms"])
MAX_WINDOW = timedelta(days=400)


class EventOut(Schema):
    uuid: UUID
    url: str
    kind: str
    title: str
    description: str
    language: str
    starts_at: datetime
    ends_at: datetime | None
    time_zone: str
    all_day: bool
    place: str
    address: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    online_url: str
    yearly: bool
    recurrence_until: date | None
    cancelled: bool
    organization: str | None
    origin: str | None
    campaign: str | None

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.remote_url or obj.get_canonical_url()

    @staticmethod
    def resolve_country(obj: Event) -> str:
        return str(obj.country or "")

    @staticmethod
    def resolve_organization(obj: Event) -> str | None:
        return obj.organization.slug if obj.organization else None

    @staticmethod
    def resolve_origin(obj: Event) -> str | None:
        return obj.remote_actor.handle if obj.remote_actor else None

    @staticmethod
    def resolve_campaign(obj: Event) -> str | None:
        return obj.campaign.slug if obj.campaign else None


class OccurrenceOut(Schema):
    starts_at: datetime
    ends_at: datetime | None
    recurring: bool
    event: EventOut


class CalendarOut(Schema):
    count: int
    items: list[OccurrenceOut]


class CalendarQuery(Schema):
    start: datetime | None = Field(None, description="Default: now")
    end: datetime | None = Field(None, description="Default: start + 31 days (at most 400)")
    region: str = ""
    country: str = ""
    campaign: str = ""
    organization: str = ""
    kind: str = ""
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)


class EventIn(Schema):
    organization: UUID
    kind: EventKind = EventKind.EVENT
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    language: str = Field("es", max_length=16)
    starts_at: datetime = Field(..., description="With its offset, e.g. 2027-03-08T10:00:00-04:00")
    ends_at: datetime | None = None
    time_zone: str = Field("UTC", description="IANA zone where it happens")
    all_day: bool = False
    place: str = ""
    address: str = ""
    country: str = Field("", max_length=2)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    campaign: str = Field("", description="The campaign's short code")
    yearly: bool = False
    recurrence_until: date | None = None
    visibility: Literal["public", "server"] = "public"


WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/calendar", response={200: CalendarOut, 422: ErrorOut})
def calendar(request: HttpRequest, query: Query[CalendarQuery]) -> Any:
    """Occurrences in a window (dated events and yearly days of action), in time order."""
    start = query.start or timezone.now()
    end = query.end or start + timedelta(days=31)
    if end <= start or end - start > MAX_WINDOW:
        raise FieldError(
            422, _("The end must come after the start, within 400 days."), "end", code="bad_window"
        )
    filters = selectors.CalendarFilters(
        region=query.region,
        country=query.country,
        campaign=query.campaign,
        organization=query.organization,
        kind=query.kind,
    )
    total, occurrences = selectors.calendar_page(
        caller(request),
        filters,
        start,
        end,
        offset=(query.page - 1) * query.page_size,
        size=query.page_size,
        related=(*selectors.CARD_RELATED, "campaign"),
        fields=None,
    )
    return {"count": total, "items": [_occurrence(o) for o in occurrences]}


def _occurrence(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "starts_at": occurrence.starts_at,
        "ends_at": occurrence.ends_at,
        "recurring": occurrence.recurring,
        "event": occurrence.event,
    }


@router.get("/events/{uuid}", response={200: EventOut, 404: ErrorOut})
def get_event(request: HttpRequest, uuid: UUID) -> Any:
    return selectors.get_event_for(caller(request), uuid)


@router.post("/events", response={201: EventOut, **WRITE})
def create_event(request: HttpRequest, payload: EventIn) -> Any:
    """Announce an event (days of action recur with ``yearly``)."""
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    campaign = selectors.get_campaign_for(user, slug=payload.campaign) if payload.campaign else None
    values = payload.dict(exclude={"organization", "campaign"})
    values["country"] = (values["country"] or str(organization.country or "")).upper()
    event = services.event_create(
        actor=user,
        organization=organization,
        data=services.EventData(**values, campaign=campaign, region=organization.region),
    )
    return Status(201, event)


@router.post("/events/{uuid}/cancel", response={200: EventOut, **WRITE})
def cancel_event(request: HttpRequest, uuid: UUID) -> Any:
    user = signed_in(request)
    event = selectors.get_event_for(user, uuid)
    return services.event_cancel(actor=user, event=event)
