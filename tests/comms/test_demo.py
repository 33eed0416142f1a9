"""The network's demo: bulletins in several languages, translations at every stage, a radio
programme, two campaigns with days of action on the calendar, and follows."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from minga.comms import selectors
from minga.comms.demo import load_comms_demo
from minga.comms.models import Bulletin, BulletinTranslation, Campaign, Event, Programme
from minga.federation.models import Follow
from tests import factories


def _registry_demo_organizations() -> None:
    """The organizations of the registry's demo that the network's demo speaks for (the whole
    registry demo, 3,200 communes, is loaded by tests/registry/test_demo.py)."""
    factories.organization(name="Confederación Minga", slug="confederacion-minga", kind="network")
    factories.organization(name="Red Nacional", slug="red-nacional-comuneros", kind="network")
    factories.organization(name="Rádio Semente", kind="community_media", country="BR")
    factories.organization(
        name="Kolektif Lakay", kind="cooperative", country="HT", region="caribbean"
    )
    factories.organization(name="Comuna El Maizal", kind="commune")


@pytest.mark.django_db
def test_the_demo_shows_the_network_working() -> None:
    """`minga demo` runs the loader after the registry's; it fills the network and says so."""
    assert apps.get_app_config("comms").demo_loader == "minga.comms.demo.load_comms_demo"
    _registry_demo_organizations()
    assert "communication network" in load_comms_demo(2026)
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
    assert load_comms_demo(2026) == "communication network: already loaded"
