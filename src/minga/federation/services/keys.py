"""Our actors' signing keys: made when first needed, rotated on request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from minga.common import audit
from minga.common.permissions import guarded, unguarded

from ..audit_events import FederationEvent
from ..models import SigningKey
from ..signatures import new_key_pair

if TYPE_CHECKING:
    from minga.registry.models import Organization


@unguarded("the server makes its actors' keys when they first sign or are described")
def current_key(organization: Organization | None = None) -> SigningKey:
    """The key an organization (or, with None, the server) signs with now."""
    existing = SigningKey.objects.filter(organization=organization, retired_at__isnull=True)
    if organization is None:
        existing = existing.filter(organization__isnull=True)
    key = existing.first()
    if key is not None:
        return key
    private, public = new_key_pair()
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                organization=organization, private_pem=private, public_pem=public
            )
    except IntegrityError:
        # Another request made it first: use theirs.
        return existing.get()


@guarded("federation.key.rotate", on="organization")
@transaction.atomic
def key_rotate(*, actor: Any, organization: Organization) -> SigningKey:
    """Retire the organization's key and make a new one; followers' servers are told (an
    Update of the actor), and signatures made with the old key stop verifying."""
    from .outbox import actor_update_send

    old = (
        SigningKey.objects.select_for_update(of=("self",))
        .filter(organization=organization, retired_at__isnull=True)
        .first()
    )
    number = SigningKey.objects.filter(organization=organization).count() + 1
    if old is not None:
        old.retired_at = timezone.now()
        old.save(update_fields=["retired_at"])
    private, public = new_key_pair()
    key = SigningKey.objects.create(
        organization=organization,
        fragment=f"key-{number}",
        private_pem=private,
        public_pem=public,
    )
    audit.record(actor=actor, action=FederationEvent.KEY_ROTATE, target=organization)
    actor_update_send(organization)
    return key
