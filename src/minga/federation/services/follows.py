"""Following: our organizations follow others (here or elsewhere) and are followed.

Between two organizations of this server a follow is accepted at once and nothing travels.
A follow of a remote actor sends a Follow and waits for its server's Accept. Remote
followers are accepted when their Follow arrives (see ``inbox``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded

from .. import activitypub as ap
from ..audit_events import FederationEvent
from ..models import Follow, RemoteActor
from ..selectors import actor_blocked
from ..types import FollowState
from .outbox import activity_send

if TYPE_CHECKING:
    from minga.registry.models import Organization

OPEN = (FollowState.PENDING, FollowState.ACCEPTED)


def _follow_activity(follow: Follow) -> dict[str, Any]:
    """The Follow activity of one of our organizations (also the object of its Undo)."""
    if follow.follower_organization is None or follow.target_actor is None:
        raise ValueError("only our organizations' follows of remote actors are sent")
    return {
        "id": follow.activity_uri,
        "type": "Follow",
        "actor": ap.actor_uri(follow.follower_organization),
        "object": follow.target_actor.uri,
    }


@guarded("federation.follow.manage", on="organization")
@transaction.atomic
def follow_create(
    *, actor: Any, organization: Organization, target: Organization | RemoteActor
) -> Follow:
    """``organization`` follows ``target``; following twice is following once."""
    if isinstance(target, RemoteActor):
        existing = Follow.objects.filter(
            follower_organization=organization, target_actor=target, state__in=OPEN
        ).first()
        if existing is not None:
            return existing
        if target.gone or actor_blocked(target.uri):
            raise DomainError(
                _("This account cannot be followed from here."), "target", code="target_blocked"
            )
        follow = Follow.objects.create(
            follower_organization=organization, target_actor=target, state=FollowState.PENDING
        )
        follow.activity_uri = f"{ap.actor_uri(organization)}#follows/{follow.uuid}"
        follow.save(update_fields=["activity_uri"])
        activity_send(
            organization=organization, activity=_follow_activity(follow), inboxes=[target.inbox]
        )
    else:
        if target.pk == organization.pk:
            raise DomainError(
                _("An organization cannot follow itself."), "target", code="follow_self"
            )
        existing = Follow.objects.filter(
            follower_organization=organization, target_organization=target, state__in=OPEN
        ).first()
        if existing is not None:
            return existing
        follow = Follow.objects.create(
            follower_organization=organization,
            target_organization=target,
            state=FollowState.ACCEPTED,
            accepted_at=timezone.now(),
        )
    audit.record(actor=actor, action=FederationEvent.FOLLOW_CREATE, target=follow)
    return follow


@guarded(
    "federation.follow.manage",
    on="follow",
    via=lambda follow: follow.follower_organization,
)
@transaction.atomic
def follow_undo(*, actor: Any, follow: Follow) -> Follow:
    """Stop following; a remote server is told with an Undo."""
    follow = Follow.objects.select_for_update(of=("self",)).get(pk=follow.pk)
    if follow.state not in OPEN:
        return follow
    follow.state = FollowState.UNDONE
    follow.save(update_fields=["state", "updated_at"])
    if follow.target_actor is not None and follow.follower_organization is not None:
        organization = follow.follower_organization
        activity_send(
            organization=organization,
            activity={
                "id": f"{follow.activity_uri}/undo",
                "type": "Undo",
                "actor": ap.actor_uri(organization),
                "object": _follow_activity(follow),
            },
            inboxes=[follow.target_actor.inbox],
        )
    audit.record(actor=actor, action=FederationEvent.FOLLOW_UNDO, target=follow)
    return follow


@guarded(
    "federation.follow.manage",
    on="follow",
    via=lambda follow: follow.target_organization,
)
@transaction.atomic
def follower_remove(*, actor: Any, follow: Follow) -> Follow:
    """Remove a follower; a remote one's server is told with a Reject of its Follow."""
    follow = Follow.objects.select_for_update(of=("self",)).get(pk=follow.pk)
    if follow.state not in OPEN:
        return follow
    follow.state = FollowState.REJECTED
    follow.save(update_fields=["state", "updated_at"])
    if follow.follower_actor is not None and follow.target_organization is not None:
        organization = follow.target_organization
        activity_send(
            organization=organization,
            activity={
                "id": f"{ap.actor_uri(organization)}#rejects/{follow.uuid}",
                "type": "Reject",
                "actor": ap.actor_uri(organization),
                "object": {
                    "id": follow.activity_uri,
                    "type": "Follow",
                    "actor": follow.follower_actor.uri,
                    "object": ap.actor_uri(organization),
                },
            },
            inboxes=[follow.follower_actor.inbox],
        )
    audit.record(actor=actor, action=FederationEvent.FOLLOWER_REMOVE, target=follow)
    return follow
