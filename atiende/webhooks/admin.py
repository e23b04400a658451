import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from atiende.webhooks import destinations
from atiende.webhooks.delivery import deliver_again, send_test
from atiende.webhooks.models import (
    SECRET_PREFIX,
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
)


class SubscriptionForm(forms.ModelForm):
    """The secret is write-only: generated on creation (shown once) or pasted here; the
    form never shows the one in use."""

    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the events are sent, by POST (http or https)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    new_secret = forms.CharField(
        label=_("new secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Leave empty to keep the current secret (a new subscription gets a generated one, "
            "shown once). A secret of your own must look like whsec_ followed by base64."
        ),
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "event_types", "is_active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            destinations.check(url)
        except destinations.RefusedDestination as refused:
            raise forms.ValidationError(refused.message) from None
        return url

    def clean_new_secret(self) -> str:
        secret: str = self.cleaned_data["new_secret"].strip()
        if secret and (not secret.startswith(SECRET_PREFIX) or len(secret) < len(SECRET_PREFIX) + 24):
            raise forms.ValidationError(gettext("Write whsec_ followed by at least 24 base64 characters."))
        return secret


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "is_active", "failure_count", "disabled_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["failure_count", "disabled_at", "created_by", "created_at"]
    actions = ["send_test_event"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        editable = ["name", "url", "event_types", "is_active", "new_secret"]
        return editable if obj is None else [*editable, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        if form.cleaned_data.get("new_secret"):
            obj.secret = form.cleaned_data["new_secret"]
        if obj.is_active and "is_active" in form.changed_data:
            obj.failure_count, obj.disabled_at = 0, None  # turned back on: a fresh start
        super().save_model(request, obj, form, change)
        if not change and not form.cleaned_data.get("new_secret"):
            self.message_user(
                request,
                format_html(
                    "{} <code>{}</code>",
                    gettext("The signing secret, shown only this once; copy it to the receiver now:"),
                    obj.secret,
                ),
                messages.WARNING,
            )

    @admin.action(description=_("Send a test event"))
    def send_test_event(self, request: HttpRequest, queryset: "QuerySet[WebhookSubscription]") -> None:
        for subscription in queryset:
            delivery = send_test(subscription)
            if delivery.status == DeliveryStatus.SENT:
                self.message_user(
                    request,
                    gettext("%(name)s answered %(code)s.")
                    % {"name": subscription.name, "code": delivery.response_code},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    gettext("%(name)s: the test event was not delivered (%(error)s).")
                    % {"name": subscription.name, "error": delivery.last_error},
                    messages.ERROR,
                )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Read-only log: what was sent, with which headers, and what the receiver answered."""

    list_display = [
        "created_at",
        "event_type",
        "subscription",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["webhook_id", "event_type"]
    date_hierarchy = "created_at"
    list_select_related = ["subscription"]
    actions = ["deliver_again_now"]
    fields = [
        "subscription",
        "event_type",
        "webhook_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "delivered_at",
        "created_at",
        "request",
        "body",
        "response_code",
        "response_body",
        "last_error",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_redeliver_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("webhooks.change_webhookdelivery")

    @admin.display(description=_("request headers"))
    def request(self, delivery: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.request_headers, indent=2))

    @admin.display(description=_("request body"))
    def body(self, delivery: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, indent=2, ensure_ascii=False))

    @admin.display(description=_("last error"))
    def short_error(self, delivery: WebhookDelivery) -> str:
        return delivery.last_error[:120]

    @admin.action(description=_("Deliver again"), permissions=["redeliver"])
    def deliver_again_now(self, request: HttpRequest, queryset: "QuerySet[WebhookDelivery]") -> None:
        chosen = list(queryset.select_related("subscription"))
        delivered = deliver_again(chosen)
        if delivered:
            self.message_user(
                request,
                ngettext("%(count)d delivery arrived.", "%(count)d deliveries arrived.", delivered)
                % {"count": delivered},
                messages.SUCCESS,
            )
        if len(chosen) > delivered:
            failed = len(chosen) - delivered
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery failed again; see its last error.",
                    "%(count)d deliveries failed again; see their last error.",
                    failed,
                )
                % {"count": failed},
                messages.ERROR,
            )
