"""What the people app writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class PeopleEvent(AuditEvent):
    USER_CREATE = "people.user.create", _("%(actor)s created the account of %(object)s")
    USER_UPDATE = "people.user.update", _("%(actor)s changed the preferences of %(object)s")
    TOKEN_CREATE = "people.token.create", _("%(actor)s created the access token %(object)s")
    TOKEN_REVOKE = "people.token.revoke", _("%(actor)s revoked the access token %(object)s")
    TOKEN_SUSPEND = (
        "people.token.suspend",
        _("%(actor)s gave a role that needs a second factor: %(object)s waits for confirmation"),
    )
    TOKEN_CONFIRM = (
        "people.token.confirm",
        _("%(actor)s confirmed the access token %(object)s with a second factor"),
    )
    TWO_FACTOR_ENABLE = (
        "people.two_factor.enable",
        _("%(actor)s set up two-factor authentication for %(object)s"),
    )
