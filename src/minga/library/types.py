"""The library's enumerations and constants, which other apps may import.

The Traditional Knowledge (TK) and Biocultural (BC) label types are those of the Local
Contexts initiative, used here as descriptive metadata: a community says with them how its
knowledge should be treated (attribution, seasonal, for women only, secret or sacred …).
The names and the short explanations below are Minga's own wording of what each label
type is for; the labels a community actually uses are issued through Local Contexts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    PROJECT = "project", _("Project")
    PLAN = "plan", _("Plan")
    FORMULA = "formula", _("Agrifood formula")
    KNOWLEDGE = "knowledge", _("Ancestral knowledge")
    DOCUMENT = "document", _("Document")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    IMAGE = "image", _("Image")


MEDIA_KINDS = frozenset({ItemKind.DOCUMENT, ItemKind.AUDIO, ItemKind.VIDEO, ItemKind.IMAGE})


class License(models.TextChoices):
    CC0 = "cc0", _("CC0 (public domain dedication)")
    CC_BY = "cc-by", _("CC BY 4.0 (attribution)")
    CC_BY_SA = "cc-by-sa", _("CC BY-SA 4.0 (attribution, share alike)")
    CC_BY_NC = "cc-by-nc", _("CC BY-NC 4.0 (attribution, non-commercial)")
    CC_BY_NC_SA = "cc-by-nc-sa", _("CC BY-NC-SA 4.0 (attribution, non-commercial, share alike)")
    CC_BY_ND = "cc-by-nd", _("CC BY-ND 4.0 (attribution, no derivatives)")
    CC_BY_NC_ND = "cc-by-nc-nd", _("CC BY-NC-ND 4.0 (attribution, non-commercial, no derivatives)")
    COMMUNITY = "community", _("Community license (terms set by the community)")
    RESERVED = "reserved", _("All rights reserved")


LICENSE_URLS = {
    License.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    License.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    License.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    License.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    License.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    License.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    License.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


@dataclass(frozen=True)
class LabelType:
    code: str
    family: str  # "tk" (Traditional Knowledge) or "bc" (Biocultural)
    name: str  # the label type's name, as Local Contexts names it (not translated)
    meaning: object  # a lazily translated sentence


LABEL_TYPES: tuple[LabelType, ...] = (
    LabelType("tk-attribution", "tk", "TK Attribution", _("Name the community when this is used.")),
    LabelType("tk-clan", "tk", "TK Clan", _("Held by a clan; ask the clan before using it.")),
    LabelType("tk-family", "tk", "TK Family", _("Held by a family; ask the family before using it.")),
    LabelType("tk-multiple-communities", "tk", "TK Multiple Communities", _("Shared by several communities, each a custodian.")),
    LabelType("tk-community-voice", "tk", "TK Community Voice", _("The community tells this in its own voice.")),
    LabelType("tk-creative", "tk", "TK Creative", _("A creative work rooted in the community's knowledge.")),
    LabelType("tk-verified", "tk", "TK Verified", _("The community has checked how this is shown.")),
    LabelType("tk-non-verified", "tk", "TK Non-Verified", _("The community has not checked how this is shown.")),
    LabelType("tk-seasonal", "tk", "TK Seasonal", _("Heard or used only in its season.")),
    LabelType("tk-women-general", "tk", "TK Women General", _("Knowledge of women, which others may see.")),
    LabelType("tk-men-general", "tk", "TK Men General", _("Knowledge of men, which others may see.")),
    LabelType("tk-women-restricted", "tk", "TK Women Restricted", _("For women only.")),
    LabelType("tk-men-restricted", "tk", "TK Men Restricted", _("For men only.")),
    LabelType("tk-culturally-sensitive", "tk", "TK Culturally Sensitive", _("Handle with care and respect; ask before reusing.")),
    LabelType("tk-secret-sacred", "tk", "TK Secret / Sacred", _("Secret or sacred: not for those outside the protocol.")),
    LabelType("tk-open-to-commercialization", "tk", "TK Open to Commercialization", _("The community is open to commercial use on agreed terms.")),
    LabelType("tk-non-commercial", "tk", "TK Non-Commercial", _("Not for commercial use.")),
    LabelType("tk-community-use-only", "tk", "TK Community Use Only", _("For use within the community only.")),
    LabelType("tk-outreach", "tk", "TK Outreach", _("Shared for teaching and outreach.")),
    LabelType("bc-provenance", "bc", "BC Provenance", _("Says which community this biocultural material comes from.")),
    LabelType("bc-multiple-communities", "bc", "BC Multiple Communities", _("Several communities hold rights in this material.")),
    LabelType("bc-clan", "bc", "BC Clan", _("A clan holds rights in this material.")),
    LabelType("bc-consent-verified", "bc", "BC Consent Verified", _("The community's consent to its use was verified.")),
    LabelType("bc-consent-non-verified", "bc", "BC Consent Non-Verified", _("Consent to its use has not been verified.")),
    LabelType("bc-research-use", "bc", "BC Research Use", _("Open to research use on the community's terms.")),
    LabelType("bc-open-to-collaboration", "bc", "BC Open to Collaboration", _("The community welcomes collaboration on it.")),
    LabelType("bc-open-to-commercialization", "bc", "BC Open to Commercialization", _("Open to commercial use with benefit sharing.")),
    LabelType("bc-outreach", "bc", "BC Outreach", _("Shared for education and outreach.")),
    LabelType("bc-non-commercial", "bc", "BC Non-Commercial", _("Not for commercial use.")),
)  # fmt: skip
LABELS_BY_CODE = {label.code: label for label in LABEL_TYPES}


class LinkRelation(models.TextChoices):
    USES = "uses", _("uses")
    PART_OF = "part_of", _("is part of")
    DERIVED_FROM = "derived_from", _("is derived from")
    DOCUMENTS = "documents", _("documents")
    RELATED = "related", _("is related to")


class ProtocolKind(models.TextChoices):
    OPEN = "open", _("Open: whoever the item's visibility allows")
    STRICT = "strict", _("Strict: only the protocol's members")


class ProtocolRule(models.TextChoices):
    ANY = "any", _("Any one of its protocols lets a person in")
    ALL = "all", _("A person must pass every one of its protocols")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    STEWARD = "steward", _("Steward")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Audience(models.TextChoices):
    """Who may read an item, worked out from the visibility rule itself (never restated):
    everyone (anonymous readers too), every signed-in person, or fewer (then the rule is
    asked about each reader). The search index filters by it."""

    EVERYONE = "everyone", _("Everyone")
    SIGNED_IN = "signed_in", _("Signed-in people")
    RESTRICTED = "restricted", _("Fewer people")


class AccessChannel(models.TextChoices):
    PAGE = "page", _("page")
    API = "api", _("API")
    FILE = "file", _("file")
    EXPORT = "export", _("export")


UNIT_LABELS = {
    "mg": _("milligrams"),
    "g": _("grams"),
    "kg": _("kilograms"),
    "t": _("tonnes"),
    "oz": _("ounces"),
    "lb": _("pounds"),
    "ml": _("millilitres"),
    "l": _("litres"),
    "m3": _("cubic metres"),
    "tsp": _("teaspoons"),
    "tbsp": _("tablespoons"),
    "cup": _("cups"),
    "floz": _("fluid ounces (US)"),
    "gal": _("gallons (US)"),
    "unit": _("units"),
    "dozen": _("dozens"),
    "m2": _("square metres"),
    "ha": _("hectares"),
    "acre": _("acres"),
    "cm": _("centimetres"),
    "m": _("metres"),
}

# Suggested content languages (any BCP 47 tag is accepted).
CONTENT_LANGUAGES = (
    ("es", "Español"),
    ("pt", "Português"),
    ("en", "English"),
    ("fr", "Français"),
    ("ht", "Kreyòl ayisyen"),
    ("qu", "Runa simi (quechua)"),
    ("ay", "Aymar aru (aymara)"),
    ("gn", "Avañe'ẽ (guaraní)"),
    ("nah", "Nāhuatl"),
    ("arn", "Mapudungun"),
    ("yua", "Maaya t'aan (maya)"),
    ("wo", "Wolof"),
    ("sw", "Kiswahili"),
)
