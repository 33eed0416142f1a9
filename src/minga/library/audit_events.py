"""What the library writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class LibraryEvent(AuditEvent):
    ITEM_CREATE = "library.item.create", _("%(actor)s added %(object)s to the library")
    ITEM_UPDATE = "library.item.update", _("%(actor)s edited %(object)s")
    ITEM_RESTORE = "library.item.restore", _("%(actor)s restored an earlier version of %(object)s")
    ITEM_DELETE = "library.item.delete", _("%(actor)s removed %(object)s from the library")
    ITEM_ACCESS = "library.item.access", _("%(actor)s changed who may read %(object)s")
    CONSENT_RECORD = "library.consent.record", _("%(actor)s recorded consent for %(object)s")
    ATTACHMENT_ADD = "library.attachment.add", _("%(actor)s attached a file to %(object)s")
    ATTACHMENT_REMOVE = (
        "library.attachment.remove",
        _("%(actor)s removed a file from %(object)s"),
    )
    LINK_ADD = "library.link.add", _("%(actor)s linked %(object)s to another item")
    LINK_REMOVE = "library.link.remove", _("%(actor)s removed a link of %(object)s")
    TRANSLATION_STEP = (
        "library.translation.step",
        _("%(actor)s moved a translation of %(object)s along its workflow"),
    )
    TRANSLATION_WRITE = (
        "library.translation.write",
        _("%(actor)s wrote a translation of %(object)s"),
    )
    PROTOCOL_CREATE = "library.protocol.create", _("%(actor)s created the protocol %(object)s")
    PROTOCOL_UPDATE = "library.protocol.update", _("%(actor)s changed the protocol %(object)s")
    MEMBERSHIP_GRANT = (
        "library.protocol.grant",
        _("%(actor)s let someone into the protocol %(object)s"),
    )
    MEMBERSHIP_REVOKE = (
        "library.protocol.revoke",
        _("%(actor)s took someone out of the protocol %(object)s"),
    )
    REQUEST_SUBMIT = (
        "library.request.submit",
        _("%(actor)s asked to join the protocol %(object)s"),
    )
    REQUEST_DECIDE = (
        "library.request.decide",
        _("%(actor)s answered a request to join the protocol %(object)s"),
    )
    REQUEST_WITHDRAW = (
        "library.request.withdraw",
        _("%(actor)s withdrew a request to join the protocol %(object)s"),
    )
    COLLECTION_CREATE = (
        "library.collection.create",
        _("%(actor)s created the collection %(object)s"),
    )
    COLLECTION_UPDATE = (
        "library.collection.update",
        _("%(actor)s changed the collection %(object)s"),
    )
    BUNDLE_IMPORT = "library.bundle.import", _("%(actor)s imported %(object)s from a bundle")
