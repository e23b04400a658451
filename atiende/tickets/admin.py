from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from atiende.tickets.models import (
    CannedReply,
    Category,
    Contract,
    HistoryEvent,
    Message,
    Priority,
    Queue,
    Service,
    Status,
    Tag,
    Ticket,
    TicketType,
)


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "email_address", "offered_to_clients", "organization", "is_active"]
    list_filter = ["offered_to_clients", "is_active"]
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["agents"]
    search_fields = ["name", "email_address"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "is_on_demand", "hourly_rate", "currency", "is_active"]
    list_filter = ["is_on_demand", "is_active"]
    search_fields = ["name"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "service",
        "reference",
        "valid_from",
        "valid_to",
        "hourly_rate",
        "is_active",
    ]
    list_filter = ["service", "is_active"]
    search_fields = ["organization__name", "reference"]
    autocomplete_fields = ["organization"]


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "is_default", "position", "is_active"]
    list_editable = ["position"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_es", "name_en"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["level", "name_es", "name_en", "covey", "color", "is_default"]


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name_es", "name_en", "kind", "portal_name_es", "position", "is_default"]
    list_filter = ["kind"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Prepared answers agents insert in the composer; placeholders are filled per ticket."""

    list_display = ["title", "queue", "is_active"]
    list_filter = ["queue", "is_active"]
    search_fields = ["title", "body"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "kind", "author", "channel", "body_text"]


class HistoryInline(ReadOnlyInline):
    model = HistoryEvent
    fields = ["created_at", "actor", "channel", "action", "field", "old_value", "new_value"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change only through the domain actions (portal, desk, email)."""

    list_display = [
        "number",
        "subject",
        "organization",
        "queue",
        "status",
        "priority",
        "assignee",
        "last_activity_at",
    ]
    list_filter = ["queue", "status", "priority", "channel"]
    search_fields = ["number", "subject", "organization__name", "requester__user__email"]
    list_select_related = ["organization", "queue", "status", "priority", "assignee__user"]
    inlines = [MessageInline, HistoryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
