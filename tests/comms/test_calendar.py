"""The calendar: time zones, yearly days of action, paging a merge of both, filters, the
map, and the iCalendar feeds (RFC 5545) that calendar programs subscribe to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import YEARLY, rrule
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from minga.common.models import Visibility
from minga.comms import selectors
from minga.comms.calendar import Occurrence, merged_page, yearly_occurrences
from minga.comms.models import Event
from tests import factories
from tests.comms import factories as comms

CARACAS = ZoneInfo("America/Caracas")
MADRID = ZoneInfo("Europe/Madrid")


def _event(**fields: Any) -> Any:
    values = {"pk": 1, "time_zone": "UTC", "ends_at": None, "recurrence_until": None, **fields}
    return SimpleNamespace(**values)


def test_a_yearly_day_of_action_keeps_its_local_time_across_daylight_saving() -> None:
    """8 March at 10:00 in Madrid is 09:00 UTC in winter time, every year; 1 May at 10:00 is
    08:00 UTC in summer time."""
    march = _event(starts_at=datetime(2025, 3, 8, 10, 0, tzinfo=MADRID), time_zone="Europe/Madrid")
    found = yearly_occurrences(
        march, datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
    )
    assert [o.starts_at.astimezone(UTC).hour for o in found] == [9, 9, 9]
    assert [o.local_start.hour for o in found] == [10, 10, 10]
    may = _event(starts_at=datetime(2025, 5, 1, 10, 0, tzinfo=MADRID), time_zone="Europe/Madrid")
    [occurrence] = yearly_occurrences(
        may, datetime(2027, 4, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)
    )
    assert occurrence.starts_at.astimezone(UTC) == datetime(2027, 5, 1, 8, 0, tzinfo=UTC)


def test_yearly_recurrence_follows_rfc5545_for_29_february_and_stops_at_its_end() -> None:
    leap = _event(
        starts_at=datetime(2024, 2, 29, 12, tzinfo=UTC), recurrence_until=date(2033, 1, 1)
    )
    years = [
        o.starts_at.year
        for o in yearly_occurrences(
            leap, datetime(2024, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
        )
    ]
    assert years == [2024, 2028, 2032]


def test_an_occurrence_spanning_the_window_start_is_included() -> None:
    multi = _event(
        starts_at=datetime(2025, 12, 30, tzinfo=UTC), ends_at=datetime(2026, 1, 2, tzinfo=UTC)
    )
    found = yearly_occurrences(
        multi, datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)
    )
    assert [o.starts_at.date() for o in found] == [date(2026, 12, 30)]


def _by_rrule(event: Any, start: datetime, end: datetime) -> list[tuple[datetime, Any]]:
    """The occurrences as dateutil's rrule gives them (the reference the calendar's own
    computation must agree with)."""
    zone = ZoneInfo(event.time_zone)
    first_local = event.starts_at.astimezone(zone).replace(tzinfo=None)
    duration = (event.ends_at - event.starts_at) if event.ends_at else None
    until = None
    if event.recurrence_until:
        until = datetime.combine(event.recurrence_until, datetime.max.time())
    rule = rrule(YEARLY, dtstart=first_local, until=until)
    reach = duration or timedelta(0)
    low = (start - reach).astimezone(zone).replace(tzinfo=None) - timedelta(days=2)
    high = end.astimezone(zone).replace(tzinfo=None) + timedelta(days=2)
    found = []
    for local in rule.between(low, high, inc=True):
        begins = local.replace(tzinfo=zone)
        ends = begins + duration if duration is not None else None
        if begins < end and (ends or begins) >= start:
            found.append((begins, ends))
    return found


@settings(max_examples=300, deadline=None)
@given(
    # Hypothesis takes naive bounds; the test gives each value its time zone.
    first=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31)),  # noqa: DTZ001
    zone=st.sampled_from(
        ["UTC", "Europe/Madrid", "America/Caracas", "America/Port-au-Prince", "Pacific/Apia"]
    ),
    minutes=st.one_of(st.none(), st.integers(min_value=0, max_value=60 * 24 * 400)),
    until=st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2045, 1, 1))),
    window_start=st.datetimes(min_value=datetime(1999, 1, 1), max_value=datetime(2045, 1, 1)),  # noqa: DTZ001
    window_hours=st.integers(min_value=1, max_value=24 * 366 * 3),
)
def test_yearly_occurrences_agree_with_dateutils_rrule(
    first: datetime,
    zone: str,
    minutes: int | None,
    until: date | None,
    window_start: datetime,
    window_hours: int,
) -> None:
    """Invariant: for any first date (29 February included), time zone, duration, end of
    recurrence and window, the computed occurrences are those of an RFC 5545 yearly rule."""
    # Whole seconds: calendars keep no finer time (rrule drops microseconds, we keep them).
    starts_at = first.replace(microsecond=0, tzinfo=ZoneInfo(zone))
    ends_at = starts_at + timedelta(minutes=minutes) if minutes is not None else None
    event = _event(starts_at=starts_at, ends_at=ends_at, time_zone=zone, recurrence_until=until)
    start = window_start.replace(tzinfo=UTC)
    end = start + timedelta(hours=window_hours)
    found = [(o.starts_at, o.ends_at) for o in yearly_occurrences(event, start, end)]
    assert found == _by_rrule(event, start, end)


class _Rows(list):  # a list that slices and counts like an ordered queryset
    def count(self) -> int:
        return len(self)


@settings(max_examples=200, deadline=None)
@given(
    dated=st.lists(st.integers(min_value=0, max_value=500), max_size=40),
    recurring=st.lists(st.integers(min_value=0, max_value=500), max_size=12),
    offset=st.integers(min_value=0, max_value=60),
    size=st.integers(min_value=1, max_value=15),
)
def test_paging_the_merge_equals_merging_everything_then_slicing(
    dated: list[int], recurring: list[int], offset: int, size: int
) -> None:
    """Invariant: a page of the merge read lazily is the same slice of the full merge."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = _Rows(
        sorted(
            (
                SimpleNamespace(pk=1000 + n, starts_at=base + timedelta(hours=h), ends_at=None)
                for n, h in enumerate(dated)
            ),
            key=lambda e: (e.starts_at, e.pk),
        )
    )
    occurrences = sorted(
        (
            Occurrence(SimpleNamespace(pk=n), base + timedelta(hours=h), None, recurring=True)
            for n, h in enumerate(recurring)
        ),
        key=lambda o: o.key,
    )
    everything = sorted(
        [Occurrence(e, e.starts_at, None) for e in rows] + occurrences, key=lambda o: o.key
    )
    total, page = merged_page(rows, occurrences, offset, size)  # type: ignore[arg-type]
    assert total == len(everything)
    assert [o.key for o in page] == [o.key for o in everything[offset : offset + size]]


@pytest.mark.django_db
def test_the_calendar_shows_dated_events_and_days_of_action_filtered() -> None:
    organization, _editor, _writer = comms.newsroom()
    other = factories.organization(slug="otra", country="BR", region="south-america")
    campaign = comms.campaign(organization, title="Tierra")
    comms.event(
        organization,
        title="Siembra",
        starts_at=datetime(2027, 3, 3, 14, tzinfo=UTC),
        campaign=campaign,
        country="VE",
    )
    comms.event(
        organization,
        title="Día de la mujer",
        starts_at=datetime(2025, 3, 8, 10, tzinfo=CARACAS),
        time_zone="America/Caracas",
        yearly=True,
        kind="day_of_action",
    )
    comms.event(other, title="Feria", starts_at=datetime(2027, 3, 20, 9, tzinfo=UTC), country="BR")
    start, end = datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC)
    total, page = selectors.calendar_page(None, selectors.CalendarFilters(), start, end)
    assert total == 3 and [o.event.title for o in page] == ["Siembra", "Día de la mujer", "Feria"]
    assert page[1].recurring and page[1].starts_at == datetime(2027, 3, 8, 14, tzinfo=UTC)
    for filters, titles in (
        (selectors.CalendarFilters(country="BR"), ["Feria"]),
        (selectors.CalendarFilters(campaign=campaign.slug), ["Siembra"]),
        (selectors.CalendarFilters(organization="otra"), ["Feria"]),
        (selectors.CalendarFilters(kind="day_of_action"), ["Día de la mujer"]),
    ):
        assert [
            o.event.title for o in selectors.calendar_page(None, filters, start, end)[1]
        ] == titles
    html = Client().get(reverse("comms:calendar") + "?month=2027-03&country=BR").content.decode()
    assert "Feria" in html and "Siembra" not in html


@pytest.mark.django_db
def test_the_calendar_page_keeps_its_queries_few(django_assert_max_num_queries: Any) -> None:
    """Dated, yearly and remote events alike: the cards read what they show with the rows
    (no query per card, whatever columns the page leaves unread)."""
    from minga.federation.models import RemoteActor, RemoteServer

    organization, _editor, _writer = comms.newsroom()
    for day in range(1, 25):
        comms.event(organization, title=f"E{day}", starts_at=datetime(2027, 5, day, 10, tzinfo=UTC))
    for year in (2020, 2024):
        comms.event(
            organization,
            title=f"Y{year}",
            starts_at=datetime(year, 5, 26, 10, tzinfo=UTC),
            yearly=True,
        )
    server = RemoteServer.objects.create(domain="radio.example")
    for number in range(3):
        actor = RemoteActor.objects.create(
            uri=f"https://radio.example/users/r{number}",
            server=server,
            username=f"r{number}",
            inbox=f"https://radio.example/users/r{number}/inbox",
            key_id=f"https://radio.example/users/r{number}#main-key",
            public_key_pem="-",
        )
        Event.objects.create(
            remote_actor=actor,
            remote_uri=f"https://radio.example/events/{number}",
            title=f"R{number}",
            starts_at=datetime(2027, 5, 27 + number, 10, tzinfo=UTC),
            visibility=Visibility.PUBLIC,
        )
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("comms:calendar") + "?month=2027-05")
    html = response.content.decode()
    assert html.count('<li class="card') == 24 + 2 + 3
    assert "@r2@radio.example (radio.example)" in html


@pytest.mark.django_db
def test_the_ics_feed_has_time_zones_recurrence_and_public_events_only() -> None:
    organization, _editor, _writer = comms.newsroom()
    comms.event(
        organization,
        title="Día de acción",
        starts_at=datetime(2026, 3, 8, 10, tzinfo=CARACAS),
        time_zone="America/Caracas",
        yearly=True,
        place="Plaza Bolívar",
    )
    comms.event(organization, title="Reunión interna", visibility=Visibility.SERVER)
    hidden = factories.organization(slug="oculta", visibility=Visibility.SERVER)
    comms.event(hidden, title="Oculta")
    client = Client()
    response = client.get(reverse("comms:calendar_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Día de acción"]
    [event] = events
    assert event["DTSTART"].dt == datetime(2026, 3, 8, 10, tzinfo=CARACAS)
    assert event["DTSTART"].params["TZID"] == "America/Caracas"
    assert event["RRULE"]["FREQ"] == ["YEARLY"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Caracas"]
    assert str(calendar["X-WR-CALNAME"])
    # Asked again with its validator, the feed answers "not modified".
    again = client.get(reverse("comms:calendar_ics"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    # Per organization and per campaign too; the hidden organization has none.
    assert (
        client.get(reverse("comms:organization_ics", args=[organization.slug])).status_code == 200
    )
    assert client.get(reverse("comms:organization_ics", args=["oculta"])).status_code == 404


@pytest.mark.django_db
def test_the_map_draws_markers_on_shipped_outlines_without_tile_servers() -> None:
    organization, _editor, _writer = comms.newsroom()
    comms.event(organization, title="Acción en Caracas", latitude=10.49, longitude=-66.88)
    response = Client().get(reverse("comms:map"))
    html = response.content.decode()
    assert "<circle" in html and "Acción en Caracas" in html
    assert "world.svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[
        0
    ].replace("http://www.w3.org/2000/svg", "")
    world = Client().get(reverse("comms:world_svg"))
    assert world["Content-Type"] == "image/svg+xml" and world.content.count(b"<path") > 150


@pytest.mark.django_db
def test_a_tile_server_set_by_the_operator_is_used_instead(settings: Any) -> None:
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    organization, _editor, _writer = comms.newsroom()
    comms.event(organization, latitude=10.49, longitude=-66.88)
    comms.event(organization, latitude=-34.6, longitude=-58.4)
    html = Client().get(reverse("comms:map")).content.decode()
    assert 'href="https://tiles.example.org/' in html and "world.svg" not in html


@pytest.mark.django_db
def test_events_refuse_bad_times_places_and_zones() -> None:
    from minga.common.errors import DomainError
    from minga.common.permissions import SYSTEM
    from minga.comms import services

    organization, _editor, _writer = comms.newsroom()
    base = datetime(2027, 1, 1, 10, tzinfo=UTC)
    cases = [
        ({"ends_at": base - timedelta(hours=1)}, "ends_before_start"),
        ({"place": ""}, "place_required"),
        ({"time_zone": "Mars/Olympus"}, "bad_time_zone"),
        ({"latitude": 10}, "coordinates_incomplete"),
        ({"recurrence_until": date(2030, 1, 1)}, "recurrence_without_rule"),
    ]
    for fields, code in cases:
        data = services.EventData(**{"title": "X", "starts_at": base, "place": "Plaza", **fields})
        with pytest.raises(DomainError) as refusal:
            services.event_create(actor=SYSTEM, organization=organization, data=data)
        assert refusal.value.code == code
    assert not Event.objects.exists()
