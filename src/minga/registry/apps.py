from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class RegistryConfig(MingaAppConfig):
    name = "minga.registry"
    label = "registry"
    verbose_name = _("Registry")
    url_prefix = ""
    api_prefix = "/"
    menu = (
        MenuEntry(_("Directory"), "registry:directory", order=10),
        MenuEntry(_("Join"), "registry:join", order=80, signed_in=True),
        MenuEntry(
            _("Coordination"),
            "registry:coordination",
            order=90,
            permission="registry.coordination.view",
        ),
    )
    attention = "minga.registry.selectors.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.media import register_media_owner
        from minga.common.permissions import has_perm
        from minga.common.views import register_canonical_reader
        from minga.common.visibility import register_membership_resolver
        from minga.people.profile import register_profile_section
        from minga.people.two_factor import register_two_factor_requirement

        from . import selectors

        register_membership_resolver(selectors.member_organization_ids)
        register_media_owner(
            self.get_model("Organization"),
            "logo",
            lambda user, organization: has_perm(user, "registry.organization.view", organization),
        )
        register_two_factor_requirement(selectors.requires_two_factor)
        register_profile_section(selectors.roles_section)
        register_audit_scope(self.get_model("Organization"), selectors.visible_organizations)
        register_audit_scope(self.get_model("OrganizationRelation"), selectors.visible_relations)
        register_audit_scope(self.get_model("Role"), selectors.visible_roles)
        register_audit_scope(
            self.get_model("DelegateAccreditation"), selectors.visible_accreditations
        )
        register_canonical_reader(
            self.get_model("Organization"),
            lambda user, uuid: selectors.get_organization_for(user, uuid=uuid),
        )
        register_canonical_reader(
            self.get_model("OrganizationRelation"), selectors.get_relation_for
        )
        register_canonical_reader(self.get_model("Role"), selectors.get_role_for)
        register_canonical_reader(self.get_model("Body"), selectors.get_body_for)

        from minga.common.search import DEFAULT_SCHEMA, register_index

        from .search import INDEX_NAME, rebuild_organization_index

        register_index(INDEX_NAME, DEFAULT_SCHEMA, rebuild_organization_index)
