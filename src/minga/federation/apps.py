from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class FederationConfig(MingaAppConfig):
    name = "minga.federation"
    label = "federation"
    verbose_name = _("Federation")
    url_prefix = ""
    api_prefix = "/federation/"
    menu = (
        MenuEntry(
            _("Federation"), "federation:admin", order=95, permission="federation.admin.view"
        ),
    )

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope

        from . import selectors

        register_audit_scope(self.get_model("Follow"), selectors.visible_follows)
