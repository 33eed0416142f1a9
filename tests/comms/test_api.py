"""The network's API: the pages' visibility, tokens, pagination and coded errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from minga.common.models import Visibility
from tests import factories
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {factories.api_token(user)}")


def test_write_a_bulletin_send_it_for_review_and_publish_it_through_the_api() -> None:
    organization, editor, writer = comms.newsroom()
    writer_api = _client(writer)
    created = writer_api.post(
        "/api/v1/comms/bulletins",
        {
            "organization": str(organization.uuid),
            "title": "Por la API",
            "body": "Texto",
            "language": "es",
            "tags": ["api"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["status"] == "draft"
    assert (
        writer_api.post(
            f"/api/v1/comms/bulletins/{uuid}/act",
            {"action": "submit"},
            content_type="application/json",
        ).json()["status"]
        == "in_review"
    )
    refused = writer_api.post(
        f"/api/v1/comms/bulletins/{uuid}/act",
        {"action": "publish"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    published = _client(editor).post(
        f"/api/v1/comms/bulletins/{uuid}/act",
        {"action": "publish"},
        content_type="application/json",
    )
    assert published.json()["status"] == "published"
    listing = Client().get("/api/v1/comms/bulletins?tag=api")
    assert listing.json()["count"] == 1 and listing.json()["items"][0]["title"] == "Por la API"


def test_api_errors_are_coded_and_name_their_field() -> None:
    organization, _editor, writer = comms.newsroom()
    response = _client(writer).post(
        "/api/v1/comms/bulletins",
        {"organization": str(organization.uuid), "kind": "article", "title": "", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "title_required" and response.json()["field"] == "title"
    anonymous = Client().post("/api/v1/comms/bulletins", {}, content_type="application/json")
    assert anonymous.status_code in (401, 422)


def test_the_calendar_api_pages_occurrences_and_hides_restricted_events() -> None:
    organization, editor, _writer = comms.newsroom()
    comms.event(organization, title="Abierta", starts_at=datetime(2027, 6, 1, 12, tzinfo=UTC))
    comms.event(
        organization,
        title="Interna",
        starts_at=datetime(2027, 6, 2, 12, tzinfo=UTC),
        visibility=Visibility.SERVER,
    )
    comms.event(
        organization, title="Anual", starts_at=datetime(2020, 6, 5, 12, tzinfo=UTC), yearly=True
    )
    query = "/api/v1/comms/calendar?start=2027-06-01T00:00:00Z&end=2027-07-01T00:00:00Z"
    anonymous = Client().get(query).json()
    assert [item["event"]["title"] for item in anonymous["items"]] == ["Abierta", "Anual"]
    assert anonymous["items"][1]["recurring"] is True
    signed = _client(editor).get(query).json()
    assert signed["count"] == 3
    bad = Client().get("/api/v1/comms/calendar?start=2027-06-01T00:00:00Z&end=2029-06-01T00:00:00Z")
    assert bad.status_code == 422 and bad.json()["code"] == "bad_window"


def test_events_and_campaigns_are_created_through_the_api() -> None:
    organization, editor, _writer = comms.newsroom()
    api = _client(editor)
    campaign = api.post(
        "/api/v1/comms/campaigns",
        {
            "organization": str(organization.uuid),
            "title": "Campaña continental",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
        content_type="application/json",
    )
    assert campaign.status_code == 201, campaign.content
    slug = campaign.json()["slug"]
    event = api.post(
        "/api/v1/comms/events",
        {
            "organization": str(organization.uuid),
            "title": "Jornada continental",
            "kind": "day_of_action",
            "starts_at": "2027-03-08T10:00:00-04:00",
            "time_zone": "America/Caracas",
            "place": "Plaza",
            "campaign": slug,
            "yearly": True,
        },
        content_type="application/json",
    )
    assert event.status_code == 201, event.content
    assert event.json()["campaign"] == slug and event.json()["yearly"] is True
    bad = api.post(
        "/api/v1/comms/events",
        {
            "organization": str(organization.uuid),
            "title": "X",
            "starts_at": "2027-03-08T10:00:00Z",
            "time_zone": "Nowhere/City",
            "place": "P",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "time_zone"
