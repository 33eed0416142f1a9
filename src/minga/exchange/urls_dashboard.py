"""The economic commission's dashboards, mounted at /exchange/dashboard/."""

from django.urls import path

from . import views_dashboard as views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("chart/<slug:name>/", views.unit_chart, name="unit_chart"),
    path("csv/<slug:name>/", views.unit_csv, name="unit_csv"),
    path("clearing/<uuid:uuid>/", views.clearing_round, name="clearing_round"),
    path("clearing/<uuid:uuid>/chart/", views.clearing_round_chart, name="clearing_round_chart"),
    path("clearing/<uuid:uuid>/csv/", views.clearing_round_csv, name="clearing_round_csv"),
    path("barter/<uuid:uuid>/", views.barter_round, name="barter_round"),
    path("barter/<uuid:uuid>/chart/", views.barter_round_chart, name="barter_round_chart"),
    path("barter/<uuid:uuid>/csv/", views.barter_round_csv, name="barter_round_csv"),
]
