from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "minga.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permission rules
        from .planner import after_migrate, refresh_planner_statistics
        from .stator import register_sweep

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="common.planner")
        register_sweep(
            "common.planner_statistics", refresh_planner_statistics, every=timedelta(hours=6)
        )
