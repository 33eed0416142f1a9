from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class ExchangeConfig(MingaAppConfig):
    name = "minga.exchange"
    label = "exchange"
    verbose_name = _("Exchange")
    url_prefix = "exchange/"
    api_prefix = "/exchange/"
    menu = (MenuEntry(_("Exchange"), "exchange:home", order=40, signed_in=True),)
    demo_loader = "minga.exchange.demo.load_exchange_demo"
    demo_order = 20
    attention = "minga.exchange.attention.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.money import register_unit_scales
        from minga.common.views import register_canonical_reader

        from . import analysis, selectors

        register_canonical_reader(self.get_model("Unit"), selectors.get_unit_for)
        register_canonical_reader(self.get_model("Account"), selectors.get_account_for)
        register_canonical_reader(self.get_model("Agreement"), selectors.get_agreement_for)
        register_canonical_reader(self.get_model("ClearingRound"), selectors.get_clearing_round_for)
        register_canonical_reader(self.get_model("BarterRound"), analysis.get_barter_round_for)
        register_unit_scales(selectors.unit_scale)
        # The activity log shows each reader the entries about what they may see.
        register_audit_scope(self.get_model("Unit"), selectors.visible_units)
        register_audit_scope(self.get_model("Account"), selectors.visible_accounts)
        register_audit_scope(self.get_model("Agreement"), selectors.visible_agreements)
        register_audit_scope(self.get_model("ClearingRound"), selectors.visible_clearing_rounds)
        register_audit_scope(self.get_model("BarterRound"), selectors.visible_barter_rounds)
