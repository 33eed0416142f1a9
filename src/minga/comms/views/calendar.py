"""The shared calendar, the map of actions, events, and iCalendar feeds."""

from __future__ import annotations

import hashlib
import uuid as uuid_lib
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from minga.common import ical, worldmap
from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.common.pagination import page_number
from minga.common.permissions import has_perm, require
from minga.common.vocabulary import translated, vocabularies
from minga.federation import activitypub as ap
from minga.registry.selectors import get_organization_for

from .. import activitypub, selectors, services
from ..calendar import Occurrence, zone_of
from ..cards import EventCard, event_cards
from ..forms import CalendarFilterForm, EventForm
from ..models import Campaign, Event
from .bulletins import _form_field

PAGE_SIZE = 50


def _regions() -> list[tuple[str, str]]:
    model = vocabularies().get("regions")
    if model is None:
        return []
    rows = model._default_manager.values_list("code", "name", "names")
    return [(code, translated(names, name)) for code, name, names in rows]


def _filters(request: HttpRequest) -> tuple[CalendarFilterForm, selectors.CalendarFilters]:
    form = CalendarFilterForm(request.GET or None, regions=_regions())
    return form, selectors.CalendarFilters(**form.values())


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        if 1 <= month <= 12 and 1900 < year < 3000:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


def _grouped(occurrences: list[Occurrence]) -> list[tuple[Any, list[EventCard]]]:
    """Cards of the occurrences by the reader's local day."""
    days: dict[Any, list[EventCard]] = {}
    reader_zone = timezone.get_current_timezone()
    for occurrence, card in zip(occurrences, event_cards(occurrences), strict=True):
        day = occurrence.starts_at.astimezone(reader_zone).date()
        days.setdefault(day, []).append(card)
    return list(days.items())


def _query(filters: selectors.CalendarFilters) -> str:
    from urllib.parse import urlencode

    values = {key: value for key, value in filters.__dict__.items() if value}
    return urlencode(values)


def calendar(request: HttpRequest) -> HttpResponse:
    """The network's calendar for a month, filtered by region, country, campaign,
    organization and kind; each event at its own local time and the reader's."""
    form, filters = _filters(request)
    year, month = _month(request)
    zone = timezone.get_current_timezone()
    start, end = selectors.month_bounds(year, month, zone)
    number = page_number(request, last=100_000)
    total, occurrences = selectors.calendar_page(
        request.user, filters, start, end, offset=(number - 1) * PAGE_SIZE, size=PAGE_SIZE
    )
    previous_month = (start - timedelta(days=1)).strftime("%Y-%m")
    next_month = end.strftime("%Y-%m")
    query = _query(filters)
    context = {
        "form": form,
        "days": _grouped(occurrences),
        "month_start": start,
        "previous_month": previous_month,
        "next_month": next_month,
        "total": total,
        "page_number": number,
        "has_next": number * PAGE_SIZE < total,
        "query": query,
        "ics_url": reverse("comms:calendar_ics") + (f"?{query}" if query else ""),
        "map_url": reverse("comms:map")
        + f"?month={year}-{month:02d}"
        + (f"&{query}" if query else ""),
        "may_create": has_perm(request.user, "comms.event.create"),
    }
    return render(request, "comms/calendar.html", context)


@require_GET
@gzip_page
@cache_control(public=True, max_age=86400)
def world_svg(request: HttpRequest) -> HttpResponse:
    """The base map (Natural Earth outlines), cached by browsers for a day."""
    response = HttpResponse(worldmap.base_svg(), content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def action_map(request: HttpRequest) -> HttpResponse:
    """The map of actions in a month (or the next year), drawn on the server."""
    form, filters = _filters(request)
    if request.GET.get("month"):
        year, month = _month(request)
        start, end = selectors.month_bounds(year, month, timezone.get_current_timezone())
    else:
        start = timezone.now()
        end = start + timedelta(days=365)
    occurrences = selectors.map_occurrences(request.user, filters, start, end)
    places = [
        (
            float(o.event.latitude),
            float(o.event.longitude),
            f"{o.event.title} · {timezone.localtime(o.starts_at):%Y-%m-%d}",
            o.event.get_absolute_url(),
        )
        for o in occurrences
    ]
    tile_url = getattr(settings, "MAP_TILE_URL", "")
    context: dict[str, Any] = {
        "form": form,
        "cards": event_cards(occurrences[:200]),
        "count": len(occurrences),
        "start": start,
        "end": end,
        "calendar_url": reverse("comms:calendar")
        + (f"?{_query(filters)}" if _query(filters) else ""),
    }
    if tile_url:
        view = worldmap.tile_view(tile_url, [(lat, lon) for lat, lon, _t, _u in places])
        context["tiles"] = view
        context["view"] = view
        context["markers"] = [
            worldmap.Marker(*worldmap.mercator(lat, lon, view.zoom), title, url)
            for lat, lon, title, url in places
        ]
        context["attribution"] = getattr(settings, "MAP_TILE_ATTRIBUTION", "")
    else:
        markers = worldmap.markers(places)
        context["view"] = worldmap.view_for([(m.x, m.y) for m in markers])
        context["markers"] = markers
        context["world"] = worldmap
    return render(request, "comms/map.html", context)


def _calendar_event(event: Event) -> ical.CalendarEvent:
    location = ", ".join(part for part in (event.place, event.address) if part)
    if event.online_url:
        location = f"{location} · {event.online_url}" if location else event.online_url
    organizer = event.organization.display_name if event.organization else str(event.remote_actor)
    return ical.CalendarEvent(
        uid=f"{event.uuid}@{ap.local_domain()}",
        stamp=event.updated_at,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        all_day=event.all_day,
        summary=event.title,
        location=location,
        description=event.description,
        url=ap.absolute(event.get_absolute_url()),
        yearly=event.yearly,
        recurrence_until=event.recurrence_until,
        categories=(event.get_kind_display(),),
        latitude=float(event.latitude) if event.latitude is not None else None,
        longitude=float(event.longitude) if event.longitude is not None else None,
        organizer=organizer,
        cancelled=event.cancelled,
        sequence=event.sequence,
    )


def _ics_response(
    request: HttpRequest, filters: selectors.CalendarFilters, name: str, filename: str
) -> HttpResponse:
    """A calendar feed of public events, with validators so subscribed programs that ask
    again get "not modified" cheaply; the file itself is cached until an event changes."""
    changed, revision = selectors.feed_stamp()
    day = timezone.now().date().isoformat()  # the feed's window moves every day
    # The time of the last change as well as the revision: a database restored from a
    # backup counts its revisions again from an earlier number.
    stamp = f"{revision}|{changed.isoformat() if changed else ''}"
    tag = hashlib.sha256(f"{filters}|{stamp}|{day}|{get_language()}".encode()).hexdigest()[:32]
    etag = quote_etag(tag)
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    key = f"comms:ics:{tag}"
    body = cache.get(key)
    if body is None:
        events = selectors.feed_events(filters)
        body = ical.feed(
            (_calendar_event(event) for event in events),
            name=name,
            url=ap.site() + request.get_full_path(),
        )
        cache.set(key, body, 3600)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


@require_GET
def calendar_ics(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    return _ics_response(request, filters, _("Minga calendar"), "minga.ics")


@require_GET
def organization_ics(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_organization_for(None, slug=slug)
    return _ics_response(
        request,
        selectors.CalendarFilters(organization=organization.slug),
        organization.display_name,
        f"{organization.slug}.ics",
    )


@require_GET
def campaign_ics(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.get_campaign_for(None, slug=slug)
    return _ics_response(
        request,
        selectors.CalendarFilters(campaign=campaign.slug),
        campaign.title,
        f"{campaign.slug}.ics",
    )


@require_GET
def event_ics(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    event = selectors.get_event_for(request.user, uuid)
    body = ical.feed([_calendar_event(event)], name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.uuid}.ics"'
    return response


def event_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    if ap.wants_activity_json(request):
        event = selectors.get_event_for(None, uuid)
        if event.organization is None or event.organization.visibility != Visibility.PUBLIC:
            return ap.activity_response({"error": "not found"}, status=404)
        return ap.activity_response({"@context": ap.CONTEXT, **activitypub.event_object(event)})
    event = selectors.get_event_for(request.user, uuid)
    zone = zone_of(event.time_zone)
    now = timezone.now()
    upcoming: list[Occurrence] = []
    if event.yearly:
        from ..calendar import yearly_occurrences

        upcoming = yearly_occurrences(event, now, now + timedelta(days=366 * 3))[:3]
    context = {
        "event": event,
        "local_start": event.starts_at.astimezone(zone),
        "local_end": event.ends_at.astimezone(zone) if event.ends_at else None,
        "upcoming": upcoming,
        # Another app's event (a course's session) is changed there, through source_url.
        "may_change": not event.source_key and has_perm(request.user, "comms.event.change", event),
        "reactions": selectors.event_reactions(event)
        if has_perm(request.user, "comms.event.change", event)
        else None,
    }
    return render(request, "comms/event_detail.html", context)


def _event_form(request: HttpRequest, event: Event | None) -> EventForm:
    organizations = selectors.organizations_user_manages(request.user)
    if event is not None:
        organizations = organizations.filter(pk=event.organization_id)
    campaigns = Campaign.objects.filter(
        pk__in=selectors.campaign_list(request.user, current_only=True)
        .filter(remote_actor__isnull=True)
        .values("pk")
    )
    user_zone = getattr(request.user, "time_zone", "") or "UTC"
    if event is None:
        initial: dict[str, Any] = {
            "language": get_language() or "es",
            "time_zone": user_zone,
            "visibility": Visibility.PUBLIC,
        }
        if request.GET.get("campaign"):
            initial["campaign"] = campaigns.filter(slug=request.GET["campaign"]).first()
    else:
        zone = zone_of(event.time_zone)
        initial = {
            "organization": event.organization,
            "kind": event.kind,
            "title": event.title,
            "description": event.description,
            "language": event.language,
            "starts": event.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends": event.ends_at.astimezone(zone).replace(tzinfo=None) if event.ends_at else None,
            "time_zone": event.time_zone,
            "all_day": event.all_day,
            "place": event.place,
            "address": event.address,
            "country": event.country,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "online_url": event.online_url,
            "campaign": event.campaign,
            "yearly": event.yearly,
            "recurrence_until": event.recurrence_until,
            "visibility": event.visibility,
        }
    # Times are typed in the event's own zone: parse them without the reader's zone.
    with timezone.override(UTC):
        form = EventForm(
            request.POST or None, organizations=organizations, campaigns=campaigns, initial=initial
        )
        form.is_bound and form.is_valid()
    return form


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "comms.event.create")
    form = _event_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.to_data(),
            )
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The event is on the calendar."))
            return redirect(event)
    return render(request, "comms/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    event = selectors.get_event_for(request.user, uuid)
    require(request.user, "comms.event.change", event)
    if event.source_key:
        return _published_elsewhere(request, event)
    form = _event_form(request, event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=form.to_data())
        except DomainError as error:
            form.add_error(_form_field(form, error.field), error.message)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(event)
    return render(request, "comms/event_form.html", {"form": form, "event": event})


@login_required
@require_POST
def event_cancel(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    event = selectors.get_event_for(request.user, uuid)
    if event.source_key:
        return _published_elsewhere(request, event)
    services.event_cancel(actor=request.user, event=event, reason=request.POST.get("reason", ""))
    messages.success(request, _("The event was cancelled."))
    return redirect(event)


def _published_elsewhere(request: HttpRequest, event: Event) -> HttpResponse:
    """Comms does not change what another app published: say where it is changed."""
    messages.warning(
        request, _("This event belongs to another part of the platform; change it there.")
    )
    return redirect(event.source_url or event.get_absolute_url())


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")
