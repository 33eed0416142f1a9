"""Writes of the registry. Each function is keyword-only, atomic, audited, and checks its inputs.

Permission checks happen in the callers (views, API, CLI) with ``minga.common.permissions``;
these functions check the rules of the domain itself (a closed membership cannot be approved,
a role cannot end before it starts …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
from minga.common.models import Visibility
from minga.common.visibility import forget_viewer

from .models import (
    Body,
    ContactChannel,
    DelegateAccreditation,
    Language,
    Organization,
    OrganizationKind,
    OrganizationRelation,
    OrganizationStatus,
    Region,
    RelationEvent,
    RelationKind,
    RelationStatus,
    Role,
    RoleKind,
)
from .tasks import index_organizations


class RegistryError(Exception):
    """A request the registry's rules refuse; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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


def _snapshot(organization: Organization) -> dict[str, Any]:
    values = {name: getattr(organization, name) for name in AUDITED_FIELDS}
    values["country"] = str(organization.country)
    values["languages"] = sorted(organization.languages.values_list("code", flat=True))
    return values


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
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
        raise RegistryError(_("Unknown region “%(code)s”.") % {"code": data.region}, "region")
    languages = list(Language.objects.filter(code__in=data.languages))
    unknown = sorted(set(data.languages) - {language.code for language in languages})
    if unknown:
        raise RegistryError(
            _("Unknown language code(s): %(codes)s.") % {"codes": ", ".join(unknown)}, "languages"
        )
    organization.name = data.name.strip()
    organization.kind = data.kind
    organization.country = data.country.upper()
    organization.region = region
    organization.slug = data.slug or organization.slug or unique_slug(data.name)
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
        raise RegistryError(f"{name}: {' '.join(messages)}", name) from error
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
            raise RegistryError(
                _("Contact %(number)d: %(errors)s")
                % {"number": position + 1, "errors": "; ".join(error.messages)},
                "contacts",
            ) from error
        channel.save()
        if visibility == Visibility.ORGANIZATIONS:
            channel.visible_to_organizations.add(organization)


class ImportRowError(RegistryError):
    """A row of an import file the registry refuses; nothing of the file was imported."""

    def __init__(self, line: int, message: str, field: str | None = None) -> None:
        super().__init__(message, field)
        self.line = line

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _reindex_on_commit(*organization_ids: int) -> None:
    ids = list(organization_ids)
    transaction.on_commit(lambda: index_organizations.enqueue(ids))


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
    organization = Organization(visibility=visibility)
    languages = _apply(organization, data)
    organization.save()
    organization.languages.set(languages)
    organization.visible_to_organizations.set(list(visible_to))
    organization.custodians.set(list(custodians))
    _replace_contacts(organization, data.contacts)
    audit.record(
        actor=actor,
        action="registry.organization.create",
        target=organization,
        changes=audit.field_changes({}, _snapshot(organization)),
    )
    if reindex:
        _reindex_on_commit(organization.pk)
    return organization


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
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = _snapshot(organization)
    languages = _apply(organization, data)
    organization.save()
    organization.languages.set(languages)
    if replace_contacts:
        _replace_contacts(organization, data.contacts)
    changes = audit.field_changes(before, _snapshot(organization))
    if changes:
        audit.record(
            actor=actor, action="registry.organization.update", target=organization, changes=changes
        )
    if logo is not None:
        organization = organization_set_logo(actor=actor, organization=organization, logo=logo)
    if reindex:
        _reindex_on_commit(organization.pk)
    return organization


@transaction.atomic
def organizations_import(
    *,
    actor: Any,
    records: Iterable[tuple[int, OrganizationData]],
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Create or update (by slug) every organization of a file, all or nothing.

    Importing the same file twice changes nothing the second time, so a retry is safe.
    """
    created = updated = 0
    touched: list[int] = []
    for line, data in records:
        try:
            existing = Organization.objects.filter(slug=data.slug).first() if data.slug else None
            if existing is None:
                organization = organization_create(actor=actor, data=data, reindex=False)
                created += 1
            else:
                organization = organization_update(
                    actor=actor, organization=existing, data=data, reindex=False
                )
                updated += 1
        except RegistryError as error:
            raise ImportRowError(line, error.message, error.field) from error
        touched.append(organization.pk)
        if progress is not None:
            progress(1)
    _reindex_on_commit(*touched)
    return ImportResult(created=created, updated=updated)


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    RelationStatus.PENDING: {
        RelationStatus.ACTIVE,
        RelationStatus.REJECTED,
        RelationStatus.WITHDRAWN,
    },
    RelationStatus.ACTIVE: {
        RelationStatus.SUSPENDED,
        RelationStatus.WITHDRAWN,
        RelationStatus.ENDED,
    },
    RelationStatus.SUSPENDED: {
        RelationStatus.ACTIVE,
        RelationStatus.WITHDRAWN,
        RelationStatus.ENDED,
    },
}


LOGO_MAX_BYTES = 512 * 1024


@transaction.atomic
def organization_set_logo(*, actor: Any, organization: Organization, logo: Any) -> Organization:
    """Replace the logo; an image over 512 KB is refused (pages must stay light)."""
    if logo.size > LOGO_MAX_BYTES:
        raise RegistryError(_("The logo must be smaller than 512 KB."), "logo")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.logo.save(logo.name, logo, save=False)
    organization.save(update_fields=["logo", "updated_at"])
    audit.record(
        actor=actor,
        action="registry.organization.logo",
        target=organization,
        changes={"logo": [None, organization.logo.name]},
    )
    return organization


def _move(
    relation: OrganizationRelation, *, to: str, actor: Any, reason: str, on: date | None = None
) -> OrganizationRelation:
    if to not in ALLOWED_TRANSITIONS.get(relation.status, set()):
        raise RegistryError(
            _("A membership that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": relation.get_status_display(),
                "target": RelationStatus(to).label,
            },
            "status",
        )
    if to in (RelationStatus.REJECTED, RelationStatus.SUSPENDED) and not reason.strip():
        raise RegistryError(_("Please give a reason."), "reason")
    day = on or timezone.localdate()
    previous = relation.status
    relation.status = to
    if to == RelationStatus.ACTIVE and relation.started_on is None:
        relation.started_on = day
    if to in (RelationStatus.WITHDRAWN, RelationStatus.ENDED, RelationStatus.REJECTED):
        relation.ended_on = day
    relation.save(update_fields=["status", "started_on", "ended_on", "updated_at"])
    RelationEvent.objects.create(
        relation=relation, from_status=previous, to_status=to, actor=_person(actor), reason=reason
    )
    audit.record(
        actor=actor,
        action=f"registry.relation.{to}",
        target=relation,
        changes={"status": [previous, to]},
        reason=reason,
    )
    return relation


def _person(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def relation_apply(
    *,
    actor: Any,
    member: Organization,
    parent: Organization,
    motivation: str = "",
    kind: str = RelationKind.MEMBER_OF,
) -> OrganizationRelation:
    """An organization asks to join a network (or a council to belong to a commune)."""
    if member.pk == parent.pk:
        raise RegistryError(_("An organization cannot join itself."), "parent")
    if kind == RelationKind.MEMBER_OF and parent.kind != OrganizationKind.NETWORK:
        raise RegistryError(_("Organizations can only join networks."), "parent")
    if kind == RelationKind.PART_OF and (
        parent.kind != OrganizationKind.COMMUNE or member.kind != OrganizationKind.COMMUNAL_COUNCIL
    ):
        raise RegistryError(_("Only communal councils belong to communes."), "parent")
    existing = (
        OrganizationRelation.objects.select_for_update()
        .filter(
            member=member, parent=parent, kind=kind, status__in=["pending", "active", "suspended"]
        )
        .first()
    )
    if existing is not None:
        if existing.status == RelationStatus.PENDING:
            # Retrying an application is safe: the open request is returned as it is.
            return existing
        raise RegistryError(_("This organization is already a member."), "parent")
    relation = OrganizationRelation.objects.create(
        member=member,
        parent=parent,
        kind=kind,
        status=RelationStatus.PENDING,
        motivation=motivation,
        requested_by=_person(actor),
    )
    RelationEvent.objects.create(
        relation=relation, to_status=RelationStatus.PENDING, actor=_person(actor), reason=motivation
    )
    audit.record(actor=actor, action="registry.relation.apply", target=relation)
    return relation


@transaction.atomic
def relation_approve(
    *, actor: Any, relation: OrganizationRelation, reason: str = ""
) -> OrganizationRelation:
    relation = (
        OrganizationRelation.objects.select_for_update()
        .select_related("member")
        .get(pk=relation.pk)
    )
    relation = _move(relation, to=RelationStatus.ACTIVE, actor=actor, reason=reason)
    member = relation.member
    if member.visibility != Visibility.PUBLIC and relation.kind == RelationKind.MEMBER_OF:
        # An organization that applied from outside becomes public once it is accepted.
        member.visibility = Visibility.PUBLIC
        member.save(update_fields=["visibility", "updated_at"])
        audit.record(
            actor=actor,
            action="registry.organization.publish",
            target=member,
            changes={"visibility": ["restricted", Visibility.PUBLIC]},
        )
        _reindex_on_commit(member.pk)
    return relation


@transaction.atomic
def relation_reject(
    *, actor: Any, relation: OrganizationRelation, reason: str
) -> OrganizationRelation:
    relation = OrganizationRelation.objects.select_for_update().get(pk=relation.pk)
    return _move(relation, to=RelationStatus.REJECTED, actor=actor, reason=reason)


@transaction.atomic
def relation_suspend(
    *, actor: Any, relation: OrganizationRelation, reason: str
) -> OrganizationRelation:
    relation = OrganizationRelation.objects.select_for_update().get(pk=relation.pk)
    return _move(relation, to=RelationStatus.SUSPENDED, actor=actor, reason=reason)


@transaction.atomic
def relation_reinstate(
    *, actor: Any, relation: OrganizationRelation, reason: str = ""
) -> OrganizationRelation:
    relation = OrganizationRelation.objects.select_for_update().get(pk=relation.pk)
    if relation.status != RelationStatus.SUSPENDED:
        raise RegistryError(_("Only a suspended membership can be reinstated."), "status")
    return _move(relation, to=RelationStatus.ACTIVE, actor=actor, reason=reason)


@transaction.atomic
def relation_withdraw(
    *, actor: Any, relation: OrganizationRelation, reason: str = ""
) -> OrganizationRelation:
    relation = OrganizationRelation.objects.select_for_update().get(pk=relation.pk)
    return _move(relation, to=RelationStatus.WITHDRAWN, actor=actor, reason=reason)


RELATION_DECISIONS: dict[str, Callable[..., OrganizationRelation]] = {
    "approve": relation_approve,
    "reject": relation_reject,
    "suspend": relation_suspend,
    "reinstate": relation_reinstate,
    "withdraw": relation_withdraw,
}


def relation_decide(
    *, actor: Any, relation: OrganizationRelation, action: str, reason: str = ""
) -> OrganizationRelation:
    """Apply one of the named decisions (the pages and the API offer the same set)."""
    if action not in RELATION_DECISIONS:
        raise RegistryError(_("Unknown action."), "action")
    return RELATION_DECISIONS[action](actor=actor, relation=relation, reason=reason)


@transaction.atomic
def join_request_submit(
    *, applicant: Any, network: Organization, data: OrganizationData, motivation: str
) -> OrganizationRelation:
    """A newcomer registers a new organization and asks for it to join a network.

    Until a coordinator approves, the organization is visible only to the applicant and to
    members of the network, and the applicant is its spokesperson.
    """
    if not motivation.strip():
        raise RegistryError(_("Please say why the organization wants to join."), "motivation")
    organization = organization_create(
        actor=applicant,
        data=data,
        visibility=Visibility.ORGANIZATIONS,
        visible_to=[network],
        custodians=[applicant],
    )
    role_assign(
        actor=applicant,
        person=applicant,
        organization=organization,
        kind=RoleKind.SPOKESPERSON,
        started_on=timezone.localdate(),
    )
    return relation_apply(
        actor=applicant, member=organization, parent=network, motivation=motivation
    )


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    person: Any,
    organization: Organization,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
    title: str = "",
) -> Role:
    if kind not in RoleKind.values:
        raise RegistryError(_("Unknown role “%(kind)s”.") % {"kind": kind}, "kind")
    if ended_on is not None and ended_on < started_on:
        raise RegistryError(_("A role cannot end before it starts."), "ended_on")
    overlapping = (
        Role.objects.select_for_update()
        .filter(
            person=person,
            organization=organization,
            kind=kind,
            started_on__lte=ended_on or date.max,
        )
        .exclude(ended_on__lt=started_on)
    )
    if overlapping.exists():
        raise RegistryError(_("This person already holds that role in that period."), "kind")
    role = Role.objects.create(
        person=person,
        organization=organization,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        title=title,
    )
    forget_viewer(person)
    audit.record(
        actor=actor,
        action="registry.role.assign",
        target=role,
        changes={"kind": [None, kind], "started_on": [None, str(started_on)]},
    )
    return role


@transaction.atomic
def role_end(*, actor: Any, role: Role, ended_on: date) -> Role:
    role = Role.objects.select_for_update().get(pk=role.pk)
    if ended_on < role.started_on:
        raise RegistryError(_("A role cannot end before it starts."), "ended_on")
    previous = role.ended_on
    role.ended_on = ended_on
    role.save(update_fields=["ended_on", "updated_at"])
    forget_viewer(role.person)
    audit.record(
        actor=actor,
        action="registry.role.end",
        target=role,
        changes={"ended_on": [str(previous) if previous else None, str(ended_on)]},
    )
    return role


@transaction.atomic
def delegate_accredit(
    *,
    actor: Any,
    person: Any,
    organization: Organization,
    body: Body,
    term_start: date,
    term_end: date,
) -> DelegateAccreditation:
    if term_end < term_start:
        raise RegistryError(_("A term cannot end before it starts."), "term_end")
    if (
        not Role.objects.current(term_start)
        .filter(person=person, organization=organization)
        .exists()
    ):
        raise RegistryError(
            _("A delegate must hold a role in the organization they represent."), "person"
        )
    accreditation = DelegateAccreditation.objects.create(
        person=person,
        organization=organization,
        body=body,
        term_start=term_start,
        term_end=term_end,
        accredited_by=_person(actor),
    )
    audit.record(actor=actor, action="registry.delegate.accredit", target=accreditation)
    return accreditation
