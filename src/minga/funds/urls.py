"""The funds' pages, under ``/funds/``."""

from django.urls import path

from . import case_views, views

app_name = "funds"

urlpatterns = [
    path("", views.fund_list, name="index"),
    path("new/", views.fund_create, name="create"),
    path("<uuid:uuid>/", views.fund_detail, name="fund"),
    path("<uuid:uuid>/export.csv", views.fund_export, name="export"),
    path("<uuid:uuid>/report/<int:year>.<str:fmt>", views.fund_report, name="report"),
    path("<uuid:uuid>/pledge/", views.pledge_create, name="pledge"),
    path("<uuid:uuid>/pledges/", views.pledge_list, name="pledges"),
    path("<uuid:uuid>/receive/", views.contribution_receive, name="receive"),
    path("<uuid:uuid>/spend/", views.spending_request, name="spend"),
    path("<uuid:uuid>/budget/", views.budget_set, name="budget"),
    path("<uuid:uuid>/settings/", views.fund_settings, name="settings"),
    path("<uuid:uuid>/managers/", views.fund_managers, name="managers"),
    path("movements/<uuid:uuid>/decide/", views.spending_decide, name="decide"),
    path("movements/<uuid:uuid>/reverse/", views.movement_reverse, name="reverse"),
    path("movements/<uuid:uuid>/receipt/", views.receipt_attach, name="receipt"),
    path("pledges/<uuid:uuid>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<uuid:uuid>/cancel/", views.pledge_cancel, name="pledge_cancel"),
    # Legal cases: their team only.
    path("cases/", case_views.case_list, name="cases"),
    path("<uuid:uuid>/cases/new/", case_views.case_open, name="case_open"),
    path("cases/<uuid:uuid>/", case_views.case_detail, name="case"),
    path("cases/<uuid:uuid>/edit/", case_views.case_edit, name="case_edit"),
    path("cases/<uuid:uuid>/identity/", case_views.case_identity, name="case_identity"),
    path("cases/<uuid:uuid>/team/", case_views.case_team, name="case_team"),
    path("cases/<uuid:uuid>/dates/", case_views.date_add, name="case_date_add"),
    path("cases/<uuid:uuid>/notes/", case_views.note_add, name="case_note_add"),
    path("cases/<uuid:uuid>/documents/", case_views.document_add, name="case_document_add"),
    path("cases/<uuid:uuid>/expense/", case_views.expense_request, name="case_expense"),
    path("cases/<uuid:uuid>/delete/", case_views.case_delete, name="case_delete"),
    path("cases/dates/<uuid:uuid>/done/", case_views.date_done, name="case_date_done"),
    path("cases/documents/<uuid:uuid>/", case_views.document_download, name="case_document"),
    path(
        "cases/documents/<uuid:uuid>/remove/",
        case_views.document_remove,
        name="case_document_remove",
    ),
]
