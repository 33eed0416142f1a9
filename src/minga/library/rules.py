"""Permission rules of the library (see ``minga.common.permissions``).

- Anyone who holds a current role in an organization contributes items for it; the item's
  contributor, its custodians and the organization's managers edit it.
- A community's coordinators and administrators create its protocols; a protocol's
  stewards (and those coordinators) let people in, take them out and answer requests.
- Whoever may read an item may volunteer to translate it; its editors request and review
  translations.
- An organization's managers curate its collections and import bundles for it.
"""

from __future__ import annotations

from typing import Any

from minga.common.permissions import rule
from minga.common.visibility import viewer_for
from minga.registry.selectors import DECIDING_ROLES, MANAGING_ROLES, organization_ids_with_role

from . import selectors
from .models import Collection, Item, ItemTranslation, Protocol


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rule("library.item.view")
def can_view_item(user: Any, item: Item) -> bool:
    return selectors.can_view_item(user, item)


@rule("library.item.create")
def can_create_item(user: Any, organization: Any = None) -> bool:
    """For an organization: the user holds a current role there. Without one: anywhere."""
    if not _signed_in(user):
        return False
    organizations = viewer_for(user).organization_ids
    return bool(organizations) if organization is None else organization.pk in organizations


@rule("library.item.change")
def can_change_item(user: Any, item: Item) -> bool:
    if not _signed_in(user):
        return False
    return selectors.is_item_editor(user, item)


@rule("library.translation.volunteer")
def can_volunteer(user: Any, translation: ItemTranslation) -> bool:
    return _signed_in(user) and selectors.can_view_item(user, translation.item)


@rule("library.translation.review")
def can_review(user: Any, translation: ItemTranslation) -> bool:
    return _signed_in(user) and selectors.is_item_editor(user, translation.item)


@rule("library.protocol.create")
def can_create_protocol(user: Any, organization: Any = None) -> bool:
    deciding = organization_ids_with_role(user, DECIDING_ROLES)
    return bool(deciding) if organization is None else organization.pk in deciding


@rule("library.protocol.steward")
def can_steward(user: Any, protocol: Protocol) -> bool:
    return _signed_in(user) and selectors.is_steward(user, protocol)


@rule("library.protocol.request")
def can_request(user: Any, protocol: Protocol) -> bool:
    """Any signed-in person who may see the protocol and is not in it yet."""
    return (
        _signed_in(user)
        and selectors.visible_protocols(user).filter(pk=protocol.pk).exists()
        and not selectors.is_protocol_member(user, protocol)
    )


@rule("library.collection.create")
def can_create_collection(user: Any, organization: Any = None) -> bool:
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return bool(managed) if organization is None else organization.pk in managed


@rule("library.collection.change")
def can_change_collection(user: Any, collection: Collection) -> bool:
    return collection.organization_id in organization_ids_with_role(user, MANAGING_ROLES)


@rule("library.bundle.import")
def can_import_bundle(user: Any, organization: Any = None) -> bool:
    managed = organization_ids_with_role(user, MANAGING_ROLES)
    return bool(managed) if organization is None else organization.pk in managed


@rule("library.request.withdraw")
def can_withdraw(user: Any, request: Any) -> bool:
    return _signed_in(user) and request.person_id == user.pk
