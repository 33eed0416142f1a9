from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class AssembliesConfig(MingaAppConfig):
    name = "minga.assemblies"
    label = "assemblies"
    verbose_name = _("Assemblies")
    url_prefix = "assemblies/"
    api_prefix = "/assemblies/"
    menu = (MenuEntry(_("Assemblies"), "assemblies:index", order=30),)
    demo_loader = "minga.assemblies.demo.load_assemblies_demo"
    demo_order = 30
    attention = "minga.assemblies.attention.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.media import register_media_owner
        from minga.common.permissions import has_perm
        from minga.common.views import register_canonical_reader

        from . import selectors
        from .models import SupportingDocument

        # A proposal's documents are read by whoever reads the proposal.
        register_media_owner(
            SupportingDocument,
            "file",
            lambda user, document: has_perm(user, "assemblies.proposal.view", document.proposal),
        )
        register_canonical_reader(self.get_model("Meeting"), selectors.get_meeting_for)
        register_canonical_reader(self.get_model("Proposal"), selectors.get_proposal_for)
        register_canonical_reader(self.get_model("Amendment"), selectors.get_amendment_for)
        register_canonical_reader(self.get_model("Vote"), selectors.get_vote_for)
        register_canonical_reader(self.get_model("Declaration"), selectors.get_declaration_for)
        register_canonical_reader(self.get_model("FollowUpResult"), selectors.get_result_for)
        register_canonical_reader(self.get_model("WorkingTable"), selectors.get_working_table_for)
        register_canonical_reader(self.get_model("DebateSpace"), selectors.get_debate_for)
        register_canonical_reader(self.get_model("BodyRules"), selectors.get_rules_for)

        # The activity log shows each reader the entries about what they may see.
        for model, visible in (
            ("Meeting", selectors.visible_meetings),
            ("Proposal", selectors.visible_proposals),
            ("Amendment", selectors.visible_amendments),
            ("Vote", selectors.visible_votes),
            ("Declaration", selectors.visible_declarations),
            ("FollowUpResult", selectors.visible_results),
            ("WorkingTable", selectors.visible_working_tables),
            ("DebateSpace", selectors.visible_debates),
            ("BodyRules", selectors.visible_rules_versions),
            ("BodyMembership", selectors.visible_seats),
            ("Delegation", selectors.visible_delegations),
        ):
            register_audit_scope(self.get_model(model), visible)
