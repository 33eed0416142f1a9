"""Creating and updating organizations, roles and delegates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM
from minga.registry import services
from minga.registry.models import Body, Organization, Role
from minga.registry.selectors import DirectoryFilters, directory_organizations
from tests import factories


def _data(**overrides: Any) -> services.OrganizationData:
    fields = {
        "name": "Comuna El Maizal",
        "kind": "commune",
        "country": "VE",
        "region": "south-america",
        "languages": ["es"],
    }
    fields.update(overrides)
    return services.OrganizationData(**fields)


def test_create_records_audit_and_search(db: None, django_capture_on_commit_callbacks: Any) -> None:
    """A new organization gets a slug, an audit entry, and is found by search after commit."""
    with django_capture_on_commit_callbacks(execute=True):
        organization = services.organization_create(
            actor=SYSTEM, data=_data(description="Productores de semillas")
        )
    assert organization.slug == "comuna-el-maizal"
    entry = AuditEntry.objects.get(action="registry.organization.create")
    assert entry.changes["name"] == [None, "Comuna El Maizal"]
    found = directory_organizations(None, DirectoryFilters(q="semilla"))
    assert list(found) == [organization]


def test_update_audits_only_changed_fields(db: None) -> None:
    """The audit entry of an update lists exactly the fields that changed."""
    organization = services.organization_create(actor=SYSTEM, data=_data())
    services.organization_update(
        actor=SYSTEM, organization=organization, data=_data(slug=organization.slug, area="Lara")
    )
    entry = AuditEntry.objects.filter(action="registry.organization.update").get()
    assert entry.changes == {"area": ["", "Lara"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": "nowhere"}, "region"),
        ({"languages": ["xx"]}, "languages"),
        ({"kind": "club"}, "kind"),
        ({"country": "ZZ"}, "country"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(
    db: None, overrides: dict[str, Any], field: str
) -> None:
    """Each kind of bad input is refused with its field named; no row is created."""
    with pytest.raises(DomainError) as error:
        services.organization_create(actor=SYSTEM, data=_data(**overrides))
    assert error.value.field == field
    assert not Organization.objects.exists()
    assert not AuditEntry.objects.exists()


def test_slugs_stay_unique(db: None) -> None:
    """Two organizations with the same name get different slugs."""
    first = services.organization_create(actor=SYSTEM, data=_data())
    second = services.organization_create(actor=SYSTEM, data=_data())
    assert first.slug != second.slug


def test_roles_cannot_overlap_or_end_before_they_start(db: None) -> None:
    """The same role twice in one period, or ending before starting, is refused."""
    person = factories.person()
    organization = factories.organization()
    today = timezone.localdate()
    services.role_assign(
        actor=SYSTEM,
        person=person,
        organization=organization,
        kind="spokesperson",
        started_on=today,
    )
    with pytest.raises(DomainError):
        services.role_assign(
            actor=SYSTEM,
            person=person,
            organization=organization,
            kind="spokesperson",
            started_on=today + timedelta(days=5),
        )
    with pytest.raises(DomainError):
        services.role_assign(
            actor=SYSTEM,
            person=person,
            organization=organization,
            kind="member",
            started_on=today,
            ended_on=today - timedelta(days=1),
        )
    assert Role.objects.filter(person=person).count() == 1


def test_ended_roles_are_history_not_current(db: None) -> None:
    """Ending a role keeps it, dated, but it no longer counts as current."""
    person = factories.person()
    organization = factories.organization()
    role = services.role_assign(
        actor=SYSTEM,
        person=person,
        organization=organization,
        kind="member",
        started_on=timezone.localdate() - timedelta(days=10),
    )
    services.role_end(actor=SYSTEM, role=role, ended_on=timezone.localdate() - timedelta(days=1))
    assert Role.objects.filter(pk=role.pk).exists()
    assert not Role.objects.current().filter(pk=role.pk).exists()


def test_delegates_need_a_role_in_the_organization_they_represent(confederation: Any) -> None:
    """A person without a role there cannot be accredited; with one, they can for a term."""
    body = Body.objects.create(
        organization=confederation, kind="congress", slug="congreso", name="Congreso"
    )
    person = factories.person()
    commune = factories.organization()
    today = timezone.localdate()
    with pytest.raises(DomainError):
        services.delegate_accredit(
            actor=SYSTEM,
            person=person,
            organization=commune,
            body=body,
            term_start=today,
            term_end=today + timedelta(days=365),
        )
    factories.role(person, commune, "delegate")
    accreditation = services.delegate_accredit(
        actor=SYSTEM,
        person=person,
        organization=commune,
        body=body,
        term_start=today,
        term_end=today + timedelta(days=365),
    )
    assert accreditation.body == body
