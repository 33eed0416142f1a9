from django.urls import path

from .views import bulletins, calendar, campaigns, feeds, subscriptions, translations

app_name = "comms"

rss = feeds.BulletinFeed()
atom = feeds.AtomBulletinFeed()
podcast = feeds.PodcastFeed()

urlpatterns = [
    path("", bulletins.news, name="news"),
    path("desk/", bulletins.desk, name="desk"),
    path("bulletins/new/", bulletins.bulletin_create, name="bulletin_create"),
    path("bulletins/<uuid:uuid>/", bulletins.bulletin_detail, name="bulletin"),
    path("bulletins/<uuid:uuid>/edit/", bulletins.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<uuid:uuid>/act/", bulletins.bulletin_act, name="bulletin_act"),
    path("bulletins/<uuid:uuid>/media/", bulletins.media_add, name="media_add"),
    path(
        "bulletins/<uuid:uuid>/media/<int:pk>/remove/", bulletins.media_remove, name="media_remove"
    ),
    path(
        "bulletins/<uuid:uuid>/translations/",
        bulletins.translation_request,
        name="translation_request",
    ),
    path("tags/<str:slug>/", bulletins.tag, name="tag"),
    path("translations/", translations.desk, name="translations"),
    path("translations/<int:pk>/", translations.workspace, name="translation"),
    path("translations/<int:pk>/act/", translations.act, name="translation_act"),
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<slug:slug>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<slug:slug>/participation/",
        campaigns.campaign_participation,
        name="campaign_participation",
    ),
    path("campaigns/<slug:slug>/materials/", campaigns.material_add, name="material_add"),
    path("campaigns/<slug:slug>/calendar.ics", calendar.campaign_ics, name="campaign_ics"),
    path("campaigns/<slug:value>/rss/", rss, {"kind": "campaign"}, name="campaign_rss"),
    path("campaigns/<slug:value>/atom/", atom, {"kind": "campaign"}, name="campaign_atom"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar.ics", calendar.calendar_ics, name="calendar_ics"),
    path("map/", calendar.action_map, name="map"),
    path("map/world.svg", calendar.world_svg, name="world_svg"),
    path("events/new/", calendar.event_create, name="event_create"),
    path("events/<uuid:uuid>/", calendar.event_detail, name="event"),
    path("events/<uuid:uuid>/edit/", calendar.event_edit, name="event_edit"),
    path("events/<uuid:uuid>/cancel/", calendar.event_cancel, name="event_cancel"),
    path("events/<uuid:uuid>/event.ics", calendar.event_ics, name="event_ics"),
    path("o/<slug:slug>/", campaigns.organization_page, name="organization"),
    path("o/<slug:slug>/network/", campaigns.organization_network, name="organization_network"),
    path("o/<slug:slug>/programmes/new/", campaigns.programme_create, name="programme_create"),
    path("o/<slug:slug>/calendar.ics", calendar.organization_ics, name="organization_ics"),
    path("o/<slug:value>/rss/", rss, {"kind": "organization"}, name="organization_rss"),
    path("o/<slug:value>/atom/", atom, {"kind": "organization"}, name="organization_atom"),
    path("o/<slug:slug>/podcast.xml", podcast, name="organization_podcast"),
    path("o/<slug:slug>/subscribe/", subscriptions.subscribe, name="subscribe"),
    path("programmes/<uuid:uuid>/", campaigns.programme_detail, name="programme"),
    path("programmes/<uuid:uuid>/podcast.xml", podcast, name="programme_podcast"),
    path("feeds/rss/", rss, name="rss"),
    path("feeds/atom/", atom, name="atom"),
    path("feeds/tags/<str:value>/rss/", rss, {"kind": "tag"}, name="tag_rss"),
    path("feeds/tags/<str:value>/atom/", atom, {"kind": "tag"}, name="tag_atom"),
    path("feeds/languages/<str:value>/rss/", rss, {"kind": "language"}, name="language_rss"),
    path("feeds/languages/<str:value>/atom/", atom, {"kind": "language"}, name="language_atom"),
    path("subscriptions/<str:token>/confirm/", subscriptions.confirm, name="confirm"),
    path("subscriptions/<str:token>/unsubscribe/", subscriptions.unsubscribe, name="unsubscribe"),
]
