"""The ticket lists' sort, filters, search and grouping, all read from the URL so the
back button and shared links keep them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atiende.accounts.models import Contact, Organization
from atiende.portal import catalog
from atiende.tickets import search
from atiende.tickets.models import StatusKind, Ticket
from atiende.tickets.queries import STILL_OPEN
from atiende.ui.bounds import FilterDateField
from atiende.ui.renderers import quick
from atiende.ui.widgets import ListSelect

SORTS = {
    "recent": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "updated": ("-last_activity_at", "-id"),
    "priority": ("priority__level", "-last_activity_at", "-id"),
}


class PickField(forms.ChoiceField):
    """One of the listed rows, by key: cleaned to the key (None when none is chosen); a key
    not listed is an invalid choice, as with a model choice field, but the list comes from
    memory instead of a query."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, label: Any, empty_label: Any) -> None:
        super().__init__(label=label, required=False, widget=ListSelect)
        self.empty_label = empty_label
        self.keys: dict[str, int] = {}

    def offer(self, rows: Iterable[tuple[int, Any]]) -> None:
        listed = [(str(key), label) for key, label in rows]
        self.keys = {key: int(key) for key, _label in listed}
        self.choices = [("", self.empty_label), *listed]

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        key = self.keys.get(str(value))
        if key is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return key

    def validate(self, value: Any) -> None:
        pass  # to_python already refused what is not listed


class TicketFilterForm(forms.Form):
    default_renderer = quick  # the inputs written in Python, the same markup
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
    stage = PickField(label=_("Stage"), empty_label=_("All"))
    type = PickField(label=_("Type"), empty_label=_("All"))
    queue = PickField(label=_("To"), empty_label=_("All"))
    service = PickField(label=_("Service"), empty_label=_("All"))
    category = PickField(label=_("Category"), empty_label=_("All"))
    location = PickField(label=_("Location"), empty_label=_("All"))
    created_from = FilterDateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = FilterDateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    requester = PickField(label=_("Created by"), empty_label=_("Anyone"))

    def __init__(
        self, data: Any, *, organization: Organization, with_requester: bool, with_state: bool
    ) -> None:
        super().__init__(data)
        listed = catalog.load()
        company = organization.pk

        def offer(name: str, rows: Iterable[tuple[int, Any]]) -> None:
            cast(PickField, self.fields[name]).offer(rows)

        offer("stage", ((status.pk, status.portal_name) for status in listed.statuses))
        offer("type", ((kind.pk, str(kind)) for kind in listed.active_types()))
        # Only what is offered to this company: another client's queue or service is
        # neither listed nor accepted from the URL.
        offer("queue", ((queue.pk, str(queue)) for queue in listed.queues_offered_to(company)))
        offer("service", ((service.pk, str(service)) for service in listed.services_offered_to(company)))
        offer("category", ((category.pk, str(category)) for category in listed.active_categories()))
        offer(
            "location",
            ((place.pk, f"{place.name} ({organization})") for place in listed.locations.get(company, [])),
        )
        if with_requester:
            offer(
                "requester",
                (
                    (pk, name or email)
                    for pk, name, email in Contact.objects.filter(memberships__organization=organization)
                    .order_by("user__full_name")
                    .values_list("pk", "user__full_name", "user__email")
                ),
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
                tickets = tickets.filter(**{f"{'status' if field == 'stage' else field}_id": data[field]})
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
