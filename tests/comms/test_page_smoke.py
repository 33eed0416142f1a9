"""Every page of the network answers, for a visitor and for an editor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.comms import services
from tests import factories
from tests.comms import factories as comms


@pytest.mark.django_db
def test_pages_answer_for_visitors_and_editors() -> None:
    """News, bulletin, calendar, map, campaigns, event, organization, feeds and calendars
    answer 200 to a visitor and to an editor."""
    organization, editor, _writer = comms.newsroom()
    bulletin = comms.bulletin(organization, tags=["agroecologia"])
    campaign = comms.campaign(organization)
    event = comms.event(organization, campaign=campaign, latitude=10, longitude=-66)
    translation = services.translation_request(actor=editor, bulletin=bulletin, languages=["pt"])[0]
    programme = services.programme_save(
        actor=editor, organization=organization, data=services.ProgrammeData(title="La voz")
    )
    pages = [
        reverse("comms:news"),
        reverse("comms:bulletin", args=[bulletin.uuid]),
        reverse("comms:tag", args=["agroecologia"]),
        reverse("comms:calendar"),
        reverse("comms:calendar") + "?month=2020-02&region=south-america",
        reverse("comms:map"),
        reverse("comms:world_svg"),
        reverse("comms:campaigns"),
        reverse("comms:campaign", args=[campaign.slug]),
        reverse("comms:event", args=[event.uuid]),
        reverse("comms:organization", args=[organization.slug]),
        reverse("comms:organization_network", args=[organization.slug]),
        reverse("comms:programme", args=[programme.uuid]),
        reverse("comms:rss"),
        reverse("comms:atom"),
        reverse("comms:organization_rss", args=[organization.slug]),
        reverse("comms:organization_podcast", args=[organization.slug]),
        reverse("comms:programme_podcast", args=[programme.uuid]),
        reverse("comms:campaign_rss", args=[campaign.slug]),
        reverse("comms:tag_rss", args=["agroecologia"]),
        reverse("comms:language_atom", args=["pt"]),
        reverse("comms:calendar_ics"),
        reverse("comms:organization_ics", args=[organization.slug]),
        reverse("comms:campaign_ics", args=[campaign.slug]),
        reverse("comms:event_ics", args=[event.uuid]),
        reverse("federation:organization_follows", args=[organization.slug]),
    ]
    signed_in = Client()
    signed_in.force_login(editor)
    editor_pages = [
        reverse("comms:desk"),
        reverse("comms:bulletin_create"),
        reverse("comms:bulletin_edit", args=[bulletin.uuid]),
        reverse("comms:translations"),
        reverse("comms:translation", args=[translation.pk]),
        reverse("comms:campaign_create"),
        reverse("comms:campaign_edit", args=[campaign.slug]),
        reverse("comms:event_create"),
        reverse("comms:event_edit", args=[event.uuid]),
        reverse("comms:programme_create", args=[organization.slug]),
    ]
    for client in (Client(), signed_in):
        for url in pages:
            response: Any = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    for url in editor_pages:
        assert signed_in.get(url).status_code == 200, url
    assert factories.person  # the shared factories stay importable
