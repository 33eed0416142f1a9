"""Permission rules of the communication network (see ``minga.common.permissions``).

- **Writers** of an organization are the people who hold any current role in it: they draft
  bulletins and send them for review.
- **Editors** are those who speak for it (coordinators, administrators, spokespeople): they
  review and publish bulletins, request translations, and run its campaigns and events.
- **Volunteer translators** (anyone who signs up, with their languages) claim requested
  translations into those languages; **reviewers** of a language (named by a network's
  coordinators) or the bulletin's editors approve them, never the translator themselves.
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.common.visibility import can_view, viewer_for
from minga.registry.selectors import (
    DECIDING_ROLES,
    MANAGING_ROLES,
    network_ids_with_role,
    organization_ids_with_role,
)

from .types import BulletinStatus


def _writes_for(user: Any, organization_id: int | None) -> bool:
    """Holding any current role in the organization (the registry's membership)."""
    return organization_id is not None and organization_id in viewer_for(user).organization_ids


def _edits_for(user: Any, organization_id: int | None) -> bool:
    return organization_id is not None and organization_id in organization_ids_with_role(
        user, MANAGING_ROLES
    )


def _volunteer(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return None
    from .models import Volunteer

    cache: dict[str, Any] = user.__dict__.setdefault("_comms_volunteer", {})
    if "row" not in cache:
        cache["row"] = Volunteer.objects.filter(user=user).first()
    return cache["row"]


def _language(code: str) -> str:
    return code.split("-")[0].lower()


@rule("comms.bulletin.view")
def can_view_bulletin(user: Any, bulletin: Any) -> bool:
    return can_view(bulletin, viewer_for(user))


@rule("comms.bulletin.create")
def can_create_bulletin(user: Any, organization: Any = None) -> bool:
    if organization is None:
        return bool(viewer_for(user).organization_ids)
    return _writes_for(user, organization.pk)


@rule("comms.bulletin.change")
def can_change_bulletin(user: Any, bulletin: Any) -> bool:
    """Editors change their organization's bulletins; an author changes theirs until it is
    published."""
    if bulletin.organization_id is None:
        return False
    if _edits_for(user, bulletin.organization_id):
        return True
    return (
        bulletin.author_id == getattr(user, "pk", None)
        and bulletin.status in (BulletinStatus.DRAFT, BulletinStatus.IN_REVIEW)
        and _writes_for(user, bulletin.organization_id)
    )


@rule("comms.bulletin.publish")
def can_publish_bulletin(user: Any, bulletin: Any) -> bool:
    return _edits_for(user, getattr(bulletin, "organization_id", None))


@rule("comms.bulletin.moderate")
def can_moderate(user: Any, bulletin: Any) -> bool:
    """Editors read the replies and boosts their bulletins receive from the fediverse."""
    return _edits_for(user, getattr(bulletin, "organization_id", None))


@rule("comms.translation.request")
def can_request_translation(user: Any, bulletin: Any) -> bool:
    return _edits_for(user, getattr(bulletin, "organization_id", None))


@rule("comms.translation.claim")
def can_claim_translation(user: Any, translation: Any) -> bool:
    volunteer = _volunteer(user)
    if volunteer is not None and _language(translation.language) in {
        _language(code) for code in volunteer.languages
    }:
        return True
    return _writes_for(user, translation.bulletin.organization_id)


@rule("comms.translation.write")
def can_write_translation(user: Any, translation: Any) -> bool:
    return translation.translator_id is not None and translation.translator_id == getattr(
        user, "pk", None
    )


@rule("comms.translation.review")
def can_review_translation(user: Any, translation: Any) -> bool:
    """Four eyes: the translator never approves their own translation."""
    if translation.translator_id == getattr(user, "pk", None):
        return False
    if _edits_for(user, translation.bulletin.organization_id):
        return True
    volunteer = _volunteer(user)
    return volunteer is not None and _language(translation.language) in {
        _language(code) for code in volunteer.reviewer_languages
    }


@rule("comms.volunteer.register")
def can_register_volunteer(user: Any, _obj: Any = None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rule("comms.volunteer.name_reviewer")
def can_name_reviewer(user: Any, _obj: Any = None) -> bool:
    """A network's coordinators name the reviewers of each language."""
    return bool(network_ids_with_role(user, DECIDING_ROLES))


@rule("comms.programme.manage")
def can_manage_programme(user: Any, organization: Any) -> bool:
    return _edits_for(user, getattr(organization, "pk", None))


@rule("comms.campaign.create")
def can_create_campaign(user: Any, organization: Any = None) -> bool:
    if organization is None:
        return bool(organization_ids_with_role(user, MANAGING_ROLES))
    return _edits_for(user, organization.pk)


@rule("comms.campaign.change")
def can_change_campaign(user: Any, campaign: Any) -> bool:
    return _edits_for(user, campaign.organization_id)


@rule("comms.campaign.take_part")
def can_take_part(user: Any, organization: Any) -> bool:
    """Those who speak for an organization make it join or leave a campaign."""
    return _edits_for(user, getattr(organization, "pk", None))


@rule("comms.campaign.add_material")
def can_add_material(user: Any, campaign: Any) -> bool:
    """The promoter's editors and those of organizations taking part add materials."""
    if _edits_for(user, campaign.organization_id):
        return True
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return (
        bool(managed)
        and campaign.participations.filter(
            organization_id__in=managed, left_at__isnull=True
        ).exists()
    )


@rule("comms.event.create")
def can_create_event(user: Any, organization: Any = None) -> bool:
    if organization is None:
        return bool(organization_ids_with_role(user, MANAGING_ROLES))
    return _edits_for(user, organization.pk)


@rule("comms.event.change")
def can_change_event(user: Any, event: Any) -> bool:
    return _edits_for(user, event.organization_id)


@rule("comms.subscription.view")
def can_view_subscriptions(user: Any, organization: Any) -> bool:
    """Editors see how many people receive the digest (never their addresses)."""
    return _edits_for(user, getattr(organization, "pk", None))
