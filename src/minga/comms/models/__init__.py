from .audiences import CalendarAudience, CalendarAudienceMember
from .bulletins import (
    Bulletin,
    BulletinMedia,
    BulletinTranslation,
    Programme,
    PublicationSchedule,
    Reaction,
    Tag,
    Volunteer,
)
from .campaigns import (
    CalendarStamp,
    Campaign,
    CampaignMaterial,
    CampaignParticipation,
    Event,
)
from .subscriptions import Subscription

__all__ = [
    "Bulletin",
    "BulletinMedia",
    "BulletinTranslation",
    "CalendarAudience",
    "CalendarAudienceMember",
    "CalendarStamp",
    "Campaign",
    "CampaignMaterial",
    "CampaignParticipation",
    "Event",
    "Programme",
    "PublicationSchedule",
    "Reaction",
    "Subscription",
    "Tag",
    "Volunteer",
]
