"""Admin for staff: categories are data to edit; listings are read and moderated here.

Listing edits made here skip the services' audit, so the fields people write are read-only
and staff close or reopen through the actions, which use the services.
"""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from minga.common.errors import DomainError

from .models import Category, Listing, ListingPhoto
from .services import listing_close, listing_reopen


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "position")
    ordering = ("position", "code")


class ListingPhotoInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ListingPhoto
    extra = 0
    readonly_fields = ("image", "width", "height", "position", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "kind", "organization", "category", "status", "visibility")
    list_filter = ("kind", "status", "category", "delivery_area", "visibility", "barter_only")
    search_fields = ("title", "organization__name", "place")
    list_select_related = ("organization", "category")
    raw_id_fields = ("organization", "created_by", "visible_to_organizations", "custodians")
    readonly_fields = ("uuid", "status", "created_by", "created_at", "updated_at")
    inlines = [ListingPhotoInline]
    actions = ["close_listings", "reopen_listings"]

    @admin.action(description=gettext_lazy("Close selected listings"))
    def close_listings(self, request: HttpRequest, queryset: Any) -> None:
        self._apply(request, queryset, listing_close)

    @admin.action(description=gettext_lazy("Reopen selected listings"))
    def reopen_listings(self, request: HttpRequest, queryset: Any) -> None:
        self._apply(request, queryset, listing_reopen)

    def _apply(self, request: HttpRequest, queryset: Any, service: Any) -> None:
        for listing in queryset:
            try:
                service(actor=request.user, listing=listing, reason="admin")
            except DomainError as error:
                messages.warning(request, f"{listing}: {error.message}")
