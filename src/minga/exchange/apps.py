from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "minga.exchange"
    label = "exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permission rules
