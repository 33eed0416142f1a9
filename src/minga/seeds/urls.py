from django.urls import path

from . import views

app_name = "seeds"

urlpatterns = [
    path("", views.index, name="index"),
    path("banks/new/", views.bank_create, name="bank_create"),
    path("banks/<uuid:uuid>/", views.bank_detail, name="bank"),
    path("banks/<uuid:uuid>/settings/", views.bank_edit, name="bank_edit"),
    path("banks/<uuid:uuid>/inventory/", views.bank_inventory, name="bank_inventory"),
    path("banks/<uuid:uuid>/at-risk/", views.bank_at_risk, name="bank_at_risk"),
    path("banks/<uuid:uuid>/alerts/", views.bank_alerts, name="bank_alerts"),
    path("banks/<uuid:uuid>/origins/", views.bank_origins, name="bank_origins"),
    path("banks/<uuid:uuid>/import/", views.bank_import, name="bank_import"),
    path("banks/<uuid:uuid>/mcpd.csv", views.bank_export, name="bank_export"),
    path(
        "banks/<uuid:uuid>/report-<int:year>.<str:fmt>",
        views.bank_report,
        name="bank_report",
    ),
    path("banks/<uuid:uuid>/accessions/new/", views.accession_create, name="accession_create"),
    path("accessions/<uuid:uuid>/", views.accession_detail, name="accession"),
    path("accessions/<uuid:uuid>/edit/", views.accession_edit, name="accession_edit"),
    path("accessions/<uuid:uuid>/library/", views.accession_library, name="accession_library"),
    path("accessions/<uuid:uuid>/lots/new/", views.lot_create, name="lot_create"),
    path("lots/<uuid:uuid>/", views.lot_detail, name="lot"),
    path("lots/<uuid:uuid>/tests/new/", views.test_create, name="test_create"),
    path("lots/<uuid:uuid>/grow-out/", views.regeneration_create, name="regeneration_create"),
    path("lots/<uuid:uuid>/request/", views.request_create, name="request_create"),
    path("regenerations/<uuid:uuid>/", views.regeneration_detail, name="regeneration"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<uuid:uuid>/", views.request_detail, name="request"),
    path(
        "requests/<uuid:uuid>/<str:action>/",
        views.request_action,
        name="request_action",
    ),
]
