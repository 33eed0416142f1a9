from django.urls import path

from . import picker, views

app_name = "registry"

urlpatterns = [
    path("organizations/", views.directory, name="directory"),
    # Suggestions for the organization picker (``picker.py``), used by every app's forms.
    path("organization-picker/", picker.suggestions, name="organization_picker"),
    path("organizations/<uuid:uuid>/", views.organization_canonical, name="organization_canonical"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path("join/", views.join_request, name="join"),
    path("coordination/", views.coordination_queue, name="coordination"),
    path("coordination/audit/", views.audit_log, name="audit"),
    path("memberships/<uuid:uuid>/decide/", views.relation_decide, name="relation_decide"),
    path("memberships/<uuid:uuid>/withdraw/", views.relation_withdraw, name="relation_withdraw"),
    path("memberships/<uuid:uuid>/apply-again/", views.relation_reapply, name="relation_reapply"),
]
