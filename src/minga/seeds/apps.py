from typing import Any

from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class SeedsConfig(MingaAppConfig):
    name = "minga.seeds"
    label = "seeds"
    verbose_name = _("Seed banks")
    url_prefix = "seeds/"
    api_prefix = "/seeds/"
    menu = (MenuEntry(_("Seeds"), "seeds:index", order=45),)
    demo_loader = "minga.seeds.demo.load_seeds_demo"
    demo_order = 45
    attention = "minga.seeds.selectors.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.views import register_canonical_reader

        from . import selectors

        readers = {
            "SeedBank": (selectors.get_bank_for, selectors.visible_banks),
            "Accession": (selectors.get_accession_for, selectors.visible_accessions),
            "Lot": (selectors.get_lot_for, selectors.visible_lots),
            "SeedRequest": (selectors.get_request_for, selectors.visible_requests),
            "Regeneration": (selectors.get_regeneration_for, selectors.visible_regenerations),
        }
        for model_name, (reader, scope) in readers.items():
            model = self.get_model(model_name)
            register_canonical_reader(model, _reader(reader))
            register_audit_scope(model, scope)


def _reader(select: Any) -> Any:
    """``select(user, uuid=…)`` as the ``reader(user, uuid)`` canonical addresses call."""
    return lambda user, uuid: select(user, uuid=uuid)
