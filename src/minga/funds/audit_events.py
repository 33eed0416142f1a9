"""What the funds write to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class FundsEvent(AuditEvent):
    FUND_CREATE = "funds.fund.create", _("%(actor)s created the fund %(object)s")
    FUND_UPDATE = "funds.fund.update", _("%(actor)s changed the fund %(object)s")
    BUDGET_SET = "funds.budget.set", _("%(actor)s set a budget line of %(object)s")
    PLEDGE_CREATE = "funds.pledge.create", _("%(actor)s made the pledge %(object)s")
    PLEDGE_CANCEL = "funds.pledge.cancel", _("%(actor)s cancelled the pledge %(object)s")
    CONTRIBUTION_RECEIVE = (
        "funds.contribution.receive",
        _("%(actor)s recorded a contribution: %(object)s"),
    )
    SPENDING_REQUEST = "funds.spending.request", _("%(actor)s asked to spend: %(object)s")
    SPENDING_APPROVE = "funds.spending.approve", _("%(actor)s approved: %(object)s")
    SPENDING_REFUSE = "funds.spending.refuse", _("%(actor)s refused: %(object)s")
    SPENDING_PAY = "funds.spending.pay", _("%(actor)s paid: %(object)s")
    MOVEMENT_REVERSE = "funds.movement.reverse", _("%(actor)s reversed: %(object)s")
