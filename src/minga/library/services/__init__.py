"""Writes of the library, a module per aggregate.

Each function is keyword-only, atomic, audited, guarded by a named rule, and checks the
library's own rules (a formula has ingredients and a yield, ancestral knowledge is shared
only with a record of consent, strict protocols only by their members …). Pages, API,
commands and tasks call them through this package.
"""

from ..content import AccessData, ConsentData, IngredientData, ItemData
from .attachments import attachment_add, attachment_remove
from .bundles import BundleImport, bundle_import
from .collections import (
    collection_create,
    collection_item_add,
    collection_item_remove,
    collection_update,
)
from .items import (
    consent_record,
    item_create,
    item_delete,
    item_restore,
    item_set_access,
    item_update,
    link_add,
    link_remove,
    refresh_access,
)
from .protocols import (
    access_record,
    access_request_decide,
    access_request_submit,
    access_request_withdraw,
    membership_grant,
    membership_revoke,
    protocol_create,
    protocol_update,
)
from .translations import (
    translation_request,
    translation_review,
    translation_volunteer,
    translation_write,
)

__all__ = [
    "AccessData",
    "BundleImport",
    "ConsentData",
    "IngredientData",
    "ItemData",
    "access_record",
    "access_request_decide",
    "access_request_submit",
    "access_request_withdraw",
    "attachment_add",
    "attachment_remove",
    "bundle_import",
    "collection_create",
    "collection_item_add",
    "collection_item_remove",
    "collection_update",
    "consent_record",
    "item_create",
    "item_delete",
    "item_restore",
    "item_set_access",
    "item_update",
    "link_add",
    "link_remove",
    "membership_grant",
    "membership_revoke",
    "protocol_create",
    "protocol_update",
    "refresh_access",
    "translation_request",
    "translation_review",
    "translation_volunteer",
    "translation_write",
]
