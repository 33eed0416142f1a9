"""Writes of roles and delegates: who holds which role in an organization, for what period,
and who is accredited to a body on behalf of an organization."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded
from minga.common.visibility import forget_viewer
from minga.people.services import access_tokens_suspend

from ..audit_events import RegistryEvent
from ..models import Body, DelegateAccreditation, Organization, Role, RoleKind
from ..selectors import DECIDING_ROLES
from .memberships import _person_or_none


def _assign_role(
    *,
    actor: Any,
    person: Any,
    organization: Organization,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
    title: str = "",
) -> Role:
    """The write itself, for services that have already checked their own permission."""
    if kind not in RoleKind.values:
        raise DomainError(
            _("Unknown role “%(kind)s”.") % {"kind": kind}, "kind", code="unknown_role"
        )
    if ended_on is not None and ended_on < started_on:
        raise DomainError(
            _("A role cannot end before it starts."), "ended_on", code="ends_before_start"
        )
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
        raise DomainError(
            _("This person already holds that role in that period."),
            "kind",
            code="role_overlaps",
            status=409,
        )
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
        action=RegistryEvent.ROLE_ASSIGN,
        target=role,
        changes={"kind": [None, kind], "started_on": [None, str(started_on)]},
    )
    if kind in DECIDING_ROLES:
        # Tokens made before the person had to use a second factor wait for its confirmation.
        access_tokens_suspend(actor=actor, person=person)
    return role


@guarded("registry.role.manage", on="organization")
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
    return _assign_role(
        actor=actor,
        person=person,
        organization=organization,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        title=title,
    )


@guarded("registry.role.manage", on="role", via=lambda role: role.organization)
@transaction.atomic
def role_end(*, actor: Any, role: Role, ended_on: date) -> Role:
    role = Role.objects.select_for_update().get(pk=role.pk)
    if ended_on < role.started_on:
        raise DomainError(
            _("A role cannot end before it starts."), "ended_on", code="ends_before_start"
        )
    previous = role.ended_on
    role.ended_on = ended_on
    role.save(update_fields=["ended_on", "updated_at"])
    forget_viewer(role.person)
    audit.record(
        actor=actor,
        action=RegistryEvent.ROLE_END,
        target=role,
        changes={"ended_on": [str(previous) if previous else None, str(ended_on)]},
    )
    return role


@guarded("registry.delegate.accredit", on="body")
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
        raise DomainError(
            _("A term cannot end before it starts."), "term_end", code="ends_before_start"
        )
    if (
        not Role.objects.current(term_start)
        .filter(person=person, organization=organization)
        .exists()
    ):
        raise DomainError(
            _("A delegate must hold a role in the organization they represent."),
            "person",
            code="delegate_without_role",
        )
    accreditation = DelegateAccreditation.objects.create(
        person=person,
        organization=organization,
        body=body,
        term_start=term_start,
        term_end=term_end,
        accredited_by=_person_or_none(actor),
    )
    audit.record(actor=actor, action=RegistryEvent.DELEGATE_ACCREDIT, target=accreditation)
    return accreditation
