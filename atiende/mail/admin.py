from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from atiende.mail.models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """What arrived and what became of it; quarantined messages show why."""

    list_display = ["received_at", "source", "message_id", "status", "outcome", "ticket_number"]
    list_filter = ["status", "source"]
    search_fields = ["message_id", "outcome"]
    exclude = ["raw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
