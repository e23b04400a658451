"""The ticket lists' sort, filters, search and grouping, all read from the URL so the
back button and shared links keep them."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atiende.accounts.models import Contact, Organization
from atiende.tickets import routing, search
from atiende.tickets.models import Category, Queue, Service, Status, StatusKind, Ticket, TicketType
from atiende.tickets.queries import STILL_OPEN
from atiende.ui.bounds import FilterDateField
from atiende.ui.widgets import ListSelect

SORTS = {
    "recent": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "updated": ("-last_activity_at", "-id"),
    "priority": ("priority__level", "-last_activity_at", "-id"),
}


class StageChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Stages in the words of the badges contacts see (*Esperando su respuesta*...)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.portal_name)


class TicketFilterForm(forms.Form):
    q = forms.CharField(label=_("Search in content"), required=False, max_length=200)
    state = forms.ChoiceField(
        widget=ListSelect,
        label=_("State"),
        required=False,
        choices=[
            ("open", pgettext_lazy("tickets", "Open")),
            ("closed", pgettext_lazy("tickets", "Closed")),
            ("all", pgettext_lazy("tickets", "All")),
        ],
    )
    sort = forms.ChoiceField(
        widget=ListSelect,
        label=_("Sort by"),
        required=False,
        choices=[
            ("recent", _("Most recent")),
            ("oldest", _("Oldest")),
            ("updated", _("Last update")),
            ("priority", _("Priority")),
        ],
    )
    group = forms.BooleanField(label=_("Group by stage"), required=False)
    stage = StageChoiceField(
        Status.objects.all(), widget=ListSelect, label=_("Stage"), required=False, empty_label=_("All")
    )
    type = forms.ModelChoiceField(
        TicketType.objects.filter(is_active=True),
        widget=ListSelect,
        label=_("Type"),
        required=False,
        empty_label=_("All"),
    )
    queue = forms.ModelChoiceField(
        Queue.objects.none(),
        widget=ListSelect,
        label=_("To"),
        required=False,
        empty_label=_("All"),
    )
    service = forms.ModelChoiceField(
        Service.objects.none(),
        widget=ListSelect,
        label=_("Service"),
        required=False,
        empty_label=_("All"),
    )
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True).select_related("parent"),
        widget=ListSelect,
        label=_("Category"),
        required=False,
        empty_label=_("All"),
    )
    location = forms.ModelChoiceField(
        Organization.objects.none(),
        widget=ListSelect,
        label=_("Location"),
        required=False,
        empty_label=_("All"),
    )
    created_from = FilterDateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = FilterDateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    requester = forms.ModelChoiceField(
        Contact.objects.none(),
        widget=ListSelect,
        label=_("Created by"),
        required=False,
        empty_label=_("Anyone"),
    )

    def __init__(
        self, data: Any, *, organization: Organization, with_requester: bool, with_state: bool
    ) -> None:
        super().__init__(data)
        # Only what is offered to this company: another client's queue or service is
        # neither listed nor accepted from the URL.
        self.fields["queue"].queryset = routing.queues_offered_to(organization)  # type: ignore[attr-defined]
        self.fields["service"].queryset = routing.services_offered_to(organization)  # type: ignore[attr-defined]
        self.fields["location"].queryset = organization.locations.filter(is_active=True)  # type: ignore[attr-defined]
        if with_requester:
            self.fields["requester"].queryset = (  # type: ignore[attr-defined]
                Contact.objects.filter(memberships__organization=organization)
                .select_related("user")
                .order_by("user__full_name")
            )
        else:
            del self.fields["requester"]
        if not with_state:
            del self.fields["state"]

    def apply(self, tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
        self.is_valid()  # invalid values are dropped, never an error page
        data = self.cleaned_data
        state = data.get("state") or "open"
        if "state" in self.fields and state != "all":
            closed = tickets.filter(status__kind=StatusKind.CLOSED)
            tickets = closed if state == "closed" else tickets.filter(STILL_OPEN)
        for field in ("stage", "type", "queue", "service", "category", "location", "requester"):
            if data.get(field) is not None:
                tickets = tickets.filter(**{"status" if field == "stage" else field: data[field]})
        if data.get("created_from"):
            tickets = tickets.filter(created_at__gte=_start_of(data["created_from"]))
        if data.get("created_to"):
            tickets = tickets.filter(
                created_at__lt=_start_of(data["created_to"] + datetime.timedelta(days=1))
            )
        order = SORTS.get(data.get("sort") or "recent", SORTS["recent"])
        if data.get("q"):
            # Contacts search what they can read: never the words of internal notes.
            tickets = search.ranked(tickets, data["q"])
            if not data.get("sort"):
                order = (*search.RELEVANCE, *SORTS["updated"])
        if data.get("group"):
            order = ("status__position", *order)
        return tickets.order_by(*order)

    @property
    def has_filters(self) -> bool:
        return any(
            self.cleaned_data.get(name) for name in self.fields if name not in {"state", "sort", "group"}
        )

    def has_folded_filters(self) -> bool:
        """Whether a filter beyond the search words is chosen: the folded filters open then."""
        return any(
            self.cleaned_data.get(name) for name in self.fields if name not in {"state", "sort", "group", "q"}
        )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
