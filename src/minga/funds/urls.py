"""The funds' pages, under ``/funds/``."""

from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.fund_list, name="index"),
    path("new/", views.fund_create, name="create"),
    path("<uuid:uuid>/", views.fund_detail, name="fund"),
    path("<uuid:uuid>/export.csv", views.fund_export, name="export"),
    path("<uuid:uuid>/pledge/", views.pledge_create, name="pledge"),
    path("<uuid:uuid>/pledges/", views.pledge_list, name="pledges"),
    path("<uuid:uuid>/receive/", views.contribution_receive, name="receive"),
    path("<uuid:uuid>/spend/", views.spending_request, name="spend"),
    path("<uuid:uuid>/budget/", views.budget_set, name="budget"),
    path("movements/<uuid:uuid>/decide/", views.spending_decide, name="decide"),
    path("movements/<uuid:uuid>/reverse/", views.movement_reverse, name="reverse"),
    path("pledges/<uuid:uuid>/cancel/", views.pledge_cancel, name="pledge_cancel"),
]
