from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class MarketConfig(MingaAppConfig):
    name = "minga.market"
    label = "market"
    verbose_name = _("Marketplace")
    url_prefix = "market/"
    api_prefix = "/market/"
    menu = (MenuEntry(_("Offers and needs"), "market:directory", order=20),)
    demo_loader = "minga.market.demo.load_market_demo"
    demo_order = 10

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.media import register_media_owner
        from minga.common.views import register_canonical_reader

        from .selectors import can_view_listing, get_listing_for, visible_listings

        # A photo is read by whoever may read its listing and the listing's organization.
        register_media_owner(
            self.get_model("ListingPhoto"),
            "image",
            lambda user, photo: can_view_listing(user, photo.listing),
        )
        register_audit_scope(self.get_model("Listing"), visible_listings)
        register_canonical_reader(
            self.get_model("Listing"), lambda user, uuid: get_listing_for(user, uuid=uuid)
        )

        from minga.common.search import DEFAULT_SCHEMA, register_index

        from .search import INDEX_NAME, rebuild_listing_index

        register_index(INDEX_NAME, DEFAULT_SCHEMA, rebuild_listing_index)
