from django.urls import path

from . import views_trade

app_name = "trade"

urlpatterns = [
    path("agreements/", views_trade.agreement_list, name="agreements"),
    path("agreements/new/", views_trade.agreement_propose, name="agreement_new"),
    path("agreements/<uuid:uuid>/", views_trade.agreement_detail, name="agreement"),
    path("agreements/<uuid:uuid>/act/", views_trade.agreement_act, name="agreement_act"),
    path("clearing/", views_trade.clearing_home, name="clearing"),
    path("clearing/obligations/", views_trade.obligations_upload, name="obligations_upload"),
    path("clearing/open/", views_trade.clearing_round_open, name="clearing_open"),
    path("clearing/<uuid:uuid>/", views_trade.clearing_round_detail, name="clearing_round"),
    path("clearing/<uuid:uuid>/act/", views_trade.clearing_round_act, name="clearing_round_act"),
    path("barter/", views_trade.barter_home, name="barter"),
    path("barter/run/", views_trade.barter_run, name="barter_run"),
]
