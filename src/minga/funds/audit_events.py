"""What the funds write to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class FundsEvent(AuditEvent):
    FUND_CREATE = "funds.fund.create", _("%(actor)s created the fund %(object)s")
    FUND_UPDATE = "funds.fund.update", _("%(actor)s changed the fund %(object)s")
    FUND_OWNER = "funds.fund.owner", _("%(actor)s changed which body owns %(object)s")
    FUND_RULE = "funds.fund.rule", _("%(actor)s changed how spending of %(object)s is approved")
    FUND_MANAGER_ADD = "funds.fund.manager_add", _("%(actor)s added a manager to %(object)s")
    FUND_MANAGER_REMOVE = (
        "funds.fund.manager_remove",
        _("%(actor)s removed a manager of %(object)s"),
    )
    BUDGET_SET = "funds.budget.set", _("%(actor)s set a budget line of %(object)s")
    PLEDGE_CREATE = "funds.pledge.create", _("%(actor)s made the pledge %(object)s")
    PLEDGE_CANCEL = "funds.pledge.cancel", _("%(actor)s cancelled the pledge %(object)s")
    PLEDGE_REMIND = "funds.pledge.remind", _("%(actor)s reminded the contributor of %(object)s")
    CONTRIBUTION_RECEIVE = (
        "funds.contribution.receive",
        _("%(actor)s recorded a contribution: %(object)s"),
    )
    SPENDING_REQUEST = "funds.spending.request", _("%(actor)s asked to spend: %(object)s")
    SPENDING_APPROVE = "funds.spending.approve", _("%(actor)s approved: %(object)s")
    SPENDING_REFUSE = "funds.spending.refuse", _("%(actor)s refused: %(object)s")
    SPENDING_PAY = "funds.spending.pay", _("%(actor)s paid: %(object)s")
    MOVEMENT_REVERSE = "funds.movement.reverse", _("%(actor)s reversed: %(object)s")
    RECEIPT_ATTACH = "funds.receipt.attach", _("%(actor)s attached a receipt to: %(object)s")
    # Legal cases: the entries name the case by its opaque reference only.
    CASE_OPEN = "funds.case.open", _("%(actor)s opened the case %(object)s")
    CASE_UPDATE = "funds.case.update", _("%(actor)s changed the case %(object)s")
    CASE_IDENTITY = "funds.case.identity", _("%(actor)s wrote the identity of %(object)s")
    CASE_TEAM = "funds.case.team", _("%(actor)s changed the team of %(object)s")
    CASE_DATE = "funds.case.date", _("%(actor)s wrote a hearing or deadline of %(object)s")
    CASE_NOTE = "funds.case.note", _("%(actor)s added a note to %(object)s")
    CASE_DOCUMENT = "funds.case.document", _("%(actor)s added a document to %(object)s")
    CASE_DOCUMENT_REMOVE = (
        "funds.case.document.remove",
        _("%(actor)s removed a document from %(object)s"),
    )
    CASE_EXPENSE = "funds.case.expense", _("%(actor)s asked to pay an expense of %(object)s")
    CASE_REMIND = "funds.case.remind", _("%(actor)s reminded the team of %(object)s")
    CASE_REKEY = "funds.case.rekey", _("%(actor)s re-encrypted %(object)s under a new key")
    CASE_DELETE = (
        "funds.case.delete",
        _("%(actor)s deleted the case %(object)s at the supported person's request"),
    )
