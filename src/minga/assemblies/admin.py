"""Admin for staff: read-only views of the decision records.

Everything here changes only through the services (rules by adoption, votes by casting and
closing), so the admin shows, it does not edit. Secret ballots and who took part in a
vote are deliberately not listed at all.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    BodyMembership,
    BodyRules,
    DebateSpace,
    Declaration,
    FollowUpResult,
    Meeting,
    Proposal,
    Vote,
    WorkingTable,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BodyRules)
class BodyRulesAdmin(ReadOnlyAdmin):
    list_display = ("body", "version", "created_at")


@admin.register(BodyMembership)
class BodyMembershipAdmin(ReadOnlyAdmin):
    list_display = ("body", "organization", "weight")
    search_fields = ("organization__name",)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "starts_at")
    search_fields = ("title",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title",)


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("title", "body", "method", "secret", "opens_at", "closes_at")


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "created_at")


@admin.register(FollowUpResult)
class FollowUpResultAdmin(ReadOnlyAdmin):
    list_display = ("title", "responsible", "status", "due_on")
    list_filter = ("status",)


admin.site.register(WorkingTable, ReadOnlyAdmin)
admin.site.register(DebateSpace, ReadOnlyAdmin)
