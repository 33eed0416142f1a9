"""Reads of federation: follows, remote actors, and the administrators' view of deliveries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from . import activitypub as ap
from .models import ActorBlock, Delivery, DomainBlock, Follow, InboxItem, RemoteActor, RemoteServer
from .types import DeliveryState, FollowState

OPEN = (FollowState.PENDING, FollowState.ACCEPTED)


def followed_organization_ids(organization: Any) -> QuerySet[Any]:
    """Organizations of this server that ``organization`` follows (a subquery of keys)."""
    return Follow.objects.filter(
        follower_organization=organization,
        state=FollowState.ACCEPTED,
        target_organization__isnull=False,
    ).values("target_organization_id")


def followed_actor_ids(organization: Any) -> QuerySet[Any]:
    """Remote actors that ``organization`` follows (a subquery of keys)."""
    return Follow.objects.filter(
        follower_organization=organization,
        state=FollowState.ACCEPTED,
        target_actor__isnull=False,
    ).values("target_actor_id")


def is_followed_here(actor: RemoteActor) -> bool:
    """Whether any organization of this server follows the remote actor."""
    return Follow.objects.filter(target_actor=actor, state=FollowState.ACCEPTED).exists()


def following_of(organization: Any) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(follower_organization=organization, state__in=OPEN)
        .select_related("target_organization", "target_actor__server")
        .order_by("-created_at")
    )


def followers_of(organization: Any) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(target_organization=organization, state=FollowState.ACCEPTED)
        .select_related("follower_organization", "follower_actor__server")
        .order_by("-created_at")
    )


def follower_count(organization: Any) -> int:
    return Follow.objects.filter(
        target_organization=organization, state=FollowState.ACCEPTED
    ).count()


def following_count(organization: Any) -> int:
    return Follow.objects.filter(
        follower_organization=organization, state=FollowState.ACCEPTED
    ).count()


def get_follow_for(organization: Any, uuid: Any) -> Follow:
    """A follow that involves the organization; 404 otherwise."""
    follow = (
        Follow.objects.filter(uuid=uuid)
        .filter(Q(follower_organization=organization) | Q(target_organization=organization))
        .select_related(
            "follower_organization", "target_organization", "follower_actor", "target_actor"
        )
        .first()
    )
    if follow is None:
        raise Http404
    return follow


def remote_actor(uri: str) -> RemoteActor | None:
    return RemoteActor.objects.select_related("server").filter(uri=uri).first()


def remote_actor_by_id(pk: int) -> RemoteActor | None:
    return RemoteActor.objects.select_related("server").filter(pk=pk).first()


def servers_with_delivery_counts() -> QuerySet[RemoteServer]:
    """Every known server with its deliveries by state, the worst first."""
    return RemoteServer.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
        queued=Count("deliveries", filter=Q(deliveries__state=DeliveryState.QUEUED)),
        failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
        actors_known=Count("actors", distinct=True),
    ).order_by("-consecutive_failures", "-failed", "domain")


def deliveries(*, server: RemoteServer | None = None, state: str = "") -> QuerySet[Delivery]:
    rows = Delivery.objects.select_related("activity", "server").order_by("-created_at", "-id")
    if server is not None:
        rows = rows.filter(server=server)
    if state:
        rows = rows.filter(state=state)
    return rows


def get_server(domain: str) -> RemoteServer:
    server = RemoteServer.objects.filter(domain=domain).first()
    if server is None:
        raise Http404
    return server


def recent_inbox_items(limit: int = 50) -> QuerySet[InboxItem]:
    return InboxItem.objects.order_by("-received_at")[:limit]


def domain_blocks() -> QuerySet[DomainBlock]:
    return DomainBlock.objects.select_related("created_by")


def actor_blocks() -> QuerySet[ActorBlock]:
    return ActorBlock.objects.select_related("created_by")


def delivery_totals() -> dict[str, int]:
    counts = dict(
        Delivery.objects.order_by()
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in DeliveryState.values}


def handle_of(organization: Any) -> str:
    """``@slug@host``: how people elsewhere find the organization."""
    return f"@{organization.slug}@{ap.local_domain()}"


def actor_uri_of(organization: Any) -> str:
    return ap.actor_uri(organization)


def outbound_activity_count(object_uri: str) -> int:
    from .models import OutboxActivity

    return OutboxActivity.objects.filter(object_uri=object_uri).count()


def visible_follows(user: Any) -> QuerySet[Follow]:
    """Follows that involve an organization the user may see (for the audit log)."""
    from minga.registry.selectors import visible_organizations

    visible = visible_organizations(user)
    return Follow.objects.filter(
        Q(follower_organization__in=visible) | Q(target_organization__in=visible)
    )


def domain_blocked(domain: str) -> bool:
    """Whether the domain, or a domain it is part of, is blocked."""
    host = domain.split(":")[0].lower()
    parts = host.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts))} | {domain.lower()}
    return DomainBlock.objects.filter(domain__in=candidates).exists()


def actor_blocked(uri: str) -> bool:
    return domain_blocked(ap.domain_of(uri)) or ActorBlock.objects.filter(actor_uri=uri).exists()
