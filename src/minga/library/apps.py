from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class LibraryConfig(MingaAppConfig):
    name = "minga.library"
    label = "library"
    verbose_name = _("Library")
    # The library's pages live under library/ and the OAI-PMH endpoint at the site's /oai.
    url_prefix = ""
    api_prefix = "/library/"
    menu = (MenuEntry(_("Library"), "library:index", order=40),)
    demo_loader = "minga.library.demo.load_library_demo"
    demo_order = 40
    attention = "minga.library.selectors.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.media import register_media_owner
        from minga.common.search import register_index
        from minga.common.views import register_canonical_reader
        from minga.common.visibility import register_access_rule

        from . import access, search, selectors

        item = self.get_model("Item")
        register_access_rule(item, access.RULE)
        register_canonical_reader(item, lambda user, uuid: selectors.get_item_for(user, uuid=uuid))
        register_canonical_reader(
            self.get_model("Protocol"),
            lambda user, uuid: selectors.get_protocol_for(user, uuid=uuid),
        )
        register_canonical_reader(
            self.get_model("Collection"),
            lambda user, uuid: selectors.get_collection_for(user, uuid=uuid),
        )
        register_audit_scope(item, selectors.visible_items)
        register_audit_scope(self.get_model("Protocol"), selectors.visible_protocols)
        register_audit_scope(self.get_model("Collection"), selectors.visible_collections)
        # Files follow their item: whoever may read the item may read them (and a reading
        # of an item under a strict protocol is logged for its stewards).
        attachment = self.get_model("Attachment")
        register_media_owner(attachment, "file", selectors.can_read_attachment_file)
        register_media_owner(attachment, "thumbnail", selectors.can_read_attachment_thumbnail)
        register_index(search.INDEX_NAME, search.SCHEMA, search.rebuild_item_index)
