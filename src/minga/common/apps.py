from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "minga.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permission rules
