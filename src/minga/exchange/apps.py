from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "minga.exchange"
    label = "exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        from minga.common.demo import register_demo_loader

        from . import rules  # noqa: F401 - registers the permission rules
        from .demo import load_exchange_demo

        register_demo_loader("exchange", load_exchange_demo, order=20)
