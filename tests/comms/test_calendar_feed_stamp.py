"""A calendar feed's validator changes with every change the feed can show, and costs one
read whatever the number of events: an event edited, cancelled or deleted, a co-organizer added, an organization hidden."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.common.models import Visibility
from minga.common.permissions import SYSTEM
from minga.comms import services
from tests import factories
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db

FEED = "comms:calendar_ics"


def _etag(client: Client) -> str:
    response = client.get(reverse(FEED))
    assert response.status_code == 200
    return str(response["ETag"])


def test_a_feed_asked_again_unchanged_is_not_modified_after_two_reads(
    django_assert_max_num_queries: Any,
) -> None:
    organization, _editor, _writer = comms.newsroom()
    comms.event(organization, title="Jornada")
    client = Client()
    etag = _etag(client)

    with django_assert_max_num_queries(2):  # the filters' list of regions, and the stamp
        again = client.get(reverse(FEED), HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304


def test_every_change_a_feed_shows_gives_it_a_new_validator() -> None:
    organization, _editor, _writer = comms.newsroom()
    event = comms.event(organization, title="Jornada")
    partner = factories.organization(slug="aliada")
    client = Client()
    seen = [_etag(client)]

    data = services.EventData(
        title="Jornada de siembra", starts_at=event.starts_at, place="Casa comunal"
    )
    event = services.event_update(actor=SYSTEM, event=event, data=data)
    seen.append(_etag(client))
    event.co_organizers.add(partner)
    seen.append(_etag(client))
    services.event_cancel(actor=SYSTEM, event=event)
    seen.append(_etag(client))
    partner.visibility = Visibility.SERVER
    partner.save()
    seen.append(_etag(client))
    event.delete()
    seen.append(_etag(client))

    assert len(set(seen)) == len(seen)
    assert _etag(client) == seen[-1]
