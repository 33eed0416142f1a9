"""What the communication network writes to the audit log, each event with its sentence."""

from django.utils.translation import gettext_lazy as _

from minga.common.audit import AuditEvent


class CommsEvent(AuditEvent):
    BULLETIN_CREATE = "comms.bulletin.create", _("%(actor)s wrote the bulletin %(object)s")
    BULLETIN_UPDATE = "comms.bulletin.update", _("%(actor)s edited the bulletin %(object)s")
    BULLETIN_SUBMIT = (
        "comms.bulletin.submit",
        _("%(actor)s sent the bulletin %(object)s for review"),
    )
    BULLETIN_RETURN = (
        "comms.bulletin.return",
        _("%(actor)s sent the bulletin %(object)s back to its author"),
    )
    BULLETIN_SCHEDULE = "comms.bulletin.schedule", _("%(actor)s scheduled the bulletin %(object)s")
    BULLETIN_PUBLISH = "comms.bulletin.publish", _("%(actor)s published the bulletin %(object)s")
    BULLETIN_WITHDRAW = "comms.bulletin.withdraw", _("%(actor)s withdrew the bulletin %(object)s")
    MEDIA_ADD = "comms.media.add", _("%(actor)s added a file to the bulletin %(object)s")
    MEDIA_REMOVE = "comms.media.remove", _("%(actor)s removed a file from the bulletin %(object)s")
    TRANSLATION_REQUEST = (
        "comms.translation.request",
        _("%(actor)s asked for a translation: %(object)s"),
    )
    TRANSLATION_STEP = "comms.translation.step", _("%(actor)s worked on the translation %(object)s")
    TRANSLATION_SAVE = "comms.translation.save", _("%(actor)s wrote the translation %(object)s")
    VOLUNTEER_REGISTER = (
        "comms.volunteer.register",
        _("%(actor)s offered to translate: %(object)s"),
    )
    VOLUNTEER_REVIEWER = (
        "comms.volunteer.reviewer",
        _("%(actor)s named a reviewer of translations: %(object)s"),
    )
    PROGRAMME_SAVE = "comms.programme.save", _("%(actor)s saved the radio programme %(object)s")
    CAMPAIGN_CREATE = "comms.campaign.create", _("%(actor)s started the campaign %(object)s")
    CAMPAIGN_UPDATE = "comms.campaign.update", _("%(actor)s edited the campaign %(object)s")
    CAMPAIGN_JOIN = "comms.campaign.join", _("%(actor)s joined a campaign: %(object)s")
    CAMPAIGN_LEAVE = "comms.campaign.leave", _("%(actor)s left a campaign: %(object)s")
    MATERIAL_ADD = "comms.material.add", _("%(actor)s added material to %(object)s")
    EVENT_CREATE = "comms.event.create", _("%(actor)s announced the event %(object)s")
    EVENT_UPDATE = "comms.event.update", _("%(actor)s changed the event %(object)s")
    EVENT_CANCEL = "comms.event.cancel", _("%(actor)s cancelled the event %(object)s")
