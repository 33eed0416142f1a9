"""Admin for staff. Changes made here go through the same services where rules apply."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Body,
    ContactChannel,
    DelegateAccreditation,
    Language,
    Organization,
    OrganizationRelation,
    Region,
    RelationEvent,
    Role,
)
from .organization_files import ImportFileError, parse_file
from .services import ImportRowError, organizations_import


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or JSON file"))


class ContactChannelInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ContactChannel
    extra = 0
    fields = ("kind", "value", "label", "visibility", "position")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "country", "region", "status", "visibility")
    list_filter = ("kind", "status", "visibility", "region")
    search_fields = ("name", "slug", "registry_number", "area")
    readonly_fields = ("uuid", "created_at", "updated_at")
    filter_horizontal = ("languages",)
    raw_id_fields = ("visible_to_organizations", "custodians")
    inlines = [ContactChannelInline]
    actions = ["export_csv", "export_json"]
    change_list_template = "admin/registry/organization/change_list.html"

    def get_urls(self) -> list[Any]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="registry_organization_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV or JSON file; it is imported whole or not at all."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                records = parse_file(upload.name, upload.read())
                result = organizations_import(
                    actor=request.user, records=[(r.line, r.data) for r in records]
                )
            except (ImportFileError, ImportRowError) as error:
                messages.error(request, _("%(error)s. Nothing was imported.") % {"error": error})
            else:
                messages.success(
                    request,
                    _("%(created)d organizations created, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("admin:registry_organization_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Import organizations"),
        }
        return render(request, "admin/registry/organization/import.html", context)

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request: HttpRequest, queryset: Any) -> Any:
        from .organization_files import export_response

        return export_response(queryset, "csv")

    @admin.action(description="Export selected as JSON")
    def export_json(self, request: HttpRequest, queryset: Any) -> Any:
        from .organization_files import export_response

        return export_response(queryset, "json")


class RelationEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RelationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "reason", "at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrganizationRelation)
class OrganizationRelationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: status changes go through the coordination queue so history is kept."""

    list_display = ("member", "parent", "kind", "status", "started_on", "ended_on")
    list_filter = ("kind", "status")
    search_fields = ("member__name", "parent__name")
    inlines = [RelationEventInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("person", "organization", "kind", "started_on", "ended_on")
    list_filter = ("kind",)
    search_fields = ("person__username", "organization__name")
    raw_id_fields = ("person", "organization")


admin.site.register(Region)
admin.site.register(Language)
admin.site.register(Body)
admin.site.register(DelegateAccreditation)
