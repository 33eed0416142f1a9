"""Reads of the marketplace that users see. Every one goes through :func:`visible_listings`.

A listing is visible when its own visibility allows the reader *and* the reader may see its
organization: a restricted organization's listings never appear anywhere, whatever their
own level. Search answers keys only; they come back through the same filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from minga.common.search import RankedResults
from minga.common.visibility import can_view, filter_visible, viewer_for
from minga.registry.selectors import organizations_user_manages, visible_organizations

from .models import (
    Category,
    DeliveryArea,
    Listing,
    ListingKind,
    ListingStatus,
)
from .search import search_listing_ids

SEARCH_RESULT_LIMIT = 5000


def visible_listings(user: Any) -> QuerySet[Listing]:
    """Listings the user may read: their own visibility and their organization's."""
    listings = filter_visible(Listing.objects.all(), viewer_for(user))
    return listings.filter(organization__in=visible_organizations(user).values("pk"))


def open_barter_listings(
    user: Any, organization_ids: Any
) -> tuple[QuerySet[Listing], QuerySet[Listing]]:
    """The open, barter-only offers and needs of these organizations that the user may see
    (what a barter round trades), with their organizations loaded."""
    listings = (
        visible_listings(user)
        .filter(organization_id__in=organization_ids, status=ListingStatus.OPEN, barter_only=True)
        .select_related("organization")
    )
    return listings.filter(kind=ListingKind.OFFER), listings.filter(kind=ListingKind.NEED)


def can_view_listing(user: Any, listing: Listing) -> bool:
    """The same rule as :func:`visible_listings`, for one listing already in memory."""
    viewer = viewer_for(user)
    return can_view(listing, viewer) and can_view(listing.organization, viewer)


def get_listing_for(user: Any, *, uuid: Any) -> Listing:
    """The listing if the user may see it; otherwise 404, as if it did not exist."""
    listing = (
        visible_listings(user)
        .select_related("organization", "category", "created_by")
        .prefetch_related("photos")
        .filter(uuid=uuid)
        .first()
    )
    if listing is None:
        raise Http404
    return listing


def categories() -> QuerySet[Category]:
    return Category.objects.all()


@dataclass(frozen=True)
class ListingFilters:
    """The directory's filters. ``status`` is open unless asked; an empty status means any."""

    q: str = ""
    kind: str = ""
    category: str = ""
    delivery_area: str = ""
    country: str = ""
    barter_only: bool = False
    status: str = ListingStatus.OPEN
    organization: str = ""  # an organization's slug


RankedListings = RankedResults[Listing]


def _for_cards(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    return listings.select_related("organization", "category")


def directory_listings(user: Any, filters: ListingFilters) -> QuerySet[Listing] | RankedListings:
    """The directory: visible listings, filtered; search results keep their rank order."""
    listings = _for_cards(visible_listings(user))
    if filters.status:
        listings = listings.filter(status=filters.status)
    if filters.kind:
        listings = listings.filter(kind=filters.kind)
    if filters.category:
        listings = listings.filter(category__code=filters.category)
    if filters.delivery_area:
        listings = listings.filter(delivery_area=filters.delivery_area)
    if filters.country:
        listings = listings.filter(country=filters.country.upper())
    if filters.barter_only:
        listings = listings.filter(barter_only=True)
    if filters.organization:
        listings = listings.filter(organization__slug=filters.organization)
    if filters.q.strip():
        # The index answers with keys only; the visibility filter above still applies.
        return RankedListings(listings, search_listing_ids(filters.q, limit=SEARCH_RESULT_LIMIT))
    return listings.order_by("-created_at", "-id")


def countries_present(user: Any) -> list[str]:
    return [
        code
        for code in visible_listings(user).order_by().values_list("country", flat=True).distinct()
        if code
    ]


def managed_organizations(user: Any) -> QuerySet[Any]:
    """The organizations for which the user may publish offers and needs."""
    return organizations_user_manages(user)


def listings_of_managed_organizations(user: Any, limit: int = 50) -> list[Listing]:
    """ "My organization's listings": every status, newest first, for the signed-in manager."""
    if not getattr(user, "is_authenticated", False):
        return []
    managed = organizations_user_manages(user).values("pk")
    return list(
        _for_cards(visible_listings(user).filter(organization__in=managed)).order_by(
            "status", "-created_at", "-id"
        )[:limit]
    )


# Suggestions ----------------------------------------------------------------------------

CANDIDATE_LIMIT = 300
MAX_TITLE_WORDS = 8
WORD = re.compile(r"\w+", re.UNICODE)

WEIGHT_CATEGORY = 3.0
WEIGHT_TEXT = 4.0
WEIGHT_PLACE = 2.0
WEIGHT_PRICE = 1.0


def _title_words(title: str) -> list[str]:
    # Short words (de, la, of, a …) match nearly everything and say nothing.
    words = [word.lower() for word in WORD.findall(title) if len(word) > 2]
    return list(dict.fromkeys(words))[:MAX_TITLE_WORDS]


def text_similarity(need: Listing) -> dict[int, float]:
    """For each listing sharing a word with the need's title: the share of its words matched.

    One query of the index per word: the index joins words with AND, and a need's title is
    a sentence, not a list of words that must all appear.
    """
    words = _title_words(need.title)
    if not words:
        return {}
    matched: dict[int, int] = {}
    for word in words:
        for pk in search_listing_ids(word, limit=CANDIDATE_LIMIT):
            matched[pk] = matched.get(pk, 0) + 1
    return {pk: count / len(words) for pk, count in matched.items()}


def place_compatibility(need: Listing, offer: Listing) -> float:
    """1 when the offer can reach the need, down to 0 when it cannot (another country)."""
    need_country, offer_country = str(need.country or ""), str(offer.country or "")
    if offer.delivery_area == DeliveryArea.INTERNATIONAL:
        return 1.0 if need_country and need_country == offer_country else 0.75
    if not need_country or not offer_country:
        return 0.5  # unknown: possible, less certain
    if need_country != offer_country:
        return 0.0
    if offer.delivery_area == DeliveryArea.NATIONAL:
        return 1.0
    # Local and regional offers in the same country: same place is best.
    if need.place and offer.place and need.place.strip().lower() == offer.place.strip().lower():
        return 1.0
    return 0.75 if offer.delivery_area == DeliveryArea.REGIONAL else 0.5


def price_compatibility(need: Listing, offer: Listing) -> float:
    """1 when both barter, or both price in the same unit; 0 when one barters and one sells."""
    if need.barter_only:
        return 1.0 if offer.barter_only else (0.0 if offer.has_price else 0.5)
    if need.has_price:
        if offer.barter_only:
            return 0.0
        if offer.has_price:
            return 1.0 if offer.price_unit == need.price_unit else 0.25
        return 0.5
    return 0.5  # the need states no price: anything can be talked about


def score_offer(need: Listing, offer: Listing, text_share: float) -> float:
    """How well an offer answers a need; 0 when it shares neither category nor words."""
    same_category = offer.category_id == need.category_id
    if not same_category and text_share <= 0:
        return 0.0
    return (
        WEIGHT_CATEGORY * same_category
        + WEIGHT_TEXT * text_share
        + WEIGHT_PLACE * place_compatibility(need, offer)
        + WEIGHT_PRICE * price_compatibility(need, offer)
    )


def suggested_offers_for(user: Any, need: Listing, limit: int = 5) -> list[Listing]:
    """Open offers the user may see that could answer the need, best first.

    Candidates are the visible open offers of other organizations that are still available
    and share the need's category or words of its title. Each is scored by the category
    (3), the share of the title's words it contains (up to 4), whether it can reach the
    need's place (up to 2) and whether the ways of paying fit (barter or the same unit of
    account, up to 1). Each returned offer carries its ``match_score``.
    """
    if need.kind != ListingKind.NEED:
        return []
    today = timezone.localdate()
    similarity = text_similarity(need)
    offers = (
        visible_listings(user)
        .filter(kind=ListingKind.OFFER, status=ListingStatus.OPEN)
        .exclude(organization_id=need.organization_id)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
    )
    by_words = set(sorted(similarity, key=lambda pk: -similarity[pk])[:CANDIDATE_LIMIT])
    candidates = _for_cards(offers.filter(Q(category_id=need.category_id) | Q(pk__in=by_words)))
    scored = []
    for offer in candidates.order_by("-created_at")[:CANDIDATE_LIMIT]:
        score = score_offer(need, offer, similarity.get(offer.pk, 0.0))
        if score > 0:
            offer.match_score = round(score, 3)
            scored.append(offer)
    scored.sort(key=lambda offer: (-offer.match_score, -offer.created_at.timestamp()))
    return scored[:limit]
