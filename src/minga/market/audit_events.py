"""What the marketplace writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class MarketEvent(AuditEvent):
    LISTING_CREATE = "market.listing.create", _("%(actor)s published %(object)s")
    LISTING_UPDATE = "market.listing.update", _("%(actor)s edited %(object)s")
    LISTING_CLOSE = "market.listing.close", _("%(actor)s closed %(object)s")
    LISTING_REOPEN = "market.listing.reopen", _("%(actor)s reopened %(object)s")
    LISTING_PHOTO_ADD = "market.listing.photo_add", _("%(actor)s added a photo to %(object)s")
    LISTING_PHOTO_REMOVE = (
        "market.listing.photo_remove",
        _("%(actor)s removed a photo from %(object)s"),
    )
