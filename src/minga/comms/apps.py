from typing import Any

from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class CommsConfig(MingaAppConfig):
    name = "minga.comms"
    label = "comms"
    verbose_name = _("Communication network")
    url_prefix = "comms/"
    api_prefix = "/comms/"
    menu = (
        MenuEntry(_("News"), "comms:news", order=20),
        MenuEntry(_("Calendar"), "comms:calendar", order=22),
        MenuEntry(_("Campaigns"), "comms:campaigns", order=24),
    )
    demo_loader = "minga.comms.demo.load_comms_demo"
    demo_order = 50
    attention = "minga.comms.selectors.attention_for"

    def ready(self) -> None:
        super().ready()
        from django.db.models import Exists, OuterRef, Q

        from minga.common.audit import register_audit_scope
        from minga.common.calendar_publishing import register_calendar_publisher
        from minga.common.media import register_media_owner
        from minga.common.permissions import has_perm
        from minga.common.views import register_canonical_reader
        from minga.common.visibility import AccessRule, filter_visible, register_access_rule
        from minga.federation.hooks import register_content_handler, register_outbox_source

        from . import activitypub, selectors
        from .services.published import Publisher
        from .types import BulletinStatus

        Bulletin = self.get_model("Bulletin")
        self._connect_calendar_stamp()

        def own_organization(model: object, viewer: object) -> object:
            ids = viewer.organization_ids  # type: ignore[attr-defined]
            return Q(organization_id__in=ids) if ids else None

        def published_or_own(model: object, viewer: object) -> object:
            ids = viewer.organization_ids  # type: ignore[attr-defined]
            condition = Q(status=BulletinStatus.PUBLISHED)
            return condition | Q(organization_id__in=ids) if ids else condition

        # Drafts, bulletins in review, scheduled and withdrawn ones are read by the members of
        # their organization only; its members read all of its bulletins.
        register_access_rule(
            Bulletin,
            AccessRule(
                name="comms.bulletin.unpublished_to_members",
                grant=own_organization,
                restrict=published_or_own,
                viewer_only=True,
            ),
        )

        # An event another app published for a closed group (a hidden course's sessions:
        # named custodians, and it has none) is read by the people of its audience, kept in
        # comms' own table by the publishing app (common.calendar_publishing).
        audience_members: Any = self.get_model("CalendarAudienceMember")

        def in_audience(model: object, viewer: Any) -> object:
            if viewer.user_id is None:
                return None
            return Exists(
                audience_members.objects.filter(
                    audience_id=OuterRef("audience_id"), person_id=viewer.user_id
                )
            )

        register_access_rule(
            self.get_model("Event"),
            AccessRule(name="comms.event.published_audience", grant=in_audience, viewer_only=True),
        )
        register_calendar_publisher(Publisher())

        # Content is never more visible than the organization it belongs to: a hidden
        # organization's public bulletin stays hidden with it (remote content has none).
        def organization_visible(model: Any, viewer: Any) -> object:
            organizations = model._meta.get_field("organization").related_model
            visible = filter_visible(organizations.objects.all(), viewer)
            # EXISTS, not IN: with IN, SQLite reads a month of events organization by
            # organization (an OR over the organization index) and looks up every row, where
            # a range of the calendar's index answers the month alone.
            return Q(organization__isnull=True) | Exists(
                visible.filter(pk=OuterRef("organization_id"))
            )

        for name in ("Bulletin", "Event", "Campaign"):
            register_access_rule(
                self.get_model(name),
                AccessRule(
                    name="comms.within_organization_visibility",
                    restrict=organization_visible,
                    # Organizations have the base rule only, built from the viewer alone;
                    # a rule on them that reads more would have to unset this.
                    viewer_only=True,
                ),
            )
        register_media_owner(
            self.get_model("BulletinMedia"),
            "file",
            lambda user, media: has_perm(user, "comms.bulletin.view", media.bulletin),
        )
        register_media_owner(
            self.get_model("CampaignMaterial"),
            "file",
            lambda user, material: (
                selectors.visible_campaigns(user).filter(pk=material.campaign_id).exists()
            ),
        )
        register_canonical_reader(Bulletin, selectors.get_bulletin_for)
        register_canonical_reader(self.get_model("Event"), selectors.get_event_for)
        register_canonical_reader(
            self.get_model("Campaign"),
            lambda user, uuid: selectors.get_campaign_for(user, uuid=uuid),
        )
        register_canonical_reader(self.get_model("Programme"), selectors.get_programme_for)
        register_audit_scope(Bulletin, selectors.visible_bulletins)
        register_audit_scope(self.get_model("Event"), selectors.visible_events)
        register_audit_scope(self.get_model("Campaign"), selectors.visible_campaigns)
        register_content_handler(activitypub.Inbound())
        register_outbox_source(activitypub.outbox_items)

    def _connect_calendar_stamp(self) -> None:
        from django.conf import settings
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .stamps import bump_calendar

        Event: Any = self.get_model("Event")
        senders: list[Any] = [
            Event,
            self.get_model("Campaign"),
            settings.MINGA_ORGANIZATION_MODEL,
            "federation.RemoteActor",
        ]
        for sender in senders:
            for signal in (post_save, post_delete):
                signal.connect(bump_calendar, sender=sender, dispatch_uid=f"calendar:{sender}")
        m2m_changed.connect(
            bump_calendar, sender=Event.co_organizers.through, dispatch_uid="calendar:co"
        )
