from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import PersonalAccessToken, User
from .services import access_tokens_suspend


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (None, {"fields": ("display_name", "bio", "language", "time_zone", "profile_visibility")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "language")
    search_fields = ("username", "display_name", "email")

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        promoted = change and any(
            name in form.changed_data and getattr(obj, name)
            for name in ("is_staff", "is_superuser")
        )
        super().save_model(request, obj, form, change)
        if promoted:
            # Staff must use a second factor: older tokens wait for its confirmation.
            access_tokens_suspend(actor=request.user, person=obj)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "name", "user", "prefix", "scope", "created_at", "last_used_at",
        "suspended_at", "revoked_at",
    )  # fmt: skip
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at", "scope", "suspended_at")
    search_fields = ("name", "user__username")
