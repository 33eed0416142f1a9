"""A month of the calendar reads only the rows that can fall in it (events starting near the
month, the few long ones, yearly ones near their anniversary), and still shows exactly what
reading every event would show: compared here with that brute force over random calendars
(long and open-ended events, 29 February, zones from UTC-11 to UTC+14)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minga.comms import selectors
from minga.comms.calendar import yearly_occurrences
from minga.comms.models import Event
from tests import factories

pytestmark = pytest.mark.django_db

ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Niue", "America/Caracas", "Europe/Madrid"]

events = st.lists(
    st.fixed_dictionaries(
        {
            # Most often near an edge of the month, where events are cut; sometimes far away.
            "anchor": st.sampled_from(["start", "start", "end", "far"]),
            "hours": st.integers(min_value=-24 * 3, max_value=24),
            "far_days": st.integers(min_value=-500, max_value=500),
            "length": st.one_of(
                st.none(),
                st.integers(min_value=0, max_value=60),  # up to an hour
                st.integers(min_value=60, max_value=60 * 24 * 3),  # around Event.LONG
                st.integers(min_value=60 * 24 * 3, max_value=60 * 24 * 200),  # months
            ),
            "yearly": st.booleans(),
            "zone": st.sampled_from(ZONES),
            "leap_day": st.booleans(),
        }
    ),
    max_size=25,
)


def _everything(start: datetime, end: datetime) -> list[tuple[datetime, int, int]]:
    keys = []
    for event in Event.objects.all():
        if event.yearly:
            keys += [occurrence.key for occurrence in yearly_occurrences(event, start, end)]
        elif start <= event.starts_at < end or (
            event.starts_at < start and event.ends_at is not None and event.ends_at >= start
        ):
            keys.append((event.starts_at, 1, event.pk))
    return sorted(keys)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drawn=events,
    year=st.sampled_from([2027, 2028]),
    month=st.integers(min_value=1, max_value=12),
    reader_zone=st.sampled_from(ZONES),
    offset=st.integers(min_value=0, max_value=8),
)
@example(  # a yearly day of action begun a day and a half before the month, still running
    drawn=[
        {
            "anchor": "start",
            "hours": -36,
            "far_days": 0,
            "length": 40 * 60,
            "yearly": True,
            "zone": "UTC",
            "leap_day": False,
        }
    ],
    year=2027,
    month=3,
    reader_zone="UTC",
    offset=0,
)
@example(  # a dated event of three days begun three days before the month
    drawn=[
        {
            "anchor": "start",
            "hours": -72,
            "far_days": 0,
            "length": 80 * 60,
            "yearly": False,
            "zone": "UTC",
            "leap_day": False,
        }
    ],
    year=2027,
    month=3,
    reader_zone="UTC",
    offset=0,
)
def test_a_month_shows_what_reading_every_event_would_show(
    drawn: list[dict[str, Any]], year: int, month: int, reader_zone: str, offset: int
) -> None:
    Event.objects.all().delete()
    organization = _org() or factories.organization(slug="calendario")
    start, end = selectors.month_bounds(year, month, ZoneInfo(reader_zone))
    rows = []
    for number, spec in enumerate(drawn):
        anchor = {"start": start, "end": end, "far": start + timedelta(days=spec["far_days"])}
        starts = anchor[spec["anchor"]] + timedelta(hours=spec["hours"])
        if spec["leap_day"] and spec["yearly"]:
            starts = datetime(2024, 2, 29, 12, tzinfo=ZoneInfo(spec["zone"]))
        length = spec["length"]
        event = Event(
            organization=organization,
            title=f"Jornada {number}",
            starts_at=starts,
            ends_at=None if length is None else starts + timedelta(minutes=length),
            time_zone=spec["zone"],
            yearly=spec["yearly"],
            visibility="public",
        )
        event.derive_calendar_keys()  # what save() does (tested below)
        rows.append(event)
    Event.objects.bulk_create(rows)
    expected = _everything(start, end)

    total, page = selectors.calendar_page(
        AnonymousUser(), selectors.CalendarFilters(), start, end, offset=offset, size=5
    )

    assert total == len(expected)
    assert [occurrence.key for occurrence in page] == expected[offset : offset + 5]


def _org() -> Any:
    from minga.registry.models import Organization

    return Organization.objects.filter(slug="calendario").first()


def test_a_long_event_is_marked_so_and_an_anniversary_is_its_local_day() -> None:
    organization = factories.organization(slug="aniversario")
    starts = datetime(2027, 3, 8, 2, tzinfo=UTC)  # 7 March, 22:00 in Caracas
    event = Event.objects.create(
        organization=organization,
        title="8M",
        starts_at=starts,
        ends_at=starts + timedelta(days=3),
        time_zone="America/Caracas",
    )
    assert (event.lasts_long, event.anniversary) == (True, 307)

    event.ends_at = starts + timedelta(hours=5)
    event.save(update_fields=["ends_at"])
    event.refresh_from_db()
    assert event.lasts_long is False
