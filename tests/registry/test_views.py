"""The registry's pages: directory, organization pages, join flow, coordination, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from minga.common.models import Visibility
from minga.registry.models import ContactChannel, OrganizationRelation
from minga.registry.search import rebuild_organization_index
from tests import factories


@pytest.fixture
def directory(confederation: Any) -> dict[str, Any]:
    maizal = factories.organization(
        name="Comuna El Maizal",
        kind="commune",
        country="VE",
        description="Semillas nativas de maíz",
    )
    sem = factories.organization(
        name="Cooperativa Sementes",
        kind="cooperative",
        country="BR",
        region="south-america",
        name_language="pt",
        description_language="pt",
        description="Guardiãs das sementes",
    )
    radio = factories.organization(
        name="Radyo Kominotè Jakmel", kind="community_media", country="HT", region="caribbean"
    )
    hidden = factories.organization(name="Comuna Secreta", visibility=Visibility.CUSTODIANS)
    rebuild_organization_index()
    return {"maizal": maizal, "sem": sem, "radio": radio, "hidden": hidden}


def test_directory_filters_by_country_type_and_region(
    client: Client, directory: dict[str, Any]
) -> None:
    """Each filter narrows the list to the matching organizations."""
    url = reverse("registry:directory")
    assert "Comuna El Maizal" in client.get(url, {"country": "VE"}).content.decode()
    page = client.get(url, {"kind": "community_media"}).content.decode()
    assert "Radyo Kominotè Jakmel" in page and "Comuna El Maizal" not in page
    page = client.get(url, {"region": "caribbean"}).content.decode()
    assert "Radyo" in page and "Sementes" not in page


def test_directory_search_is_stemmed_and_hides_restricted(
    client: Client, directory: dict[str, Any]
) -> None:
    """Searching finds by stem; an organization the reader may not see is never listed."""
    url = reverse("registry:directory")
    page = client.get(url, {"q": "semente"}).content.decode()
    assert "Cooperativa Sementes" in page
    page = client.get(url, {"q": "comuna"}).content.decode()
    assert "Comuna El Maizal" in page
    assert "Comuna Secreta" not in page


def test_htmx_requests_get_only_the_results(client: Client, directory: dict[str, Any]) -> None:
    """With HX-Request the server answers the result list alone, without the page around it."""
    response = client.get(
        reverse("registry:directory"), {"kind": "commune"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Comuna El Maizal" in body
    assert "<html" not in body


def test_directory_queries_do_not_grow_with_rows(
    client: Client, confederation: Any, django_assert_max_num_queries: Any
) -> None:
    """Forty organizations on a page cost a fixed handful of queries, not one each."""
    for number in range(45):
        factories.organization(name=f"Comuna {number:02d}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:directory"))
    assert response.status_code == 200


def test_restricted_organization_page_is_not_found(
    client: Client, directory: dict[str, Any]
) -> None:
    """A page the reader may not see answers 404, as if it did not exist."""
    assert (
        client.get(reverse("registry:organization", args=[directory["hidden"].slug])).status_code
        == 404
    )
    assert client.get(f"/organizations/{directory['hidden'].uuid}/").status_code == 404


def test_canonical_url_redirects_to_the_page(client: Client, directory: dict[str, Any]) -> None:
    """The UUID address stays valid and leads to the current page."""
    response = client.get(f"/organizations/{directory['maizal'].uuid}/")
    assert response.status_code == 302
    assert response["Location"] == directory["maizal"].get_absolute_url()


def test_members_only_contacts_are_hidden_from_others(
    client: Client, directory: dict[str, Any]
) -> None:
    """A phone visible to members is shown to a member and not to anyone else."""
    maizal = directory["maizal"]
    channel = ContactChannel.objects.create(
        organization=maizal,
        kind="phone",
        value="+58 412 5550101",
        visibility=Visibility.ORGANIZATIONS,
    )
    channel.visible_to_organizations.add(maizal)
    url = maizal.get_absolute_url()
    assert "+58 412 5550101" not in client.get(url).content.decode()
    member = factories.person()
    factories.role(member, maizal, "member")
    client.force_login(member)
    assert "+58 412 5550101" in client.get(url).content.decode()


def test_description_markup_is_sanitized(client: Client, confederation: Any) -> None:
    """A description with a script renders without it."""
    organization = factories.organization(description="Hola <script>alert('x')</script> **mundo**")
    body = client.get(organization.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "<strong>mundo</strong>" in body


def test_editing_needs_permission(directory: dict[str, Any]) -> None:
    """A stranger gets 403 on the edit page; a spokesperson can save a change."""
    maizal = directory["maizal"]
    stranger = Client()
    stranger.force_login(factories.person())
    assert (
        stranger.get(reverse("registry:organization_edit", args=[maizal.slug])).status_code == 403
    )
    spokesperson = factories.person()
    factories.role(spokesperson, maizal, "spokesperson")
    client = Client()
    client.force_login(spokesperson)
    response = client.post(
        reverse("registry:organization_edit", args=[maizal.slug]),
        {
            "name": "Comuna El Maizal",
            "name_language": "es",
            "kind": "commune",
            "country": "VE",
            "region": "south-america",
            "area": "Lara",
        },
    )
    assert response.status_code == 302
    maizal.refresh_from_db()
    assert maizal.area == "Lara"


def test_join_flow_and_coordinator_queue(
    confederation: Any, newcomer_client: Client, coordinator_client: Client
) -> None:
    """A newcomer sends a request; the coordinator sees it in the queue and approves it."""
    response = newcomer_client.post(
        reverse("registry:join"),
        {
            "network": confederation.slug,
            "name": "Cooperativa Tierra Libre",
            "name_language": "es",
            "kind": "cooperative",
            "country": "CO",
            "region": "south-america",
            "motivation": "Producimos café.",
        },
    )
    assert response.status_code == 302
    relation = OrganizationRelation.objects.get(member__name="Cooperativa Tierra Libre")
    queue = coordinator_client.get(reverse("registry:coordination")).content.decode()
    assert "Cooperativa Tierra Libre" in queue and "Producimos café." in queue
    response = coordinator_client.post(
        reverse("registry:relation_decide", args=[relation.uuid]), {"action": "approve"}
    )
    assert response.status_code == 302
    relation.refresh_from_db()
    assert relation.status == "active"


def test_join_form_errors_are_shown_and_nothing_saved(
    confederation: Any, newcomer_client: Client
) -> None:
    """Missing fields re-show the form with messages; no organization is created."""
    response = newcomer_client.post(
        reverse("registry:join"), {"network": confederation.slug, "name": ""}
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not OrganizationRelation.objects.exists()


def test_strangers_cannot_decide_requests(confederation: Any, newcomer_client: Client) -> None:
    """Deciding on a request without a coordinating role is forbidden and changes nothing."""
    relation = OrganizationRelation.objects.create(
        member=factories.organization(), parent=confederation, kind="member_of", status="pending"
    )
    response = newcomer_client.post(
        reverse("registry:relation_decide", args=[relation.uuid]), {"action": "approve"}
    )
    assert response.status_code == 403
    relation.refresh_from_db()
    assert relation.status == "pending"
    assert newcomer_client.get(reverse("registry:coordination")).status_code == 403


def test_audit_log_is_for_network_coordinators(
    confederation: Any, coordinator_client: Client, newcomer_client: Client
) -> None:
    """The coordinator reads the audit log as sentences; a newcomer is refused."""
    from minga.common import audit
    from minga.registry.audit_events import RegistryEvent

    audited = factories.organization(name="Auditada")
    audit.record(actor=None, action=RegistryEvent.ORGANIZATION_CREATE, target=audited)
    page = coordinator_client.get(reverse("registry:audit"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "The server registered Auditada" in text
    assert "registry.organization.create" not in text
    assert newcomer_client.get(reverse("registry:audit")).status_code == 403


def test_coordinators_without_second_factor_are_sent_to_set_it_up(confederation: Any) -> None:
    """A coordinator signed in with a password alone must set up two-factor first."""
    person = factories.person()
    factories.role(person, confederation, "coordinator")
    client = Client()
    client.force_login(person)
    response = client.get(reverse("registry:coordination"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


def test_coordinator_suspends_and_reinstates_from_the_network_page(
    confederation: Any, coordinator_client: Client
) -> None:
    """Suspension needs a reason and is kept in the history; reinstating restores it."""
    member = factories.organization(name="Comuna Miembro")
    relation = factories.membership(member, confederation)
    url = reverse("registry:relation_decide", args=[relation.uuid])
    page = coordinator_client.get(confederation.get_absolute_url()).content.decode()
    assert 'value="suspend"' in page
    coordinator_client.post(
        url, {"action": "suspend", "reason": "", "next": confederation.get_absolute_url()}
    )
    relation.refresh_from_db()
    assert relation.status == "active"
    response = coordinator_client.post(
        url,
        {"action": "suspend", "reason": "Inactividad", "next": confederation.get_absolute_url()},
    )
    assert response["Location"] == confederation.get_absolute_url()
    relation.refresh_from_db()
    assert relation.status == "suspended"
    coordinator_client.post(url, {"action": "reinstate", "next": "https://evil.example.org/"})
    relation.refresh_from_db()
    assert relation.status == "active"
    assert [e.to_status for e in relation.events.all()] == ["suspended", "active"]


def test_a_member_withdraws_its_own_membership_after_confirming(confederation: Any) -> None:
    """The spokesperson of a member is asked to confirm (a page, no JavaScript needed); only
    then is the membership withdrawn, and the message names the new status. Strangers see no
    withdraw link."""
    member = factories.organization()
    relation = factories.membership(member, confederation)
    spokesperson = factories.person()
    factories.role(spokesperson, member, "spokesperson")
    client = Client()
    client.force_login(spokesperson)
    confirm_url = reverse("registry:relation_withdraw", args=[relation.uuid])
    assert confirm_url in client.get(member.get_absolute_url()).content.decode()
    stranger = Client()
    stranger.force_login(factories.person())
    assert confirm_url not in stranger.get(member.get_absolute_url()).content.decode()
    assert stranger.get(confirm_url).status_code == 403
    decide_url = reverse("registry:relation_decide", args=[relation.uuid])
    # The old one-click form, or a forged post, only leads to the question.
    unconfirmed = client.post(decide_url, {"action": "withdraw"})
    assert unconfirmed["Location"] == confirm_url
    relation.refresh_from_db()
    assert relation.status == "active"
    question = client.get(confirm_url).content.decode()
    assert 'name="confirm"' in question and decide_url in question
    response = client.post(
        decide_url,
        {"action": "withdraw", "confirm": "on", "next": member.get_absolute_url()},
        follow=True,
    )
    relation.refresh_from_db()
    assert relation.status == "withdrawn" and relation.ended_on is not None
    assert f"{member}: Withdrawn." in response.content.decode()


def test_a_member_that_withdrew_can_apply_again(confederation: Any) -> None:
    """After withdrawing, the member's page offers to apply again; doing so opens a new
    pending request, after which the offer is gone."""
    member = factories.organization()
    relation = factories.membership(member, confederation, status="withdrawn")
    spokesperson = factories.person()
    factories.role(spokesperson, member, "spokesperson")
    client = Client()
    client.force_login(spokesperson)
    reapply_url = reverse("registry:relation_reapply", args=[relation.uuid])
    assert reapply_url in client.get(member.get_absolute_url()).content.decode()
    client.post(reapply_url)
    assert OrganizationRelation.objects.filter(
        member=member, parent=confederation, status="pending"
    ).exists()
    assert reapply_url not in client.get(member.get_absolute_url()).content.decode()


def test_approving_a_request_reports_the_new_status(
    confederation: Any, coordinator_client: Client
) -> None:
    """The message after a decision names the status the membership now has."""
    member = factories.organization(name="Comuna Nueva")
    relation = factories.membership(member, confederation, status="pending")
    response = coordinator_client.post(
        reverse("registry:relation_decide", args=[relation.uuid]),
        {"action": "approve"},
        follow=True,
    )
    text = response.content.decode()
    assert "Comuna Nueva: Active." in text
    assert "Comuna Nueva: Pending." not in text


def test_a_new_organization_is_shown_as_awaiting_approval(
    confederation: Any, newcomer_client: Client, coordinator_client: Client
) -> None:
    """While its join request is pending, a new organization's page and card say so; once
    approved, it is active."""
    newcomer_client.post(
        reverse("registry:join"),
        {
            "network": confederation.slug,
            "name": "Cooperativa Esperando",
            "name_language": "es",
            "kind": "cooperative",
            "country": "CO",
            "region": "south-america",
            "motivation": "Queremos entrar.",
        },
    )
    relation = OrganizationRelation.objects.get(member__name="Cooperativa Esperando")
    page = newcomer_client.get(relation.member.get_absolute_url()).content.decode()
    assert "Awaiting approval" in page
    assert 'class="badge active"' not in page
    directory = newcomer_client.get(reverse("registry:directory")).content.decode()
    assert "Awaiting approval" in directory
    coordinator_client.post(
        reverse("registry:relation_decide", args=[relation.uuid]), {"action": "approve"}
    )
    page = newcomer_client.get(relation.member.get_absolute_url()).content.decode()
    assert "Awaiting approval" not in page
    assert 'class="badge active"' in page


def test_network_page_queries_do_not_grow_with_members(
    confederation: Any, coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    """Fifty members with action buttons cost a fixed number of queries."""
    for number in range(50):
        factories.membership(factories.organization(name=f"Miembro {number}"), confederation)
    with django_assert_max_num_queries(25):
        response = coordinator_client.get(confederation.get_absolute_url())
    assert response.content.decode().count('value="suspend"') == 50


def test_logo_upload_is_checked_and_audited(confederation: Any, coordinator_client: Client) -> None:
    """A real image is stored; a file that is not an image is refused with nothing changed."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from minga.common.models import AuditEntry

    member = factories.organization(name="Con logo")
    factories.membership(member, confederation)
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(buffer, "PNG")
    fields = {
        "name": "Con logo",
        "name_language": "es",
        "kind": "commune",
        "country": "VE",
        "region": "south-america",
    }
    url = reverse("registry:organization_edit", args=[member.slug])
    bad = coordinator_client.post(
        url, {**fields, "logo": SimpleUploadedFile("x.png", b"not an image")}
    )
    assert bad.status_code == 200
    member.refresh_from_db()
    assert not member.logo
    good = coordinator_client.post(
        url, {**fields, "logo": SimpleUploadedFile("logo.png", buffer.getvalue())}
    )
    assert good.status_code == 302
    member.refresh_from_db()
    assert member.logo.name.endswith(".png")
    assert AuditEntry.objects.filter(action="registry.organization.logo").exists()


def test_home_shows_what_waits_for_a_coordinator(
    confederation: Any, coordinator_client: Client
) -> None:
    """A coordinator's home lists the join requests waiting for them, linked to the queue."""
    factories.membership(factories.organization(), confederation, status="pending")
    factories.membership(factories.organization(), confederation, status="pending")
    page = coordinator_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for you" in page
    assert "2 join requests are waiting for you." in page
    assert reverse("registry:coordination") in page
    stranger = Client()
    stranger.force_login(factories.person())
    assert "Waiting for you" not in stranger.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
