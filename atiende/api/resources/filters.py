"""The ticket list's filters: the desk inbox's (`desk/inbox/filters.py`) spelled for an API.
Ids rather than words of names, repeated values as `a,b`, instants in ISO 8601. Every
filter narrows a queryset that already went through `access.tickets_visible_to`."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from atiende.tickets import search
from atiende.tickets.access import active_agent
from atiende.tickets.models import Channel, StatusKind, Tag, Ticket
from atiende.tickets.queries import STILL_OPEN
from atiende.ui.bounds import LARGEST_ID, parse_id

# The sort keys and what they order by. Cursor pages need a unique last field, and the
# first field carries the cursor's position: only near-unique columns are offered.
SORTS: dict[str, tuple[str, ...]] = {
    "activity": ("last_activity_at", "id"),
    "created": ("created_at", "id"),
    "updated": ("updated_at", "id"),
    "number": ("number",),
}
DEFAULT_SORT = "-activity"
SORT_CHOICES = [(key, key) for name in SORTS for key in (name, f"-{name}")]


def ordering_for(sort: str) -> tuple[str, ...]:
    if sort.removeprefix("-") not in SORTS:
        sort = DEFAULT_SORT
    fields = SORTS[sort.removeprefix("-")]
    return tuple(f"-{field}" for field in fields) if sort.startswith("-") else fields


def _is_id(value: object) -> bool:
    # Ids beyond the database's integers match nothing (and must not reach an IN list).
    return isinstance(value, int | Decimal) and value == int(value) and 0 < value <= LARGEST_ID


class NumberInFilter(filters.BaseInFilter, filters.NumberFilter):  # type: ignore[misc]
    def filter(self, queryset: QuerySet[Ticket], value: list[Decimal] | None) -> QuerySet[Ticket]:
        if not value:
            return queryset
        ids = [int(item) for item in value if _is_id(item)]
        return queryset.filter(**{f"{self.field_name}__in": ids})


class CharInFilter(filters.BaseInFilter, filters.CharFilter):  # type: ignore[misc]
    pass


class TicketFilter(filters.FilterSet):  # type: ignore[misc]
    q = filters.CharFilter(
        method="search_words",
        max_length=200,
        help_text=_(
            "Words of the subject, messages or file names, a ticket number (#195), an email or phone."
        ),
    )
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=[("open", "open"), ("closed", "closed"), ("all", "all")],
        help_text=_("Open (anything not closed), closed, or all (the default)."),
    )
    status = NumberInFilter(field_name="status_id", help_text=_("Stage ids, comma separated."))
    priority = NumberInFilter(field_name="priority_id", help_text=_("Priority ids, comma separated."))
    type = NumberInFilter(field_name="type_id", help_text=_("Type ids, comma separated."))
    channel = filters.MultipleChoiceFilter(
        choices=Channel.choices, help_text=_("Channels the tickets came in.")
    )
    queue = NumberInFilter(field_name="queue_id", help_text=_("Queue ids, comma separated."))
    company = NumberInFilter(field_name="organization_id", help_text=_("Company ids, comma separated."))
    requester = NumberInFilter(field_name="requester_id", help_text=_("Contact ids, comma separated."))
    assignee = filters.CharFilter(
        method="filter_assignee", max_length=20, help_text=_("An agent's id, `me`, or `none` (unassigned).")
    )
    category = filters.NumberFilter(
        method="filter_category", help_text=_("A category id; its subcategories' tickets included.")
    )
    tags = CharInFilter(
        method="filter_tags", help_text=_("Tag names, comma separated: tickets with all of them.")
    )
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="lt")
    sort = filters.ChoiceFilter(
        method="keep",
        choices=SORT_CHOICES,
        help_text=_("The order of the list; `-` for descending. Default: most recent activity first."),
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    def keep(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return queryset  # the pagination orders (see `ordering_for`)

    def search_words(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return search.matching(queryset, value, viewer=self.request.user if self.request else None)

    def filter_state(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if value == "open":
            return queryset.filter(STILL_OPEN)
        if value == "closed":
            return queryset.filter(status__kind=StatusKind.CLOSED)
        return queryset

    def filter_assignee(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            agent = active_agent(self.request.user) if self.request else None
            return queryset.filter(assignee=agent) if agent is not None else queryset.none()
        if (agent_id := parse_id(value)) is not None:
            return queryset.filter(assignee_id=agent_id)
        return queryset.none()

    def filter_category(self, queryset: QuerySet[Ticket], name: str, value: Decimal) -> QuerySet[Ticket]:
        if not _is_id(value):
            return queryset.none()
        category = int(value)
        return queryset.filter(Q(category_id=category) | Q(category__parent_id=category))

    def filter_tags(self, queryset: QuerySet[Ticket], name: str, value: list[str]) -> QuerySet[Ticket]:
        for tag in {" ".join(word.split()).lower() for word in value if word.strip()}:
            tagged = Ticket.tags.through.objects.filter(tag__in=Tag.objects.filter(name=tag))
            queryset = queryset.filter(pk__in=tagged.values("ticket_id"))
        return queryset
