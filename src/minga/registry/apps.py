from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "minga.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from minga.common.media import register_media_owner
        from minga.common.visibility import register_membership_resolver
        from minga.people.two_factor import register_two_factor_requirement

        from . import rules  # noqa: F401 - registers the permission rules
        from .selectors import member_organization_ids, requires_two_factor

        register_membership_resolver(member_organization_ids)
        register_media_owner(
            self.get_model("Organization"), "logo", lambda organization: organization
        )
        register_two_factor_requirement(requires_two_factor)
