from django.urls import path

from . import views

app_name = "market"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.listing_create, name="create"),
    path("<uuid:uuid>/", views.listing_detail, name="listing"),
    path("<uuid:uuid>/edit/", views.listing_edit, name="edit"),
    path("<uuid:uuid>/close/", views.listing_close, name="close"),
    path("<uuid:uuid>/reopen/", views.listing_reopen, name="reopen"),
]
