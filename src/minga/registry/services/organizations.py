"""Writes of organizations: registering, editing, logos; the join request of a newcomer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.files import IMAGES, check_upload, server_name
from minga.common.models import Visibility
from minga.common.permissions import guarded, has_perm

from ..audit_events import RegistryEvent
from ..models import (
    ContactChannel,
    Language,
    Organization,
    OrganizationKind,
    OrganizationRelation,
    OrganizationStatus,
    Region,
    RoleKind,
)
from ..tasks import index_organizations


@dataclass
class OrganizationData:
    """The editable fields of an organization, as validated input."""

    name: str
    kind: str
    country: str
    region: str  # a Region code
    slug: str = ""
    name_language: str = "es"
    names: dict[str, str] = field(default_factory=dict)
    area: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    languages: list[str] = field(default_factory=list)
    description: str = ""
    description_language: str = "es"
    founded_on: date | None = None
    registry_number: str = ""
    status: str = OrganizationStatus.ACTIVE
    contacts: Sequence[tuple[str, str, str]] = field(
        default_factory=list
    )  # kind, value, visibility


AUDITED_FIELDS = (
    "slug", "kind", "name", "name_language", "names", "country", "region_id", "area",
    "latitude", "longitude", "description", "description_language", "founded_on",
    "registry_number", "status", "visibility",
)  # fmt: skip

LOGO_MAX_BYTES = 512 * 1024


def _snapshot(organization: Organization) -> dict[str, Any]:
    values = {name: getattr(organization, name) for name in AUDITED_FIELDS}
    values["country"] = str(organization.country)
    values["languages"] = sorted(organization.languages.values_list("code", flat=True))
    return values


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "organization"
    candidate, number = base, 1
    taken = (
        Organization.objects.all()
        if exclude_pk is None
        else Organization.objects.exclude(pk=exclude_pk)
    )
    while taken.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _apply(organization: Organization, data: OrganizationData) -> list[Language]:
    region = Region.objects.filter(code=data.region).first()
    if region is None:
        raise DomainError(
            _("Unknown region “%(code)s”.") % {"code": data.region}, "region", code="unknown_region"
        )
    languages = list(Language.objects.filter(code__in=data.languages))
    unknown = sorted(set(data.languages) - {language.code for language in languages})
    if unknown:
        raise DomainError(
            _("Unknown language code(s): %(codes)s.") % {"codes": ", ".join(unknown)},
            "languages",
            code="unknown_language",
        )
    organization.name = data.name.strip()
    organization.kind = data.kind
    organization.country = data.country.upper()
    organization.region = region
    organization.slug = data.slug or organization.slug or _unique_slug(data.name)
    organization.name_language = data.name_language
    organization.names = {k: v.strip() for k, v in data.names.items() if v and v.strip()}
    organization.area = data.area.strip()
    organization.latitude = data.latitude
    organization.longitude = data.longitude
    organization.description = data.description
    organization.description_language = data.description_language
    organization.founded_on = data.founded_on
    organization.registry_number = data.registry_number.strip()
    organization.status = data.status
    try:
        organization.full_clean(exclude=["logo", "uuid"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise DomainError(
            _("%(field)s: %(errors)s") % {"field": name, "errors": " ".join(messages)},
            name,
            code="invalid_field",
        ) from error
    return languages


def _replace_contacts(organization: Organization, contacts: Sequence[tuple[str, str, str]]) -> None:
    organization.contact_channels.all().delete()
    for position, (kind, value, visibility) in enumerate(contacts):
        channel = ContactChannel(
            organization=organization,
            kind=kind,
            value=value.strip(),
            visibility=visibility,
            position=position,
        )
        try:
            channel.full_clean(exclude=["organization"])
        except ValidationError as error:
            raise DomainError(
                _("Contact %(number)d: %(errors)s")
                % {"number": position + 1, "errors": "; ".join(error.messages)},
                "contacts",
                code="invalid_contact",
            ) from error
        channel.save()
        if visibility == Visibility.ORGANIZATIONS:
            channel.visible_to_organizations.add(organization)


def _reindex_on_commit(*organization_ids: int) -> None:
    ids = list(organization_ids)
    transaction.on_commit(lambda: index_organizations.enqueue(ids))


def _check_classification(actor: Any, organization: Organization, data: OrganizationData) -> None:
    """A change of type or status is the networks' decision; anything that makes or unmakes a
    network (and so grants or removes network powers) is the platform administrators'."""
    new = organization.pk is None
    touches_network = (
        data.kind == OrganizationKind.NETWORK
        if new
        else OrganizationKind.NETWORK in (organization.kind, data.kind)
        and data.kind != organization.kind
    )
    if touches_network and not has_perm(actor, "registry.organization.make_network", organization):
        raise DomainError(
            _("Only the platform's administrators make an organization a network or unmake one."),
            "kind",
            code="network_kind_reserved",
            status=403,
        )
    if new:
        return
    for name in ("kind", "status"):
        changed = getattr(data, name) != getattr(organization, name)
        if changed and not has_perm(actor, "registry.organization.classify", organization):
            raise DomainError(
                _("Only the coordinators of its networks change this."),
                name,
                code="classification_reserved",
                status=403,
            )


def _create_organization(
    *,
    actor: Any,
    data: OrganizationData,
    visibility: str = Visibility.PUBLIC,
    visible_to: Iterable[Organization] = (),
    custodians: Iterable[Any] = (),
    reindex: bool = True,
) -> Organization:
    """The write itself, for services that have already checked their own permission."""
    organization = Organization(visibility=visibility)
    _check_classification(actor, organization, data)
    languages = _apply(organization, data)
    organization.save()
    organization.languages.set(languages)
    organization.visible_to_organizations.set(list(visible_to))
    organization.custodians.set(list(custodians))
    _replace_contacts(organization, data.contacts)
    audit.record(
        actor=actor,
        action=RegistryEvent.ORGANIZATION_CREATE,
        target=organization,
        changes=audit.field_changes({}, _snapshot(organization)),
    )
    if reindex:
        _reindex_on_commit(organization.pk)
    return organization


def _update_organization(
    *,
    actor: Any,
    organization: Organization,
    data: OrganizationData,
    replace_contacts: bool = True,
    reindex: bool = True,
    logo: Any = None,
) -> Organization:
    """The write itself, for services that have already checked their own permission."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_classification(actor, organization, data)
    before = _snapshot(organization)
    languages = _apply(organization, data)
    organization.save()
    organization.languages.set(languages)
    if replace_contacts:
        _replace_contacts(organization, data.contacts)
    changes = audit.field_changes(before, _snapshot(organization))
    if changes:
        audit.record(
            actor=actor,
            action=RegistryEvent.ORGANIZATION_UPDATE,
            target=organization,
            changes=changes,
        )
    if logo is not None:
        organization = _store_logo(actor, organization, logo)
    if reindex:
        _reindex_on_commit(organization.pk)
    return organization


@guarded("registry.organization.create")
@transaction.atomic
def organization_create(
    *,
    actor: Any,
    data: OrganizationData,
    visibility: str = Visibility.PUBLIC,
    visible_to: Iterable[Organization] = (),
    custodians: Iterable[Any] = (),
    reindex: bool = True,
) -> Organization:
    """Register an organization directly (coordinators of networks and the command line)."""
    return _create_organization(
        actor=actor,
        data=data,
        visibility=visibility,
        visible_to=visible_to,
        custodians=custodians,
        reindex=reindex,
    )


@guarded("registry.organization.change", on="organization")
@transaction.atomic
def organization_update(
    *,
    actor: Any,
    organization: Organization,
    data: OrganizationData,
    replace_contacts: bool = True,
    reindex: bool = True,
    logo: Any = None,
) -> Organization:
    """Edit an organization; its type and status only as :func:`_check_classification` says."""
    return _update_organization(
        actor=actor,
        organization=organization,
        data=data,
        replace_contacts=replace_contacts,
        reindex=reindex,
        logo=logo,
    )


def _store_logo(actor: Any, organization: Organization, logo: Any) -> Organization:
    kind = check_upload(logo, allowed=IMAGES, max_bytes=LOGO_MAX_BYTES, field="logo")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    # The server names the file: the uploaded name may say the wrong type.
    organization.logo.save(server_name(kind), logo, save=False)
    organization.save(update_fields=["logo", "updated_at"])
    audit.record(
        actor=actor,
        action=RegistryEvent.ORGANIZATION_LOGO,
        target=organization,
        changes={"logo": [None, organization.logo.name]},
    )
    return organization


@guarded("registry.organization.change", on="organization")
@transaction.atomic
def organization_set_logo(*, actor: Any, organization: Organization, logo: Any) -> Organization:
    """Replace the logo; an image over 512 KB is refused (pages must stay light)."""
    return _store_logo(actor, organization, logo)


@guarded("registry.join.submit")
@transaction.atomic
def join_request_submit(
    *, actor: Any, network: Organization, data: OrganizationData, motivation: str
) -> OrganizationRelation:
    """A newcomer registers a new organization and asks for it to join a network.

    Until a coordinator approves, the organization is visible only to the applicant and to
    members of the network, and the applicant is its spokesperson.
    """
    from .memberships import _apply_for_membership
    from .roles import _assign_role

    if not motivation.strip():
        raise DomainError(
            _("Please say why the organization wants to join."),
            "motivation",
            code="motivation_required",
        )
    if network.kind != OrganizationKind.NETWORK:
        raise DomainError(
            _("Organizations can only join networks."), "network", code="not_a_network"
        )
    organization = _create_organization(
        actor=actor,
        data=data,
        visibility=Visibility.ORGANIZATIONS,
        visible_to=[network],
        custodians=[actor],
    )
    _assign_role(
        actor=actor,
        person=actor,
        organization=organization,
        kind=RoleKind.SPOKESPERSON,
        started_on=timezone.localdate(),
    )
    return _apply_for_membership(
        actor=actor, member=organization, parent=network, motivation=motivation
    )
