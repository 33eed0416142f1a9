"""The network's demo: bulletins in several languages, translations at every stage, a radio
programme, two campaigns with days of action on the calendar, and follows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.comms import selectors
from minga.comms.models import Bulletin, BulletinTranslation, Campaign, Event, Programme
from minga.federation.models import Follow


@pytest.mark.django_db
def test_the_demo_shows_the_network_working() -> None:
    out = StringIO()
    call_command("demo", "--organizations", "3600", stdout=out)
    assert "communication network" in out.getvalue()
    assert set(Bulletin.objects.values_list("language", flat=True)) >= {"es", "pt", "ht", "en"}
    stages = set(BulletinTranslation.objects.values_list("stage", flat=True))
    assert {"published", "submitted", "in_progress", "requested"} <= stages
    assert Programme.objects.get().episodes.filter(media__kind="audio").count() == 2
    assert Campaign.objects.count() == 2
    assert Event.objects.filter(kind="day_of_action", yearly=True).exists()
    assert Follow.objects.filter(state="accepted").count() == 5
    today = timezone.localtime()
    total, occurrences = selectors.calendar_page(
        None, selectors.CalendarFilters(), today, today + timezone.timedelta(days=365)
    )
    assert total >= 9 and any(o.recurring for o in occurrences)
    client = Client()
    for url in (
        reverse("comms:news"),
        reverse("comms:calendar"),
        reverse("comms:map"),
        reverse("comms:campaign", args=["soberania-alimentaria"]),
    ):
        assert client.get(url).status_code == 200
