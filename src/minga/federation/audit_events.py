"""What federation writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class FederationEvent(AuditEvent):
    KEY_ROTATE = "federation.key.rotate", _("%(actor)s renewed the signing key of %(object)s")
    FOLLOW_CREATE = "federation.follow.create", _("%(actor)s followed: %(object)s")
    FOLLOW_UNDO = "federation.follow.undo", _("%(actor)s stopped following: %(object)s")
    FOLLOWER_REMOVE = (
        "federation.follower.remove",
        _("%(actor)s removed a follower: %(object)s"),
    )
    DOMAIN_BLOCK = "federation.domain.block", _("%(actor)s blocked the domain %(object)s")
    DOMAIN_UNBLOCK = "federation.domain.unblock", _("%(actor)s unblocked the domain %(object)s")
    ACTOR_BLOCK = "federation.actor.block", _("%(actor)s blocked the account %(object)s")
    ACTOR_UNBLOCK = "federation.actor.unblock", _("%(actor)s unblocked the account %(object)s")
    DELIVERY_RETRY = "federation.delivery.retry", _("%(actor)s retried the delivery %(object)s")
