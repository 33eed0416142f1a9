"""What the registry writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class RegistryEvent(AuditEvent):
    ORGANIZATION_CREATE = "registry.organization.create", _("%(actor)s registered %(object)s")
    ORGANIZATION_UPDATE = "registry.organization.update", _("%(actor)s edited %(object)s")
    ORGANIZATION_LOGO = "registry.organization.logo", _("%(actor)s changed the logo of %(object)s")
    ORGANIZATION_PUBLISH = (
        "registry.organization.publish",
        _("%(object)s became public when %(actor)s approved its membership"),
    )
    RELATION_APPLY = "registry.relation.apply", _("%(actor)s applied for membership: %(object)s")
    RELATION_ACTIVE = "registry.relation.active", _("%(actor)s approved the membership %(object)s")
    RELATION_REJECTED = (
        "registry.relation.rejected",
        _("%(actor)s rejected the membership request %(object)s"),
    )
    RELATION_SUSPENDED = (
        "registry.relation.suspended",
        _("%(actor)s suspended the membership %(object)s"),
    )
    RELATION_WITHDRAWN = (
        "registry.relation.withdrawn",
        _("%(actor)s withdrew the membership %(object)s"),
    )
    RELATION_ENDED = "registry.relation.ended", _("%(actor)s ended the membership %(object)s")
    ROLE_ASSIGN = "registry.role.assign", _("%(actor)s gave a role: %(object)s")
    ROLE_END = "registry.role.end", _("%(actor)s ended a role: %(object)s")
    DELEGATE_ACCREDIT = (
        "registry.delegate.accredit",
        _("%(actor)s accredited a delegate: %(object)s"),
    )
    DEMO_LOAD = "registry.demo.load", _("%(actor)s loaded the demo federation into %(object)s")


RELATION_EVENTS = {
    "active": RegistryEvent.RELATION_ACTIVE,
    "rejected": RegistryEvent.RELATION_REJECTED,
    "suspended": RegistryEvent.RELATION_SUSPENDED,
    "withdrawn": RegistryEvent.RELATION_WITHDRAWN,
    "ended": RegistryEvent.RELATION_ENDED,
}
