from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from atiende.outbox.models import EmailStatus, OutboundEmail
from atiende.outbox.outbox import send_again


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: what was sent, what waits, and why something failed (the mail server's
    answer). Failed or waiting emails can be sent again now."""

    list_display = [
        "created_at",
        "kind",
        "recipients",
        "subject",
        "ticket_number",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "message_id", "ticket_number", "to"]
    date_hierarchy = "created_at"
    actions = ["send_again_now"]
    fields = [
        "kind",
        "status",
        "to",
        "subject",
        "ticket_number",
        "message_id",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "headers",
        "dedupe_key",
        "body_text",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outbox.change_outboundemail")

    @admin.display(description=_("to"))
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    @admin.display(description=_("last error"))
    def short_error(self, email: OutboundEmail) -> str:
        return email.last_error[:120]

    @admin.action(description=_("Send again now"), permissions=["resend"])
    def send_again_now(self, request: HttpRequest, queryset: "QuerySet[OutboundEmail]") -> None:
        waiting = list(queryset.exclude(status=EmailStatus.SENT))
        skipped = queryset.count() - len(waiting)
        sent = send_again(waiting)
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d email was sent.", "%(count)d emails were sent.", sent) % {"count": sent},
                messages.SUCCESS,
            )
        if len(waiting) > sent:
            failed = len(waiting) - sent
            self.message_user(
                request,
                ngettext(
                    "%(count)d email could not be sent; see its last error.",
                    "%(count)d emails could not be sent; see their last error.",
                    failed,
                )
                % {"count": failed},
                messages.ERROR,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email had already been sent and was left alone.",
                    "%(count)d emails had already been sent and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
