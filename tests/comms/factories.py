"""Factories of the communication network for tests: rows made through the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from minga.common.permissions import SYSTEM
from minga.comms import services
from minga.comms.models import Bulletin, Campaign, Event
from tests import factories


def newsroom(slug: str = "radio-sur", **fields: Any) -> tuple[Any, Any, Any]:
    """An organization with an editor (spokesperson) and a writer (member)."""
    organization = factories.organization(
        name=fields.pop("name", "Radio del Sur"), slug=slug, kind="community_media", **fields
    )
    editor = factories.person(f"{slug}-editora")
    factories.role(editor, organization, "spokesperson")
    writer = factories.person(f"{slug}-redactor")
    factories.role(writer, organization, "member")
    return organization, editor, writer


def bulletin(
    organization: Any,
    *,
    actor: Any = SYSTEM,
    title: str = "Cosecha comunal",
    body: str = "La comuna cosechó **maíz**.",
    language: str = "es",
    publish: bool = True,
    **fields: Any,
) -> Bulletin:
    data = services.BulletinData(title=title, body=body, language=language, **fields)
    created = services.bulletin_create(actor=actor, organization=organization, data=data)
    if publish:
        created = services.bulletin_publish(actor=SYSTEM, bulletin=created)
    return created


def campaign(
    organization: Any, *, title: str = "Campaña de solidaridad", **fields: Any
) -> Campaign:
    data = services.CampaignData(
        title=title, starts_on=fields.pop("starts_on", timezone.localdate()), **fields
    )
    return services.campaign_create(actor=SYSTEM, organization=organization, data=data)


def event(
    organization: Any,
    *,
    title: str = "Jornada de siembra",
    starts_at: datetime | None = None,
    **fields: Any,
) -> Event:
    starts = starts_at or timezone.now() + timedelta(days=3)
    data = services.EventData(
        title=title,
        starts_at=starts,
        ends_at=fields.pop("ends_at", starts + timedelta(hours=3)),
        place=fields.pop("place", "Casa comunal"),
        **fields,
    )
    return services.event_create(actor=SYSTEM, organization=organization, data=data)
