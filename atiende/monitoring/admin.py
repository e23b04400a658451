"""Monitoring alerts, for administrators: the sources (each with its token, shown once, and
an Alertmanager configuration to paste) and the incidents alerts opened (read only: they
change only when alerts arrive)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from atiende.monitoring import sources
from atiende.monitoring.models import AlertIncident, AlertSource

ONCE_PAGE = "admin/monitoring/alertsource/token.html"


@admin.register(AlertSource)
class AlertSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "format", "organization", "queue", "requester", "is_active", "last_received_at"]
    list_filter = ["is_active", "format", "queue"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization", "requester"]
    readonly_fields = ["endpoint", "actor", "created_at", "last_received_at"]
    actions = ["make_new_token"]
    fieldsets = [
        (None, {"fields": ["name", "format", "is_active", "endpoint"]}),
        (
            _("Tickets"),
            {"fields": ["organization", "requester", "queue", "ticket_type", "resolve_on_recovery"]},
        ),
        (_("Priority"), {"fields": ["priority_label", "priority_map"]}),
        (_("Activity"), {"fields": ["actor", "created_at", "last_received_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AlertSource]:
        return super().get_queryset(request).select_related("organization", "queue", "requester__user")

    @admin.display(description=_("address"))
    def endpoint(self, source: AlertSource) -> str:
        if source.pk is None:
            return gettext("Given when saved, with its token.")
        return reverse("api:alerts-receive", args=[source.pk])

    def save_model(self, request: HttpRequest, obj: AlertSource, form: Any, change: bool) -> None:
        token = sources.save_source(obj)
        if token:
            request.monitoring_token = token  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: AlertSource, post_url_continue: str | None = None
    ) -> HttpResponse:
        token = getattr(request, "monitoring_token", "")
        if token:
            return self._show_token(request, obj, token)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Make a new token (the current one stops working)"), permissions=["change"])
    def make_new_token(self, request: HttpRequest, queryset: QuerySet[AlertSource]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, gettext("Choose one source at a time."), messages.WARNING)
            return None
        source = queryset.get()
        token = sources.new_token(source)
        source.save(update_fields=["token_hash"])
        return self._show_token(request, source, token)

    def _show_token(self, request: HttpRequest, source: AlertSource, token: str) -> HttpResponse:
        url = request.build_absolute_uri(reverse("api:alerts-receive", args=[source.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Token of %(name)s") % {"name": source.name},
            "opts": self.model._meta,
            "source": source,
            "token": token,
            "url": url,
            "url_with_token": f"{url}{token}/",
            "config": sources.alertmanager_config(url, token),
        }
        response = TemplateResponse(request, ONCE_PAGE, context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(AlertIncident)
class AlertIncidentAdmin(admin.ModelAdmin):
    list_display = [
        "alert_name",
        "source",
        "ticket_link",
        "status",
        "first_seen",
        "last_seen",
        "tickets_opened",
    ]
    list_filter = ["status", "source"]
    search_fields = ["alert_name", "fingerprint", "ticket__number"]
    list_select_related = ["source", "ticket"]
    readonly_fields = [
        "source",
        "fingerprint",
        "ticket_link",
        "alert_name",
        "labels",
        "status",
        "first_seen",
        "last_seen",
        "tickets_opened",
    ]
    exclude = ["ticket"]

    @admin.display(description=_("ticket"), ordering="ticket__number")
    def ticket_link(self, incident: AlertIncident) -> str:
        try:
            url = reverse("desk:ticket", args=[incident.ticket.number])
        except NoReverseMatch:
            return f"#{incident.ticket.number}"
        return format_html('<a href="{}">#{}</a>', url, incident.ticket.number)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
