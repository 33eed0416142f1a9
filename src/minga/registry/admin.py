"""Admin for staff. Changes made here go through the same services where rules apply."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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

    @admin.action(description="Export selected as CSV")
    def export_csv(self, request: HttpRequest, queryset: Any) -> Any:
        from .exchange_formats import export_response

        return export_response(queryset, "csv")

    @admin.action(description="Export selected as JSON")
    def export_json(self, request: HttpRequest, queryset: Any) -> Any:
        from .exchange_formats import export_response

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
