"""Blocks by the server's administrators, and their handling of failed deliveries."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.common import audit
from minga.common.errors import DomainError
from minga.common.permissions import guarded

from .. import activitypub as ap
from ..audit_events import FederationEvent
from ..models import ActorBlock, Delivery, DomainBlock, Follow
from ..types import DeliveryState, FollowState


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _clean_domain(domain: str) -> str:
    cleaned = domain.strip().lower().removeprefix("https://").removeprefix("http://").strip("/")
    if (
        not cleaned
        or "/" in cleaned
        or " " in cleaned
        or ("." not in cleaned.split(":")[0] and (cleaned.split(":")[0] != "localhost"))
    ):
        raise DomainError(_("Write a domain such as example.org."), "domain", code="bad_domain")
    if cleaned == ap.local_domain():
        raise DomainError(_("This server cannot block itself."), "domain", code="bad_domain")
    return cleaned


def _sever(condition: Q) -> None:
    """End follows with the blocked and cancel what waits to be delivered to them."""
    Follow.objects.filter(condition, state__in=[FollowState.PENDING, FollowState.ACCEPTED]).update(
        state=FollowState.UNDONE, updated_at=timezone.now()
    )


@guarded("federation.block.manage")
@transaction.atomic
def domain_block(*, actor: Any, domain: str, reason: str = "") -> DomainBlock:
    """Refuse everything from a domain (and its subdomains) and send nothing to it; its
    follows end and queued deliveries to it are cancelled."""
    domain = _clean_domain(domain)
    block, _created = DomainBlock.objects.get_or_create(
        domain=domain, defaults={"reason": reason, "created_by": _person(actor)}
    )
    subdomains = Q(server__domain=domain) | Q(server__domain__endswith=f".{domain}")
    _sever(
        Q(follower_actor__server__domain=domain)
        | Q(follower_actor__server__domain__endswith=f".{domain}")
        | Q(target_actor__server__domain=domain)
        | Q(target_actor__server__domain__endswith=f".{domain}")
    )
    Delivery.objects.filter(subdomains, state=DeliveryState.QUEUED).update(
        state=DeliveryState.CANCELLED, next_attempt_at=None
    )
    audit.record(actor=actor, action=FederationEvent.DOMAIN_BLOCK, target=block, reason=reason)
    return block


@guarded("federation.block.manage")
@transaction.atomic
def domain_unblock(*, actor: Any, domain: str) -> None:
    block = DomainBlock.objects.filter(domain=domain.strip().lower()).first()
    if block is None:
        return
    audit.record(actor=actor, action=FederationEvent.DOMAIN_UNBLOCK, target=block)
    block.delete()


@guarded("federation.block.manage")
@transaction.atomic
def actor_block(*, actor: Any, actor_uri: str, reason: str = "") -> ActorBlock:
    """Refuse everything from one remote account and send nothing to it."""
    uri = actor_uri.strip()
    if not uri.startswith(("https://", "http://")) or ap.is_local(uri):
        raise DomainError(
            _("Write the address of a remote account (https://…)."),
            "actor_uri",
            code="bad_actor_uri",
        )
    block, _created = ActorBlock.objects.get_or_create(
        actor_uri=uri, defaults={"reason": reason, "created_by": _person(actor)}
    )
    _sever(Q(follower_actor__uri=uri) | Q(target_actor__uri=uri))
    audit.record(actor=actor, action=FederationEvent.ACTOR_BLOCK, target=block, reason=reason)
    return block


@guarded("federation.block.manage")
@transaction.atomic
def actor_unblock(*, actor: Any, actor_uri: str) -> None:
    block = ActorBlock.objects.filter(actor_uri=actor_uri.strip()).first()
    if block is None:
        return
    audit.record(actor=actor, action=FederationEvent.ACTOR_UNBLOCK, target=block)
    block.delete()


@guarded("federation.delivery.manage")
@transaction.atomic
def delivery_retry(*, actor: Any, delivery: Delivery) -> Delivery:
    """Try a given-up delivery again now (after the remote server is back)."""
    delivery = Delivery.objects.select_for_update(of=("self",)).get(pk=delivery.pk)
    if delivery.state != DeliveryState.FAILED:
        raise DomainError(
            _("Only a given-up delivery can be retried."),
            "delivery",
            code="delivery_not_failed",
            status=409,
        )
    delivery.move_to(DeliveryState.QUEUED)
    delivery.detail = ""
    delivery.save()
    audit.record(actor=actor, action=FederationEvent.DELIVERY_RETRY, target=delivery)
    return delivery
