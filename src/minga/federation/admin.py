from django.contrib import admin

from .models import (
    ActorBlock,
    Delivery,
    DomainBlock,
    Follow,
    InboxItem,
    OutboxActivity,
    RemoteActor,
    RemoteServer,
)


@admin.register(RemoteServer)
class RemoteServerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "domain",
        "software",
        "last_success_at",
        "last_failure_at",
        "consecutive_failures",
    ]
    search_fields = ["domain"]


@admin.register(RemoteActor)
class RemoteActorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["uri", "username", "type", "is_minga", "gone"]
    search_fields = ["uri", "username", "name"]
    raw_id_fields = ["server"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "state", "created_at", "accepted_at"]
    list_filter = ["state"]
    raw_id_fields = [
        "follower_organization",
        "follower_actor",
        "target_organization",
        "target_actor",
    ]


@admin.register(InboxItem)
class InboxItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["activity_type", "actor_uri", "state", "received_at", "outcome"]
    list_filter = ["state", "activity_type"]
    readonly_fields = ["payload"]


@admin.register(OutboxActivity)
class OutboxActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["activity_type", "object_uri", "state", "created_at"]
    list_filter = ["state", "activity_type"]
    raw_id_fields = ["organization"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["inbox", "state", "attempts", "last_status", "next_attempt_at"]
    list_filter = ["state"]
    raw_id_fields = ["activity", "server"]


admin.site.register(DomainBlock)
admin.site.register(ActorBlock)
