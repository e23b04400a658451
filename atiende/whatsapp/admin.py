"""WhatsApp for administrators: the numbers (secrets typed, never shown again), their
templates, and what arrived and went out. Webhook bodies are never edited or deleted: a
quarantined one is retried (after the cause was fixed) or discarded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atiende.whatsapp import inbound
from atiende.whatsapp.models import (
    DeliveryStatus,
    InboundMessage,
    MessageTemplate,
    OutboundMessage,
    WebhookDelivery,
    WhatsAppNumber,
)

SECRET_FIELDS = ("access_token", "app_secret")
TEMPLATE_PARAMETERS = ("number", "subject", "link", "name", "text")
PREVIEW_CHARACTERS = 5000


class WhatsAppNumberForm(forms.ModelForm):
    """Secrets are typed, never shown again; left empty, the stored one is kept."""

    class Meta:
        model = WhatsAppNumber
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose and order them)
        widgets = {name: forms.PasswordInput(render_value=False) for name in SECRET_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            self.fields[name].required = False
            if self.instance.pk and getattr(self.instance, name):
                self.fields[name].help_text = _("Stored. Leave empty to keep it, or type a new one.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in SECRET_FIELDS:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
        if not cleaned.get("app_secret"):
            self.add_error("app_secret", _("The app secret is needed to check Meta's signatures."))
        return cleaned


class TemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["use", "name", "language", "approved", "body", "parameters"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean_parameters(self) -> list[str]:
        value = self.cleaned_data.get("parameters") or []
        if not isinstance(value, list) or any(item not in TEMPLATE_PARAMETERS for item in value):
            raise forms.ValidationError(
                _('Write a list of: %(names)s, e.g. ["number", "link"].')
                % {"names": ", ".join(TEMPLATE_PARAMETERS)}
            )
        return [str(item) for item in value]


class TemplateInline(admin.TabularInline):
    model = MessageTemplate
    form = TemplateForm
    extra = 0


@admin.register(WhatsAppNumber)
class WhatsAppNumberAdmin(admin.ModelAdmin):
    form = WhatsAppNumberForm
    list_display = ["name", "display_phone", "phone_number_id", "queue", "is_active", "last_received_at"]
    list_filter = ["is_active", "queue"]
    search_fields = ["name", "display_phone", "phone_number_id"]
    readonly_fields = ["webhook_url", "last_received_at"]
    autocomplete_fields = ["default_company"]
    inlines = [TemplateInline]
    fieldsets = [
        (None, {"fields": ["name", "display_phone", "is_active", "webhook_url", "last_received_at"]}),
        (
            _("Meta"),
            {
                "fields": [
                    "phone_number_id",
                    "business_account_id",
                    "access_token",
                    "app_secret",
                    "verify_token",
                ]
            },
        ),
        (_("Tickets"), {"fields": ["queue", "default_company"]}),
    ]

    @admin.display(description=_("webhook address"))
    def webhook_url(self, number: WhatsAppNumber) -> str:
        if number.pk is None:
            return gettext("Given when saved.")
        return settings.ATIENDE_BASE_URL + reverse("whatsapp:webhook", args=[number.pk])


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """What Meta posted and what became of it; quarantined bodies show why, and can be retried."""

    list_display = ["received_at", "number", "status", "outcome"]
    list_filter = ["status", "number"]
    search_fields = ["outcome", "error"]
    date_hierarchy = "received_at"
    actions = ["retry_selected", "discard_selected"]
    fields = ["received_at", "number", "status", "outcome", "error", "processed_at", "sha256", "body"]
    readonly_fields = [
        "received_at",
        "number",
        "status",
        "outcome",
        "error",
        "processed_at",
        "sha256",
        "body",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookDelivery]:
        return super().get_queryset(request).select_related("number").defer("raw")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing received is lost: discard instead

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("whatsapp.change_webhookdelivery")

    @admin.display(description=_("body"))
    def body(self, record: WebhookDelivery) -> str:
        text = bytes(record.raw).decode("utf-8", "replace")
        return text if len(text) <= PREVIEW_CHARACTERS else text[:PREVIEW_CHARACTERS] + "…"

    @admin.action(description=_("Retry the selected deliveries"), permissions=["handle"])
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for record in queryset.order_by("received_at"):
            if record.status not in {DeliveryStatus.QUARANTINED, DeliveryStatus.RECEIVED}:
                continue
            outcome = inbound.retry(record)
            level = messages.SUCCESS if outcome.status == DeliveryStatus.PROCESSED else messages.WARNING
            self.message_user(request, f"{record.pk}: {outcome.text}", level)

    @admin.action(description=_("Discard the selected deliveries"), permissions=["handle"])
    def discard_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for record in queryset.filter(status=DeliveryStatus.QUARANTINED):
            inbound.discard(record)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "number", "phone", "profile_name", "kind", "state", "ticket"]
    list_filter = ["state", "kind", "number"]
    search_fields = ["phone", "profile_name", "wamid"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundMessage]:
        return super().get_queryset(request).select_related("number", "message__ticket")

    @admin.display(description=_("ticket"))
    def ticket(self, record: InboundMessage) -> str:
        if record.message is None:
            return "—"
        number = record.message.ticket.number
        return format_html('<a href="{}">#{}</a>', reverse("desk:ticket", args=[number]), number)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "number", "to", "kind", "status", "attempts", "sending_since", "error"]
    list_filter = ["status", "kind", "number"]
    search_fields = ["to", "wamid"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundMessage]:
        return super().get_queryset(request).select_related("number")
