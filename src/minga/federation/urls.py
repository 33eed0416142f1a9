from django.urls import path

from .views import pages, protocol

app_name = "federation"

urlpatterns = [
    path(".well-known/webfinger", protocol.webfinger, name="webfinger"),
    path(".well-known/host-meta", protocol.host_meta, name="host_meta"),
    path(".well-known/nodeinfo", protocol.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", protocol.nodeinfo, name="nodeinfo"),
    path("ap/actor", protocol.server_actor, name="server_actor"),
    path("ap/actor/outbox", protocol.server_outbox, name="server_outbox"),
    path("ap/inbox", protocol.shared_inbox, name="shared_inbox"),
    path("ap/actors/<uuid:uuid>", protocol.actor, name="actor"),
    path("ap/actors/<uuid:uuid>/inbox", protocol.inbox, name="inbox"),
    path("ap/actors/<uuid:uuid>/outbox", protocol.outbox, name="outbox"),
    path("ap/actors/<uuid:uuid>/followers", protocol.followers, name="followers"),
    path("ap/actors/<uuid:uuid>/following", protocol.following, name="following"),
    path("federation/", pages.admin_overview, name="admin"),
    path("federation/blocks/", pages.admin_block, name="admin_block"),
    path("federation/servers/<str:domain>/", pages.admin_server, name="admin_server"),
    path("federation/deliveries/<int:pk>/retry/", pages.admin_retry, name="admin_retry"),
    path(
        "federation/organizations/<slug:slug>/",
        pages.organization_follows,
        name="organization_follows",
    ),
    path("federation/organizations/<slug:slug>/follow/", pages.follow, name="follow"),
    path(
        "federation/organizations/<slug:slug>/follows/<uuid:uuid>/end/",
        pages.follow_end,
        name="follow_end",
    ),
    path("federation/organizations/<slug:slug>/key/", pages.key_rotate, name="key_rotate"),
]
