"""What the exchange writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class ExchangeEvent(AuditEvent):
    UNIT_CREATE = "exchange.unit.create", _("%(actor)s created the unit of account %(object)s")
    ACCOUNT_OPEN = "exchange.account.open", _("%(actor)s opened the account %(object)s")
    ACCOUNT_LIMITS = "exchange.account.limits", _("%(actor)s changed the limits of %(object)s")
    ACCOUNT_FREEZE = "exchange.account.freeze", _("%(actor)s froze the account %(object)s")
    ACCOUNT_UNFREEZE = "exchange.account.unfreeze", _("%(actor)s unfroze the account %(object)s")
    AGREEMENT_PROPOSE = (
        "exchange.agreement.propose",
        _("%(actor)s proposed the agreement %(object)s"),
    )
    AGREEMENT_ACCEPT = "exchange.agreement.accept", _("%(actor)s accepted the agreement %(object)s")
    AGREEMENT_DELIVER = (
        "exchange.agreement.deliver",
        _("%(actor)s confirmed delivery under %(object)s"),
    )
    AGREEMENT_SETTLE = "exchange.agreement.settle", _("The agreement %(object)s was settled")
    AGREEMENT_CANCEL = (
        "exchange.agreement.cancel",
        _("%(actor)s cancelled the agreement %(object)s"),
    )
    OBLIGATIONS_IMPORT = (
        "exchange.obligations.import",
        _("%(actor)s recorded obligations in %(object)s"),
    )
    CLEARING_OPEN = "exchange.clearing.open", _("%(actor)s opened the clearing round %(object)s")
    CLEARING_CONSENT = "exchange.clearing.consent", _("%(actor)s consented to %(object)s")
    CLEARING_OBJECT = "exchange.clearing.object", _("%(actor)s objected to %(object)s")
    CLEARING_APPLY = "exchange.clearing.apply", _("%(actor)s applied the clearing round %(object)s")
    BARTER_RUN = "exchange.barter.run", _("%(actor)s ran the barter round %(object)s")
