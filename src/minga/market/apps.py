from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "minga.market"
    label = "market"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from minga.common.demo import register_demo_loader
        from minga.common.media import register_media_owner

        from . import rules  # noqa: F401 - registers the permission rules
        from .demo import load_market_demo

        register_demo_loader("market", load_market_demo, order=10)
        register_media_owner(self.get_model("ListingPhoto"), "image", lambda photo: photo.listing)
