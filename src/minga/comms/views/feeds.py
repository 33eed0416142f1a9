"""RSS and Atom feeds (per organization, campaign, tag and language) and podcasts.

Feeds are read by programs that do not sign in: they hold public, published bulletins
only. A podcast feed carries the iTunes tags podcast apps and radio stations expect, and
each episode's audio as an enclosure (served with byte ranges, so players can resume).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from minga.common.translation import best_translation
from minga.common.views import url_maker
from minga.federation import activitypub as ap
from minga.registry.selectors import get_organization_for

from .. import selectors
from ..models import Bulletin, Programme, Tag
from ..selectors import ANONYMOUS, BulletinFilters

ITEMS = 30


@dataclass(frozen=True)
class Scope:
    title: str
    link: str
    filters: BulletinFilters
    language: str = ""


def _version(bulletin: Bulletin, scope: Scope) -> Any:
    if not scope.language or bulletin.language.split("-")[0] == scope.language:
        return None
    return best_translation(getattr(bulletin, "published_translations", []), scope.language)


class BulletinFeed(Feed):  # type: ignore[type-arg]
    """Published public bulletins of a scope, newest first, with their whole text."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    description_template = None

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Scope:
        kind = kwargs.get("kind", "all")
        value = kwargs.get("value", "")
        if kind == "organization":
            organization = get_organization_for(None, slug=value)
            return Scope(
                organization.display_name,
                f"/comms/o/{organization.slug}/",
                BulletinFilters(organization=organization.slug),
            )
        if kind == "campaign":
            campaign = selectors.get_campaign_for(None, slug=value)
            return Scope(
                campaign.title, campaign.get_absolute_url(), BulletinFilters(campaign=value)
            )
        if kind == "tag":
            tag = get_object_or_404(Tag, slug=value)
            return Scope(f"#{tag.slug}", tag.get_absolute_url(), BulletinFilters(tag=tag.slug))
        if kind == "language":
            code = value.split("-")[0].lower()[:8]
            return Scope(
                _("Minga news [%(language)s]") % {"language": code},
                f"/comms/?language={code}",
                BulletinFilters(language=code),
                language=code,
            )
        return Scope(_("Minga news"), "/comms/", BulletinFilters())

    def title(self, scope: Scope) -> str:
        return scope.title

    def link(self, scope: Scope) -> str:
        return scope.link

    def description(self, scope: Scope) -> str:
        return _("Bulletins of %(name)s") % {"name": scope.title}

    def feed_url(self, scope: Scope) -> str | None:
        return None

    def items(self, scope: Scope) -> list[Bulletin]:
        # The feed object serves every request: what depends on this one rides on the items.
        items = list(selectors.bulletin_list(ANONYMOUS, scope.filters)[:ITEMS])
        # One reverse() for the feed, not two per item (its link and its guid).
        address = url_maker("comms:bulletin")
        for item in items:
            item.feed_version = _version(item, scope)  # type: ignore[attr-defined]
            item.feed_address = ap.absolute(address(item.uuid))  # type: ignore[attr-defined]
        return items

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {}

    def item_title(self, item: Bulletin) -> str:
        version = getattr(item, "feed_version", None)
        return (version.title if version else "") or item.title or item.summary[:80] or str(item)

    def item_description(self, item: Bulletin) -> str:
        version = getattr(item, "feed_version", None)
        if version is not None:
            from minga.common.markdown import render_markdown

            return str(render_markdown(version.text))
        return item.body_html

    def item_link(self, item: Bulletin) -> str:
        if item.is_remote:
            return item.remote_url or item.remote_uri or ""
        return self._address(item)

    def item_guid(self, item: Bulletin) -> str:
        return item.remote_uri or self._address(item)

    @staticmethod
    def _address(item: Bulletin) -> str:
        return getattr(item, "feed_address", None) or ap.absolute(item.get_absolute_url())

    def item_pubdate(self, item: Bulletin) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Bulletin) -> datetime | None:
        return item.edited_at or item.published_at

    def item_author_name(self, item: Bulletin) -> str:
        if item.organization is not None:
            return str(item.organization.display_name)
        return str(item.remote_actor)

    def item_categories(self, item: Bulletin) -> list[str]:
        return [tag.slug for tag in item.tags.all()]

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=600"
        return response


class AtomBulletinFeed(BulletinFeed):
    feed_type = Atom1Feed

    def subtitle(self, scope: Scope) -> str:
        return self.description(scope)


class PodcastFeedType(Rss201rev2Feed):
    """RSS 2.0 with the iTunes podcast tags."""

    def rss_attributes(self) -> dict[str, str]:
        attributes = super().rss_attributes()
        attributes["xmlns:itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd"
        return attributes

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        handler.addQuickElement("itunes:author", self.feed["author_name"] or "")
        handler.addQuickElement("itunes:summary", self.feed["description"])
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement(
            "itunes:category", "", {"text": self.feed.get("category") or "News"}
        )
        if self.feed.get("image"):
            handler.addQuickElement("itunes:image", "", {"href": self.feed["image"]})

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("duration"):
            seconds = int(item["duration"])
            handler.addQuickElement(
                "itunes:duration",
                f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
            )
        handler.addQuickElement("itunes:episodeType", "full")
        handler.addQuickElement("itunes:explicit", "false")


@dataclass(frozen=True)
class Show:
    organization: Any
    programme: Programme | None


class PodcastFeed(Feed):  # type: ignore[type-arg]
    """An organization's (or one programme's) audio bulletins, as a podcast for community
    radio stations to rebroadcast."""

    feed_type = PodcastFeedType

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Show:
        if "uuid" in kwargs:
            programme = selectors.get_programme_for(None, kwargs["uuid"])
            return Show(programme.organization, programme)
        return Show(get_organization_for(None, slug=kwargs["slug"]), None)

    def title(self, show: Show) -> str:
        if show.programme is not None:
            return show.programme.title
        return str(show.organization.display_name)

    def link(self, show: Show) -> str:
        if show.programme is not None:
            return show.programme.get_absolute_url()
        return f"/comms/o/{show.organization.slug}/"

    def description(self, show: Show) -> str:
        if show.programme is not None and show.programme.description:
            return show.programme.description
        return _("Community radio of %(name)s") % {"name": show.organization.display_name}

    def author_name(self, show: Show) -> str:
        return str(show.organization.display_name)

    def feed_extra_kwargs(self, show: Show) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "category": show.programme.category if show.programme else "News",
            "image": ap.absolute(show.organization.logo.url) if show.organization.logo else "",
        }
        return extra

    def items(self, show: Show) -> QuerySet[Bulletin]:
        return selectors.podcast_episodes(show.organization, show.programme)[:100]

    def item_title(self, item: Bulletin) -> str:
        return item.title or str(item)

    def item_description(self, item: Bulletin) -> str:
        return item.body_html

    def item_link(self, item: Bulletin) -> str:
        return ap.absolute(item.get_absolute_url())

    def item_guid(self, item: Bulletin) -> str:
        return ap.absolute(item.get_absolute_url())

    def item_pubdate(self, item: Bulletin) -> datetime | None:
        return item.published_at

    def item_enclosures(self, item: Bulletin) -> list[Enclosure]:
        return [
            Enclosure(ap.absolute(audio.file.url), str(audio.size_bytes), audio.mime.split(";")[0])
            for audio in getattr(item, "audio", [])[:1]
            if audio.file
        ]

    def item_extra_kwargs(self, item: Bulletin) -> dict[str, Any]:
        audio = getattr(item, "audio", [])
        return {
            "duration": audio[0].duration_seconds if audio and audio[0].duration_seconds else None
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {}
