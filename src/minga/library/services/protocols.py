"""Access protocols: creating them, membership, requests to join, and the log of readings."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded, unguarded
from minga.common.visibility import forget_viewer

from .. import selectors
from ..audit_events import LibraryEvent
from ..models import AccessLogEntry, AccessRequest, Item, Protocol, ProtocolMembership
from ..types import MembershipRole, ProtocolKind, RequestStatus
from .items import refresh_access


def _person(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _check(name: str, kind: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the protocol a name."), "name", code="protocol_without_name")
    if kind not in ProtocolKind.values:
        raise DomainError(_("Choose open or strict."), "kind", code="unknown_protocol_kind")
    return name[:200]


@guarded("library.protocol.create", on="community")
@transaction.atomic
def protocol_create(
    *,
    actor: Any,
    community: Any,
    name: str,
    description: str = "",
    kind: str = ProtocolKind.STRICT,
    include_community_members: bool = False,
    listed: bool = True,
    stewards: list[Any] | None = None,
) -> Protocol:
    """A community's protocol; whoever creates it is its first steward."""
    name = _check(name, kind)
    if Protocol.objects.filter(community=community, name=name).exists():
        raise DomainError(
            _("The community already has a protocol named “%(name)s”.") % {"name": name},
            "name",
            code="protocol_name_taken",
            status=409,
        )
    protocol = Protocol.objects.create(
        community=community,
        name=name,
        description=description.strip(),
        kind=kind,
        include_community_members=include_community_members,
        listed=listed,
        created_by=_person(actor),
    )
    for person in [_person(actor), *(stewards or [])]:
        if person is not None:
            ProtocolMembership.objects.get_or_create(
                protocol=protocol,
                person=person,
                defaults={"role": MembershipRole.STEWARD, "granted_by": _person(actor)},
            )
    audit.record(
        actor=actor,
        action=LibraryEvent.PROTOCOL_CREATE,
        target=protocol,
        changes={"kind": [None, kind], "community": [None, str(community.uuid)]},
    )
    return protocol


@guarded("library.protocol.steward", on="protocol")
@transaction.atomic
def protocol_update(
    *,
    actor: Any,
    protocol: Protocol,
    name: str,
    description: str,
    kind: str,
    include_community_members: bool,
    listed: bool,
) -> Protocol:
    """Change a protocol; if it becomes open or strict, its items' readers change at once."""
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    before = {
        "name": protocol.name,
        "kind": protocol.kind,
        "include_community_members": protocol.include_community_members,
        "listed": protocol.listed,
    }
    protocol.name = _check(name, kind)
    protocol.description = description.strip()
    protocol.kind = kind
    protocol.include_community_members = include_community_members
    protocol.listed = listed
    try:
        with transaction.atomic():
            protocol.save()
    except IntegrityError as error:
        raise DomainError(
            _("The community already has a protocol named “%(name)s”.") % {"name": name},
            "name",
            code="protocol_name_taken",
            status=409,
        ) from error
    after = {key: getattr(protocol, key) for key in before}
    changes = audit.field_changes(before, after)
    if changes:
        audit.record(
            actor=actor, action=LibraryEvent.PROTOCOL_UPDATE, target=protocol, changes=changes
        )
    if before["kind"] != kind:
        refresh_access(list(protocol.items.values_list("pk", flat=True)))
    return protocol


def _grant(actor: Any, protocol: Protocol, person: Any, role: str) -> ProtocolMembership:
    if role not in MembershipRole.values:
        raise DomainError(_("Choose member or steward."), "role", code="unknown_role")
    membership, created = ProtocolMembership.objects.get_or_create(
        protocol=protocol, person=person, defaults={"role": role, "granted_by": _person(actor)}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    elif not created:
        return membership
    # Someone let in through a request needs no further answer.
    AccessRequest.objects.filter(
        protocol=protocol, person=person, status=RequestStatus.PENDING
    ).update(status=RequestStatus.GRANTED, decided_by=_person(actor), decided_at=timezone.now())
    forget_viewer(person)
    audit.record(
        actor=actor,
        action=LibraryEvent.MEMBERSHIP_GRANT,
        target=protocol,
        changes={"member": [None, person.username], "role": [None, role]},
    )
    return membership


@guarded("library.protocol.steward", on="protocol")
@transaction.atomic
def membership_grant(
    *, actor: Any, protocol: Protocol, person: Any, role: str = MembershipRole.MEMBER
) -> ProtocolMembership:
    """Let a person into a protocol (or change their role); granting twice changes nothing."""
    return _grant(actor, protocol, person, role)


@guarded("library.protocol.steward", on="protocol")
@transaction.atomic
def membership_revoke(*, actor: Any, protocol: Protocol, person: Any, reason: str = "") -> None:
    """Take a person out of a protocol; from now on they read nothing it protects."""
    membership = ProtocolMembership.objects.filter(protocol=protocol, person=person).first()
    if membership is None:
        raise DomainError(
            _("This person is not in the protocol."), "person", code="not_a_member", status=409
        )
    if (
        membership.role == MembershipRole.STEWARD
        and not protocol.memberships.filter(role=MembershipRole.STEWARD)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise DomainError(
            _("A protocol keeps at least one steward; name another first."),
            "person",
            code="last_steward",
            status=409,
        )
    membership.delete()
    forget_viewer(person)
    audit.record(
        actor=actor,
        action=LibraryEvent.MEMBERSHIP_REVOKE,
        target=protocol,
        changes={"member": [person.username, None]},
        reason=reason,
    )


@guarded("library.protocol.request", on="protocol")
@transaction.atomic
def access_request_submit(*, actor: Any, protocol: Protocol, message: str = "") -> AccessRequest:
    """Ask a protocol's stewards to be let in; asking again while waiting changes nothing."""
    existing = AccessRequest.objects.filter(
        protocol=protocol, person=actor, status=RequestStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    request = AccessRequest.objects.create(
        protocol=protocol, person=actor, message=(message or "").strip()[:4000]
    )
    audit.record(actor=actor, action=LibraryEvent.REQUEST_SUBMIT, target=protocol)
    return request


@guarded("library.protocol.steward", on="request", via=lambda request: request.protocol)
@transaction.atomic
def access_request_decide(
    *, actor: Any, request: AccessRequest, grant: bool, answer: str = ""
) -> AccessRequest:
    """Grant (the person becomes a member) or refuse a request, with an answer."""
    request = (
        AccessRequest.objects.select_for_update()
        .select_related("protocol", "person")
        .get(pk=request.pk)
    )
    if request.status != RequestStatus.PENDING:
        raise DomainError(
            _("This request was already answered."), "status", code="request_answered", status=409
        )
    request.status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
    request.decided_by = _person(actor)
    request.decided_at = timezone.now()
    request.answer = (answer or "").strip()[:4000]
    request.save(update_fields=["status", "decided_by", "decided_at", "answer", "updated_at"])
    if grant:
        _grant(actor, request.protocol, request.person, MembershipRole.MEMBER)
    audit.record(
        actor=actor,
        action=LibraryEvent.REQUEST_DECIDE,
        target=request.protocol,
        changes={"status": [RequestStatus.PENDING, request.status]},
    )
    return request


@guarded("library.request.withdraw", on="request")
@transaction.atomic
def access_request_withdraw(*, actor: Any, request: AccessRequest) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise DomainError(
            _("This request was already answered."), "status", code="request_answered", status=409
        )
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=LibraryEvent.REQUEST_WITHDRAW, target=request.protocol)
    return request


@unguarded("the server notes each reading of a protected item for its stewards")
def access_record(*, actor: Any, item: Item, channel: str) -> AccessLogEntry | None:
    """Log a reading of an item under a strict protocol (nothing for other items)."""
    if not selectors.is_strict(item):
        return None
    return AccessLogEntry.objects.create(item=item, person=_person(actor), channel=channel)
