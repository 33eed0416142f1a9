"""The exchange's pages, under ``/exchange/``, in three namespaces (as their names have
always been): ``exchange`` (the ledger), ``trade`` (agreements, clearing and barter rounds)
and ``dashboard`` (the economic commission's dashboards, under ``dashboard/``)."""

from django.urls import include, path

from .views import agreements, barter, clearing, dashboard, ledger

ledger_patterns = [
    path("", ledger.home, name="home"),
    path("units/new/", ledger.unit_create, name="unit_create"),
    path("units/<str:code>/accounts/", ledger.account_open, name="account_open"),
    path("accounts/<uuid:uuid>/", ledger.account_detail, name="account"),
    path("accounts/<uuid:uuid>/limits/", ledger.account_limits, name="account_limits"),
    path("accounts/<uuid:uuid>/freeze/", ledger.account_freeze, name="account_freeze"),
]

trade_patterns = [
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/new/", agreements.agreement_propose, name="agreement_new"),
    path("agreements/<uuid:uuid>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<uuid:uuid>/act/", agreements.agreement_act, name="agreement_act"),
    path("clearing/", clearing.clearing_home, name="clearing"),
    path("clearing/obligations/", clearing.obligations_upload, name="obligations_upload"),
    path("clearing/open/", clearing.clearing_round_open, name="clearing_open"),
    path("clearing/<uuid:uuid>/", clearing.clearing_round_detail, name="clearing_round"),
    path("clearing/<uuid:uuid>/act/", clearing.clearing_round_act, name="clearing_round_act"),
    path("barter/", barter.barter_home, name="barter"),
    path("barter/run/", barter.barter_run, name="barter_run"),
]

dashboard_patterns = [
    path("", dashboard.dashboard, name="index"),
    path("chart/<slug:name>/", dashboard.unit_chart, name="unit_chart"),
    path("csv/<slug:name>/", dashboard.unit_csv, name="unit_csv"),
    path("clearing/<uuid:uuid>/", dashboard.clearing_round, name="clearing_round"),
    path(
        "clearing/<uuid:uuid>/chart/",
        dashboard.clearing_round_chart,
        name="clearing_round_chart",
    ),
    path("clearing/<uuid:uuid>/csv/", dashboard.clearing_round_csv, name="clearing_round_csv"),
    path("barter/<uuid:uuid>/", dashboard.barter_round, name="barter_round"),
    path("barter/<uuid:uuid>/chart/", dashboard.barter_round_chart, name="barter_round_chart"),
    path("barter/<uuid:uuid>/csv/", dashboard.barter_round_csv, name="barter_round_csv"),
]

# No app_name here: each list keeps its own namespace at the top level, so that every
# page keeps its name (``exchange:home``, ``trade:agreement``, ``dashboard:index``).
urlpatterns = [
    path("", include((ledger_patterns, "exchange"))),
    path("", include((trade_patterns, "trade"))),
    path("dashboard/", include((dashboard_patterns, "dashboard"))),
]
