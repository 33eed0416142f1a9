from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssembliesConfig(AppConfig):
    name = "minga.assemblies"
    label = "assemblies"
    verbose_name = _("Assemblies")

    def ready(self) -> None:
        from minga.common.demo import register_demo_loader

        from . import rules  # noqa: F401 - registers the permission rules
        from .demo import load_assemblies_demo

        register_demo_loader("assemblies", load_assemblies_demo, order=30)

        from minga.common.media import register_media_owner

        from .models import SupportingDocument

        # A proposal's documents are read by whoever reads the proposal.
        register_media_owner(SupportingDocument, "file", lambda document: document.proposal)
