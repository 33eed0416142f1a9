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
