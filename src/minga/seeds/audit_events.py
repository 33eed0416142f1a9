"""What the seed bank writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class SeedsEvent(AuditEvent):
    BANK_CREATE = "seeds.bank.create", _("%(actor)s opened the seed bank %(object)s")
    BANK_UPDATE = "seeds.bank.update", _("%(actor)s changed the settings of %(object)s")
    ACCESSION_CREATE = "seeds.accession.create", _("%(actor)s registered the accession %(object)s")
    ACCESSION_UPDATE = (
        "seeds.accession.update",
        _("%(actor)s changed the passport data of the accession %(object)s"),
    )
    ACCESSION_IMPORT = "seeds.accession.import", _("%(actor)s imported accessions into %(object)s")
    ACCESSION_LINK = (
        "seeds.accession.link",
        _("%(actor)s linked a library item to the accession %(object)s"),
    )
    ACCESSION_UNLINK = (
        "seeds.accession.unlink",
        _("%(actor)s removed a library item from the accession %(object)s"),
    )
    LOT_CREATE = "seeds.lot.create", _("%(actor)s recorded the lot %(object)s")
    TEST_RECORD = "seeds.test.record", _("%(actor)s recorded a germination test of %(object)s")
    REGENERATION_PLAN = "seeds.regeneration.plan", _("%(actor)s planned a grow-out of %(object)s")
    REGENERATION_HARVEST = (
        "seeds.regeneration.harvest",
        _("%(actor)s recorded the harvest of %(object)s"),
    )
    REQUEST_CREATE = "seeds.request.create", _("%(actor)s requested seeds of %(object)s")
    REQUEST_APPROVE = "seeds.request.approve", _("%(actor)s approved the seed request %(object)s")
    REQUEST_REFUSE = "seeds.request.refuse", _("%(actor)s refused the seed request %(object)s")
    REQUEST_SHIP = "seeds.request.ship", _("%(actor)s shipped the seeds of %(object)s")
    REQUEST_CANCEL = "seeds.request.cancel", _("%(actor)s cancelled the seed request %(object)s")
