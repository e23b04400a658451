from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from atiende.sla.models import Calendar, ClosedDate, SlaNotice, SlaPolicy, TicketSla, WorkingHours


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 0


class CalendarForm(forms.ModelForm):
    class Meta:
        model = Calendar
        fields = ["name", "time_zone", "country", "is_default", "queues", "contracts"]

    def clean(self) -> dict[str, Any]:
        """A queue or a contract follows one calendar: refuse one that already has another."""
        data = super().clean() or {}
        others = Calendar.objects.exclude(pk=self.instance.pk)
        for field in ("queues", "contracts"):
            for item in data.get(field) or []:
                taken = others.filter(**{field: item}).first()
                if taken is not None:
                    self.add_error(
                        field,
                        _("%(item)s already follows the calendar %(calendar)s.")
                        % {"item": item, "calendar": taken},
                    )
        return data


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    form = CalendarForm
    list_display = ["name", "time_zone", "country", "is_default"]
    filter_horizontal = ["queues", "contracts"]
    inlines = [WorkingHoursInline, ClosedDateInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "contract",
        "service",
        "priority",
        "first_response_minutes",
        "resolution_minutes",
        "warning_percent",
        "escalate_on",
        "is_active",
    ]
    list_filter = ["is_active", "priority", "service"]
    fieldsets = [
        (None, {"fields": ["name", "is_active"]}),
        (_("Applies to"), {"fields": ["contract", "service", "priority"]}),
        (_("Targets"), {"fields": ["first_response_minutes", "resolution_minutes", "warning_percent"]}),
        (
            _("Escalation"),
            {
                "fields": [
                    "escalate_on",
                    "escalate_raise_priority",
                    "escalate_to_queue",
                    "escalate_to_supervisor",
                ]
            },
        ),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """SLA clocks and notices change only through the ticket actions and the sweep."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TicketSla)
class TicketSlaAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket",
        "policy",
        "calendar",
        "first_response_due_at",
        "resolution_due_at",
        "paused_since",
    ]
    list_select_related = ["ticket", "policy", "calendar"]
    search_fields = ["ticket__number"]


@admin.register(SlaNotice)
class SlaNoticeAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "target", "kind", "created_at"]
    list_filter = ["target", "kind"]
    list_select_related = ["ticket"]
