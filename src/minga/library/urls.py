from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("oai", views.oai, name="oai"),
    path("library/", views.index, name="index"),
    path("library/feed/", views.feed, name="feed"),
    path("library/sitemap.xml", views.sitemap, name="sitemap"),
    path("library/export/", views.bundle_export, name="export"),
    path("library/import/", views.bundle_import, name="import"),
    path("library/items/new/", views.item_new, name="item_new"),
    path("library/items/<uuid:uuid>/", views.item_detail, name="item"),
    path("library/items/<uuid:uuid>/edit/", views.item_edit, name="item_edit"),
    path("library/items/<uuid:uuid>/access/", views.item_access, name="item_access"),
    path("library/items/<uuid:uuid>/delete/", views.item_delete, name="item_delete"),
    path("library/items/<uuid:uuid>/versions/", views.version_list, name="versions"),
    path("library/items/<uuid:uuid>/versions/<int:number>/", views.version_detail, name="version"),
    path(
        "library/items/<uuid:uuid>/versions/<int:number>/restore/",
        views.version_restore,
        name="version_restore",
    ),
    path("library/items/<uuid:uuid>/files/", views.attachment_add, name="attachment_add"),
    path("library/files/<uuid:uuid>/remove/", views.attachment_remove, name="attachment_remove"),
    path("library/items/<uuid:uuid>/consent/", views.consent_add, name="consent_add"),
    path("library/items/<uuid:uuid>/links/", views.link_add, name="link_add"),
    path(
        "library/items/<uuid:uuid>/links/<int:link_id>/remove/",
        views.link_remove,
        name="link_remove",
    ),
    path("library/items/<uuid:uuid>/access-log/", views.item_access_log, name="access_log"),
    path(
        "library/items/<uuid:uuid>/collections/",
        views.collection_add_item,
        name="collection_add_item",
    ),
    path(
        "library/items/<uuid:uuid>/translations/new/",
        views.translation_request,
        name="translation_request",
    ),
    path(
        "library/items/<uuid:uuid>/translations/<str:language>/",
        views.translation_detail,
        name="translation",
    ),
    path("library/translations/", views.translation_list, name="translations"),
    path("library/protocols/", views.protocol_list, name="protocols"),
    path("library/protocols/new/", views.protocol_new, name="protocol_new"),
    path("library/protocols/<uuid:uuid>/", views.protocol_detail, name="protocol"),
    path("library/protocols/<uuid:uuid>/edit/", views.protocol_edit, name="protocol_edit"),
    path("library/protocols/<uuid:uuid>/grant/", views.protocol_grant, name="protocol_grant"),
    path(
        "library/protocols/<uuid:uuid>/revoke/<int:person_id>/",
        views.protocol_revoke,
        name="protocol_revoke",
    ),
    path("library/protocols/<uuid:uuid>/request/", views.protocol_request, name="protocol_request"),
    path("library/requests/", views.request_list, name="requests"),
    path("library/requests/<uuid:uuid>/decide/", views.request_decide, name="request_decide"),
    path("library/requests/<uuid:uuid>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("library/collections/", views.collection_list, name="collections"),
    path("library/collections/new/", views.collection_new, name="collection_new"),
    path("library/collections/<uuid:uuid>/", views.collection_detail, name="collection"),
    path("library/collections/<uuid:uuid>/edit/", views.collection_edit, name="collection_edit"),
    path(
        "library/collections/<uuid:uuid>/remove/<uuid:item_uuid>/",
        views.collection_remove_item,
        name="collection_remove_item",
    ),
]
