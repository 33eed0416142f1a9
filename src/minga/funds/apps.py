from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class FundsConfig(MingaAppConfig):
    name = "minga.funds"
    label = "funds"
    verbose_name = _("Solidarity funds")
    url_prefix = "funds/"
    api_prefix = "/funds/"
    menu = (MenuEntry(_("Funds"), "funds:index", order=45),)
    demo_loader = "minga.funds.demo.load_funds_demo"
    demo_order = 50
    attention = "minga.funds.selectors.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.media import register_media_owner
        from minga.common.views import register_canonical_reader
        from minga.common.visibility import register_access_rule

        from . import access, checks, selectors  # noqa: F401 - checks registers itself

        fund = self.get_model("Fund")
        register_canonical_reader(fund, selectors.get_fund_for)
        register_canonical_reader(self.get_model("Movement"), selectors.get_movement_for)
        register_canonical_reader(self.get_model("Pledge"), selectors.get_pledge_for)
        register_audit_scope(fund, selectors.visible_funds)
        register_audit_scope(self.get_model("Movement"), selectors.visible_movements)
        # A receipt is served to who may read it (``selectors.may_read_receipt``) only.
        register_media_owner(self.get_model("Movement"), "receipt", selectors.may_read_receipt)
        # A pledge's entries name its contributor: only they and the managers read them.
        register_audit_scope(self.get_model("Pledge"), selectors.visible_pledges)
        # Legal cases: their team only, superusers included; the log shows a case's
        # entries (its reference, never its content) to its team.
        case = self.get_model("LegalCase")
        register_access_rule(case, access.RULE)
        register_audit_scope(case, selectors.visible_cases)
        register_audit_scope(self.get_model("CaseDeletion"), selectors.visible_case_deletions)
        # Error reports of the cases' pages and API show no POST data and no variable.
        from minga.common.error_reports import register_private_requests

        register_private_requests(r"^/funds/(cases/|[0-9a-f-]{36}/cases/)")
        register_private_requests(r"^/api/v1/funds/(cases|funds/[0-9a-f-]{36}/cases)")
