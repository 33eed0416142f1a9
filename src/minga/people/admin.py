from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import PersonalAccessToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (None, {"fields": ("display_name", "bio", "language", "time_zone", "profile_visibility")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "language")
    search_fields = ("username", "display_name", "email")


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
    search_fields = ("name", "user__username")
