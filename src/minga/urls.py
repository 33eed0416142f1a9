"""The site's URLs: each installed Minga app's pages under its prefix (``MingaAppConfig``),
then the site's own pages, the API, the admin, uploads and canonical addresses."""

from django.contrib import admin
from django.urls import include, path

from minga.api import api
from minga.common import error_pages
from minga.common.media import protected_media
from minga.common.registration import minga_apps
from minga.common.views import canonical
from minga.registry import views as registry_views

admin.site.site_header = "Minga"
admin.site.site_title = "Minga"

urlpatterns = [
    path("", registry_views.home, name="home"),
    *(
        path(config.url_prefix, include(f"{config.name}.urls"))
        for config in minga_apps()
        if config.url_prefix is not None
    ),
    path("favicon.ico", error_pages.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Uploads, each served only to readers who may see what it belongs to.
    path("media/<path:path>", protected_media, name="media"),
    # Last, so that every specific page wins: the canonical address of any object.
    path("<path:prefix>/<uuid:uuid>/", canonical, name="canonical"),
]

handler404 = error_pages.page_not_found
handler403 = error_pages.permission_denied
handler500 = error_pages.server_error
