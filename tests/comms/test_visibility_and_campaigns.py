"""Who reads what (a matrix of readers × bulletins), campaigns joined and left, and the
news list's query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from minga.common.errors import DomainError
from minga.common.models import Visibility
from minga.comms import selectors, services
from tests import factories
from tests.comms import factories as comms

pytestmark = pytest.mark.django_db


def test_the_visibility_matrix_of_bulletins() -> None:
    """Published public: everyone. Published for the server: signed-in people. Drafts and
    bulletins in review: members of their organization only. A hidden organization's
    bulletins: those who may see it."""
    organization, editor, writer = comms.newsroom()
    public = comms.bulletin(organization, title="pública")
    server = comms.bulletin(organization, title="servidor", visibility=Visibility.SERVER)
    draft = comms.bulletin(organization, title="borrador", publish=False)
    insider = factories.person("insider")
    hidden_org = factories.organization(
        slug="h", visibility=Visibility.CUSTODIANS, custodians=[insider]
    )
    factories.role(insider, hidden_org, "member")
    hidden = comms.bulletin(hidden_org, title="oculta")
    stranger = factories.person("stranger")
    matrix = {
        None: {"pública"},
        stranger: {"pública", "servidor"},
        writer: {"pública", "servidor", "borrador"},
        editor: {"pública", "servidor", "borrador"},
        insider: {"pública", "servidor", "oculta"},
    }
    for reader, expected in matrix.items():
        seen = set(selectors.visible_bulletins(reader).values_list("title", flat=True))
        assert seen == expected, reader
    for bulletin in (public, server, draft, hidden):
        status = Client().get(bulletin.get_absolute_url()).status_code
        assert status == (200 if bulletin == public else 404)
        api = Client().get(f"/api/v1/comms/bulletins/{bulletin.uuid}").status_code
        assert api == (200 if bulletin == public else 404)


def test_the_news_list_costs_a_fixed_number_of_queries(django_assert_max_num_queries: Any) -> None:
    organization, _editor, _writer = comms.newsroom()
    for number in range(15):
        comms.bulletin(organization, title=f"Boletín {number}", tags=["a", "b"])
    client = Client()
    with django_assert_max_num_queries(14):
        response = client.get(reverse("comms:news"))
    assert response.content.decode().count('<li class="card') == 15


def test_organizations_join_and_leave_a_campaign_and_history_stays() -> None:
    organization, editor, _writer = comms.newsroom()
    campaign = comms.campaign(organization, title="Agua para todos")
    other, other_editor, _other_writer = comms.newsroom("comuna-el-maizal", name="Comuna El Maizal")
    joined = services.campaign_join(actor=other_editor, campaign=campaign, organization=other)
    assert (
        services.campaign_join(actor=other_editor, campaign=campaign, organization=other).pk
        == joined.pk
    )
    with pytest.raises(PermissionDenied):
        services.campaign_join(actor=editor, campaign=campaign, organization=other)
    services.campaign_leave(actor=other_editor, campaign=campaign, organization=other)
    participants = selectors.campaign_participants(None, campaign)
    assert [(p.organization.slug, p.left_at is not None) for p in participants] == [
        ("radio-sur", False),
        ("comuna-el-maizal", True),
    ]
    with pytest.raises(DomainError) as refusal:
        services.campaign_leave(actor=editor, campaign=campaign, organization=organization)
    assert refusal.value.code == "promoter_cannot_leave"
    client = factories.verified_client(other_editor)
    response = client.post(
        reverse("comms:campaign_participation", args=[campaign.slug]),
        {"organization": other.pk, "action": "join"},
    )
    assert response.status_code == 302
    assert "Comuna El Maizal" in Client().get(campaign.get_absolute_url()).content.decode()


def test_campaign_materials_need_a_file_or_link_and_images_a_description() -> None:
    organization, editor, _writer = comms.newsroom()
    campaign = comms.campaign(organization)
    with pytest.raises(DomainError) as refusal:
        services.material_add(
            actor=editor,
            campaign=campaign,
            data=services.MaterialData(kind="text", title="Manifiesto"),
        )
    assert refusal.value.code == "material_required"
    material = services.material_add(
        actor=editor,
        campaign=campaign,
        data=services.MaterialData(kind="video", title="Video", link="https://video.example/v/1"),
    )
    assert material.url == "https://video.example/v/1"
